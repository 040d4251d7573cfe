import type { Page } from '../core/index.ts';
import type { CursorCodec } from './cursor.ts';
import type { Item, TableClient } from './table-client.ts';

/** Where a listing stopped in each partition: the key of the last item it gave out, or done. */
type ListPosition = Record<string, Item | 'done'>;

export interface MergedListing {
  index: 'gsi1' | 'gsi2';
  /** The index partitions listed together (e.g. one per status). */
  partitions: string[];
  /** Newest first (descending sort key) or oldest first. */
  descending: boolean;
  /** A further key condition on the index sort key, e.g. `< :now`. */
  sortKeyBelow?: string;
  /** An attribute every listed item must have this value of (a filter: pages may come short). */
  filter?: { attribute: string; value: string };
  limit: number;
  cursor?: string;
  /** What the cursor belongs to, for the error on a foreign one. */
  what: string;
}

/**
 * Items of several index partitions as one list, merged by the index sort key: one Query per
 * partition per page, the cursor keeping each partition's place, so pages neither repeat nor skip.
 */
export async function listMerged(table: TableClient, cursors: CursorCodec, options: MergedListing): Promise<Page<Item>> {
  const pk = `${options.index}pk`;
  const sk = `${options.index}sk`;
  const known = new Set(options.partitions);
  const isPosition = (p: unknown): p is ListPosition =>
    typeof p === 'object' && p !== null && Object.entries(p).every(([k, v]) => known.has(k) && (v === 'done' || (typeof v === 'object' && v !== null)));
  const position: ListPosition = options.cursor ? cursors.decode(options.cursor, isPosition, options.what) : {};
  const candidates: Array<{ partition: string; item: Item }> = [];
  const exhausted = new Set<string>();
  for (const partition of options.partitions) {
    const start = position[partition];
    if (start === 'done') {
      exhausted.add(partition);
      continue;
    }
    const items = await table.queryAll(
      {
        IndexName: options.index,
        KeyConditionExpression: `${pk} = :pk${options.sortKeyBelow !== undefined ? ` AND ${sk} < :below` : ''}`,
        ...(options.filter && { FilterExpression: '#filter = :filter', ExpressionAttributeNames: { '#filter': options.filter.attribute } }),
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(options.sortKeyBelow !== undefined && { ':below': options.sortKeyBelow }),
          ...(options.filter && { ':filter': options.filter.value }),
        },
        ScanIndexForward: !options.descending,
        ...(start && { ExclusiveStartKey: start }),
      },
      options.limit,
    );
    if (items.length < options.limit) exhausted.add(partition);
    candidates.push(...items.map((item) => ({ partition, item })));
  }
  const order = (a: Item, b: Item) => String(a[sk]).localeCompare(String(b[sk]));
  candidates.sort((a, b) => (options.descending ? order(b.item, a.item) : order(a.item, b.item)));
  const taken = candidates.slice(0, options.limit);
  const next: ListPosition = { ...position };
  for (const { partition, item } of taken) next[partition] = { pk: item.pk, sk: item.sk, [pk]: item[pk], [sk]: item[sk] };
  for (const partition of exhausted) if (!candidates.slice(options.limit).some((c) => c.partition === partition)) next[partition] = 'done';
  const more = options.partitions.some((p) => next[p] !== 'done');
  return { items: taken.map(({ item }) => item), ...(more && { nextCursor: cursors.encode(next) }) };
}

export interface PartitionPage {
  /** The table (`pk`/`sk`) or an index. */
  index?: 'gsi1' | 'gsi2';
  partition: string;
  limit: number;
  cursor?: string;
  /** What the cursor belongs to, for the error on a foreign one. */
  what: string;
}

/**
 * One page of one partition, newest first: a Query with `Limit`, the cursor sealing the keys
 * where it stopped. A cursor of another partition (or index) is a 400.
 */
export async function pageOfPartition(table: TableClient, cursors: CursorCodec, options: PartitionPage): Promise<Page<Item>> {
  const pk = options.index ? `${options.index}pk` : 'pk';
  const sk = options.index ? `${options.index}sk` : 'sk';
  const isStart = (p: unknown): p is Item =>
    typeof p === 'object' && p !== null && (p as Item)[pk] === options.partition && typeof (p as Item)[sk] === 'string' && typeof (p as Item).pk === 'string' && typeof (p as Item).sk === 'string';
  const start = options.cursor ? cursors.decode(options.cursor, isStart, options.what) : undefined;
  const page = await table.queryPage({
    ...(options.index && { IndexName: options.index }),
    KeyConditionExpression: `${pk} = :pk`,
    ExpressionAttributeValues: { ':pk': options.partition },
    ScanIndexForward: false,
    Limit: options.limit,
    ...(start && { ExclusiveStartKey: start }),
  });
  return { items: page.items, ...(page.lastKey && { nextCursor: cursors.encode(page.lastKey) }) };
}
