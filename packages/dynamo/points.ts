import * as z from 'zod';
import { ConcurrentModificationError, ledgerEntrySchema, type Change, type LedgerEntry, type LedgerRepository, type Page, type PointsAccount } from '../core/index.ts';
import type { CursorCodec } from './cursor.ts';
import { pageOfPartition } from './merged-listing.ts';
import { partitions } from './partitions.ts';
import { createOnlyPut, fromItem, versionedPut, type GuardedWrite, type Item, type TableClient } from './table-client.ts';

export const POINTS = 'Points';
export const LEDGER_ENTRY = 'LedgerEntry';

export const pointsKeys = {
  /** The balance, in the customer's partition (the customer picture is one Query). */
  balance: (customerId: string) => ({ pk: partitions.customer(customerId), sk: 'POINTS' }),
  /** The ledger has its own partition so that the customer picture stays one small Query. */
  ledgerPartition: (customerId: string) => `LEDGER#${customerId}`,
  ledgerEntry: (customerId: string, seq: number) => ({ pk: `LEDGER#${customerId}`, sk: `ENTRY#${String(seq).padStart(12, '0')}` }),
};

const accountSchema = z.object({ balance: z.number().int().min(0), version: z.number().int().min(0) });

/** The balance item of a customer's partition; no item yet is a zero balance at version 0. */
export function pointsAccountFrom(item: Item | undefined): PointsAccount {
  return item ? fromItem(accountSchema, item, POINTS) : { balance: 0, version: 0 };
}

/** The balance (guarded by the version read: the number of entries) and its new ledger entry, together. */
export function pointsWrites(table: TableClient, change: Extract<Change, { kind: 'points' }>): GuardedWrite[] {
  const conflict = (cause: unknown) => new ConcurrentModificationError('points', `points of ${change.customerId}`, { cause });
  return [
    {
      item: versionedPut(table.name, { ...pointsKeys.balance(change.customerId), type: POINTS, ...change.account, updatedAt: change.entry.at }, change.expectedVersion),
      onConditionFailed: conflict,
    },
    {
      item: createOnlyPut(table.name, { ...pointsKeys.ledgerEntry(change.customerId, change.entry.seq), type: LEDGER_ENTRY, ...change.entry }),
      onConditionFailed: conflict,
    },
  ];
}

export class DynamoLedgerRepository implements LedgerRepository {
  constructor(
    private readonly table: TableClient,
    private readonly cursors: CursorCodec,
  ) {}

  async page(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<LedgerEntry>> {
    const page = await pageOfPartition(this.table, this.cursors, { partition: pointsKeys.ledgerPartition(customerId), limit: options.limit, ...(options.cursor && { cursor: options.cursor }), what: 'this ledger' });
    return { items: page.items.map((item) => fromItem(ledgerEntrySchema, item, LEDGER_ENTRY)), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  }
}
