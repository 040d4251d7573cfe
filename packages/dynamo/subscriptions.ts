import * as z from 'zod';
import { ConcurrentModificationError, type AudienceRepository, type Change, type Page, type Subscription } from '../core/index.ts';
import type { CursorCodec } from './cursor.ts';
import { AUDIENCE_SHARDS, audienceShard, partitions } from './partitions.ts';
import { fromItem, versionedPut, type GuardedWrite, type Item, type TableClient } from './table-client.ts';

export const SUBSCRIPTION = 'Subscription';

const SK_PREFIX = 'SUB#';

export const subscriptionKeys = {
  item: (customerId: string, productCode: string) => ({ pk: partitions.customer(customerId), sk: `${SK_PREFIX}${productCode}` }),
  skPrefix: SK_PREFIX,
  /**
   * gsi1 on an active subscription: the audience of a product, spread over AUDIENCE_SHARDS
   * partitions (by customer id) so that a large audience is read in parallel and written evenly.
   */
  audience: (productCode: string, customerId: string) => ({ gsi1pk: `AUDIENCE#${productCode}#${audienceShard(customerId)}`, gsi1sk: customerId }),
  audiencePartition: (productCode: string, shard: number) => `AUDIENCE#${productCode}#${shard}`,
};

export const subscriptionSchema: z.ZodType<Subscription> = z.object({
  customerId: z.string(),
  productCode: z.string(),
  paid: z.object({ source: z.enum(['paid', 'points']), expiresAt: z.string() }).optional(),
  gifts: z.record(z.string(), z.string()),
  free: z.boolean().optional(),
  cancelled: z.boolean().optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export function subscriptionFrom(item: Item): Subscription {
  return fromItem(subscriptionSchema, item, SUBSCRIPTION);
}

/** The stored form; only active subscriptions carry the audience keys (a sparse GSI). */
export function subscriptionItem(sub: Subscription, active: boolean): Item {
  return { ...subscriptionKeys.item(sub.customerId, sub.productCode), ...(active && subscriptionKeys.audience(sub.productCode, sub.customerId)), type: SUBSCRIPTION, ...sub };
}

export function subscriptionWrites(table: TableClient, change: Extract<Change, { kind: 'subscription' }>): GuardedWrite[] {
  const sub = change.subscription;
  return [
    {
      item: versionedPut(table.name, subscriptionItem(sub, change.active), change.expectedVersion),
      onConditionFailed: (cause) => new ConcurrentModificationError('subscription', `${sub.customerId}/${sub.productCode}`, { cause }),
    },
  ];
}

/** Where a page of the audience stopped: the shard, and the key within it. */
interface AudiencePosition {
  shard: number;
  key?: Item;
}

const isAudiencePosition = (position: unknown): position is AudiencePosition =>
  typeof position === 'object' && position !== null && Number.isInteger((position as Item).shard) && ((position as Item).key === undefined || typeof (position as Item).key === 'object');

/** The audience of a product, from the sparse, sharded gsi1: never a Scan. */
export class DynamoAudienceRepository implements AudienceRepository {
  constructor(
    private readonly table: TableClient,
    private readonly cursors: CursorCodec,
  ) {}

  private shardQuery(productCode: string, shard: number) {
    return { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': subscriptionKeys.audiencePartition(productCode, shard) } };
  }

  async count(productCode: string): Promise<number> {
    let count = 0;
    for (let shard = 0; shard < AUDIENCE_SHARDS; shard++) {
      let lastKey: Item | undefined;
      do {
        const page = await this.table.queryPage({ ...this.shardQuery(productCode, shard), Select: 'COUNT', ...(lastKey && { ExclusiveStartKey: lastKey }) });
        count += page.count;
        lastKey = page.lastKey;
      } while (lastKey);
    }
    return count;
  }

  /** The cursor walks the shards in order. */
  async page(productCode: string, options: { limit: number; cursor?: string }): Promise<Page<string>> {
    let { shard, key } = options.cursor ? this.cursors.decode(options.cursor, isAudiencePosition, 'an audience') : { shard: 0, key: undefined as Item | undefined };
    const ids: string[] = [];
    while (shard < AUDIENCE_SHARDS && ids.length < options.limit) {
      const page = await this.table.queryPage({ ...this.shardQuery(productCode, shard), ProjectionExpression: 'customerId', Limit: options.limit - ids.length, ...(key && { ExclusiveStartKey: key }) });
      ids.push(...page.items.map((item) => fromItem(audienceEntrySchema, item, SUBSCRIPTION).customerId));
      key = page.lastKey;
      if (!key) shard++;
    }
    return { items: ids, ...(shard < AUDIENCE_SHARDS && { nextCursor: this.cursors.encode({ shard, key }) }) };
  }
}

const audienceEntrySchema = z.object({ customerId: z.string() });
