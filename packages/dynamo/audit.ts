import * as z from 'zod';
import { ConcurrentModificationError, auditRecordSchema, type AuditRecord, type AuditRepository, type AuditWindowQuery, type Change, type Page } from '../core/index.ts';
import type { CursorCodec } from './cursor.ts';
import { HIGH } from './partitions.ts';
import { createOnlyPut, fromItem, type GuardedWrite, type Item, type TableClient } from './table-client.ts';

export const AUDIT = 'Audit';

const DAY_MS = 86_400_000;

export const auditKeys = {
  /** Records of one entity, time-ordered (sk `<at>#<auditId>`). */
  item: (record: Pick<AuditRecord, 'entity' | 'at' | 'auditId'>) => ({ pk: `AUDIT#${record.entity}`, sk: `${record.at}#${record.auditId}` }),
  entityPartition: (entity: string) => `AUDIT#${entity}`,
  /** gsi1: records of one UTC day, time-ordered (a time-range read without a Scan). */
  dayPartition: (day: string) => `AUDITDAY#${day}`,
  /** gsi2: records of one actor, time-ordered. */
  actorPartition: (actor: string) => `AUDITACTOR#${actor}`,
  /** A record's keys in gsi1 (by day), table keys included: where a page of that index starts after it. */
  byDay: (record: Pick<AuditRecord, 'entity' | 'at' | 'auditId'>) => {
    const key = auditKeys.item(record);
    return { ...key, gsi1pk: auditKeys.dayPartition(record.at.slice(0, 10)), gsi1sk: key.sk };
  },
  /** A record's keys in gsi2 (by actor), table keys included. */
  byActor: (record: Pick<AuditRecord, 'entity' | 'at' | 'auditId' | 'actor'>) => {
    const key = auditKeys.item(record);
    return { ...key, gsi2pk: auditKeys.actorPartition(record.actor), gsi2sk: key.sk };
  },
};

/** Every successful change writes exactly one, in its own transaction. */
export function auditWrites(table: TableClient, change: Extract<Change, { kind: 'audit' }>): GuardedWrite[] {
  const { record } = change;
  return [
    {
      item: createOnlyPut(table.name, {
        ...auditKeys.byDay(record),
        ...auditKeys.byActor(record),
        type: AUDIT,
        ...record,
      }),
      onConditionFailed: (cause) => new ConcurrentModificationError('audit', record.auditId, { cause }),
    },
  ];
}

/** Where a page of the audit log stopped: the last record given, enough to name its keys in every index. */
const auditPositionSchema = z.strictObject({ entity: z.string().min(1), actor: z.string().min(1), at: z.string().min(1), auditId: z.string().min(1) });
type AuditPosition = z.infer<typeof auditPositionSchema>;

export class DynamoAuditRepository implements AuditRepository {
  constructor(
    private readonly table: TableClient,
    private readonly cursors: CursorCodec,
  ) {}

  /**
   * Newest first, `limit` at a time. Every path is ordered by the same sort key (`<at>#<auditId>`),
   * so a cursor is the last record given and the next page starts right after its keys in
   * whichever index the query reads. A cursor of another entity or actor is a 400.
   */
  async list(query: AuditWindowQuery): Promise<Page<AuditRecord>> {
    const after = query.cursor
      ? this.cursors.decode(
          query.cursor,
          (p): p is AuditPosition => auditPositionSchema.safeParse(p).success && (!query.entity || (p as AuditPosition).entity === query.entity) && (!query.actor || (p as AuditPosition).actor === query.actor),
          'this audit listing',
        )
      : undefined;
    const upper = `${query.to}${HIGH}`;
    if (after && after.at < query.from) return { items: [] };
    // A cursor beyond the window's end (the caller moved `to` back) starts at the end.
    const resume = after && auditKeys.item(after).sk <= upper ? after : undefined;
    const range = { ':from': query.from, ':to': upper };
    const wanted = query.limit + 1; // one more than the page: whether a next page exists
    let items: Item[];
    if (query.entity) {
      items = await this.table.queryAll(
        {
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ...(query.actor && { FilterExpression: 'actor = :actor' }),
          ExpressionAttributeValues: { ...range, ':pk': auditKeys.entityPartition(query.entity), ...(query.actor && { ':actor': query.actor }) },
          ScanIndexForward: false,
          ...(resume && { ExclusiveStartKey: auditKeys.item(resume) }),
        },
        wanted,
      );
    } else if (query.actor) {
      items = await this.table.queryAll(
        {
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ...range, ':pk': auditKeys.actorPartition(query.actor) },
          ScanIndexForward: false,
          ...(resume && { ExclusiveStartKey: auditKeys.byActor(resume) }),
        },
        wanted,
      );
    } else {
      // Neither filter: walk the day partitions of gsi1 from newest to oldest.
      items = [];
      const first = Date.parse((resume?.at ?? query.to).slice(0, 10));
      for (let day = first; day >= Date.parse(query.from.slice(0, 10)) && items.length < wanted; day -= DAY_MS) {
        const partition = auditKeys.dayPartition(new Date(day).toISOString().slice(0, 10));
        const start = resume && day === first ? auditKeys.byDay(resume) : undefined;
        items.push(
          ...(await this.table.queryAll(
            {
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
              ExpressionAttributeValues: { ...range, ':pk': partition },
              ScanIndexForward: false,
              ...(start && { ExclusiveStartKey: start }),
            },
            wanted - items.length,
          )),
        );
      }
    }
    const records = items.slice(0, query.limit).map((item) => fromItem(auditRecordSchema, item, AUDIT));
    const last = records.at(-1);
    const position: AuditPosition | undefined = last && { entity: last.entity, actor: last.actor, at: last.at, auditId: last.auditId };
    return { items: records, ...(items.length > query.limit && position && { nextCursor: this.cursors.encode(position) }) };
  }
}
