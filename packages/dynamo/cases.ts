import * as z from 'zod';
import { caseSchema, ConcurrentModificationError, type Case, type CaseKind, type CaseRepository, type CaseStatus, type Change, type Page } from '../core/index.ts';
import type { CursorCodec } from './cursor.ts';
import { listMerged, pageOfPartition } from './merged-listing.ts';
import { createOnlyPut, fromItem, versionedPut, type GuardedWrite, type TableClient } from './table-client.ts';

export const CASE = 'Case';
export const CASE_REF = 'CaseRef';

export const caseKeys = {
  item: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  /** gsi1: cases of one kind and status, newest first (the case lists). */
  byKindStatus: (c: Pick<Case, 'kind' | 'status' | 'openedAt' | 'caseId'>) => ({ gsi1pk: `CASES#${c.kind}#${c.status}`, gsi1sk: `${c.openedAt}#${c.caseId}` }),
  kindStatusPartition: (kind: CaseKind, status: CaseStatus) => `CASES#${kind}#${status}`,
  /** gsi2 on an open case with a due time: open cases of a kind by due time (overdue = below now; sparse: gone once closed). */
  due: (c: Pick<Case, 'kind' | 'dueAt' | 'caseId'>) => ({ gsi2pk: `CASESDUE#${c.kind}`, gsi2sk: `${c.dueAt}#${c.caseId}` }),
  duePartition: (kind: CaseKind) => `CASESDUE#${kind}`,
  /** A client's cases, newest first: one small item per case in the client's own partition (written when it opens). */
  customerRef: (c: Pick<Case, 'customerId' | 'openedAt' | 'caseId'>) => ({ pk: `CUSTOMERCASES#${c.customerId}`, sk: `${c.openedAt}#${c.caseId}` }),
  customerPartition: (customerId: string) => `CUSTOMERCASES#${customerId}`,
};

const storedCaseSchema: z.ZodType<Case> = caseSchema;

export function caseWrites(table: TableClient, change: Extract<Change, { kind: 'case' }>): GuardedWrite[] {
  const c = change.case;
  const due = c.status === 'open' && c.dueAt ? caseKeys.due(c) : {};
  // A new case's id taken (a short id met another): the caller opens it again under a new id.
  const taken = (cause: unknown) => new ConcurrentModificationError('case', c.caseId, { cause });
  return [
    { item: versionedPut(table.name, { ...caseKeys.item(c.caseId), ...caseKeys.byKindStatus(c), ...due, type: CASE, ...c }, change.expectedVersion), onConditionFailed: taken },
    // Opened: listed with the client's cases (the reference only; the case item has its status).
    ...(change.expectedVersion === 0 ? [{ item: createOnlyPut(table.name, { ...caseKeys.customerRef(c), type: CASE_REF, caseId: c.caseId }), onConditionFailed: taken }] : []),
  ];
}

export class DynamoCaseRepository implements CaseRepository {
  constructor(
    private readonly table: TableClient,
    private readonly cursors: CursorCodec,
  ) {}

  async get(caseId: string): Promise<Case | undefined> {
    const item = await this.table.get(caseKeys.item(caseId), { consistent: true });
    return item && fromItem(storedCaseSchema, item, CASE);
  }

  async list(query: { kinds: CaseKind[]; status?: CaseStatus; productCode?: string; overdueAt?: string; limit: number; cursor?: string }): Promise<Page<Case>> {
    const statuses: CaseStatus[] = query.status ? [query.status] : ['open', 'closed'];
    const page = await listMerged(this.table, this.cursors, {
      ...(query.overdueAt !== undefined
        ? { index: 'gsi2' as const, partitions: query.kinds.map(caseKeys.duePartition), descending: false, sortKeyBelow: query.overdueAt }
        : { index: 'gsi1' as const, partitions: query.kinds.flatMap((k) => statuses.map((s) => caseKeys.kindStatusPartition(k, s))), descending: true }),
      ...(query.productCode && { filter: { attribute: 'productCode', value: query.productCode } }),
      limit: query.limit,
      ...(query.cursor && { cursor: query.cursor }),
      what: 'this list of cases',
    });
    return { items: page.items.map((item) => fromItem(storedCaseSchema, item, CASE)), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  }

  /** Query of the client's partition (newest first), then one BatchGetItem of those cases. */
  async listForCustomer(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<Case>> {
    const page = await pageOfPartition(this.table, this.cursors, { partition: caseKeys.customerPartition(customerId), limit: options.limit, ...(options.cursor && { cursor: options.cursor }), what: "this client's cases" });
    const ids = page.items.map((ref) => String(ref.caseId));
    const found = new Map((await this.table.batchGet(ids.map((id) => caseKeys.item(id)))).map((item) => [String(item.caseId), fromItem(storedCaseSchema, item, CASE)]));
    return { items: ids.flatMap((id) => found.get(id) ?? []), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  }

  async countOverdue(kind: CaseKind, at: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.table.queryPage({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :at',
        ExpressionAttributeValues: { ':pk': caseKeys.duePartition(kind), ':at': at },
        Select: 'COUNT',
        ...(start && { ExclusiveStartKey: start }),
      });
      count += page.count;
      start = page.lastKey;
    } while (start);
    return count;
  }
}
