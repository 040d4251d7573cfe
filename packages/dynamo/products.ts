import * as z from 'zod';
import { ConcurrentModificationError, ConflictError, productSchema, type Change, type Product, type ProductCounters, type ProductRepository } from '../core/index.ts';
import { partitions } from './partitions.ts';
import { fromItem, versionedPut, type GuardedWrite, type TableClient } from './table-client.ts';

export const PRODUCT = 'Product';
export const PRODUCT_COUNTERS = 'ProductCounters';

const LISTING = 'PRODUCTS';

export const productKeys = {
  item: (code: string) => ({ pk: partitions.product(code), sk: 'PRODUCT' }),
  /** gsi1: all products, in code order (a catalog is hundreds of items: one partition is fine). */
  listing: (code: string) => ({ gsi1pk: LISTING, gsi1sk: code }),
  /** SMS subscribe/unsubscribe and feedback counts, receipts' delivered and cost, the latest survey (SMS rates are low: no sharding needed). */
  counters: (code: string) => ({ pk: partitions.product(code), sk: 'STATS' }),
};

const countersSchema = z.object({
  subscribes: z.number().int().default(0),
  unsubscribes: z.number().int().default(0),
  delivered: z.number().int().default(0),
  priceUsd: z.number().default(0),
  feedback: z.number().int().default(0),
  latestSurveyId: z.string().optional(),
});

export function productWrites(table: TableClient, change: Extract<Change, { kind: 'product' }>): GuardedWrite[] {
  const { product, expectedVersion } = change;
  return [
    {
      item: versionedPut(table.name, { ...productKeys.item(product.code), ...productKeys.listing(product.code), type: PRODUCT, ...product }, expectedVersion),
      onConditionFailed: (cause) =>
        expectedVersion === 0
          ? new ConflictError('product-exists', `A product with code ${product.code} already exists`, { cause })
          : new ConcurrentModificationError('Product', product.code, { cause }),
      priority: expectedVersion === 0 ? 1 : 0,
    },
  ];
}

export function productCounterWrites(table: TableClient, change: Extract<Change, { kind: 'product-counter' }>): GuardedWrite[] {
  return [
    {
      item: {
        Update: {
          TableName: table.name,
          Key: productKeys.counters(change.productCode),
          UpdateExpression: 'ADD #counter :one SET #type = :type',
          ExpressionAttributeNames: { '#counter': change.counter, '#type': 'type' },
          ExpressionAttributeValues: { ':one': 1, ':type': PRODUCT_COUNTERS },
        },
      },
      onConditionFailed: (cause) => new ConcurrentModificationError('ProductCounters', change.productCode, { cause }),
    },
  ];
}

export function productLatestSurveyWrites(table: TableClient, change: Extract<Change, { kind: 'product-latest-survey' }>): GuardedWrite[] {
  return [
    {
      item: {
        Update: {
          TableName: table.name,
          Key: productKeys.counters(change.productCode),
          UpdateExpression: 'SET latestSurveyId = :survey, #type = :type',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':survey': change.surveyId, ':type': PRODUCT_COUNTERS },
        },
      },
      onConditionFailed: (cause) => new ConcurrentModificationError('ProductCounters', change.productCode, { cause }),
    },
  ];
}

export class DynamoProductRepository implements ProductRepository {
  constructor(private readonly table: TableClient) {}

  async get(code: string): Promise<Product | undefined> {
    const item = await this.table.get(productKeys.item(code));
    return item && fromItem(productSchema, item, PRODUCT);
  }

  async list(): Promise<Product[]> {
    const items = await this.table.queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': LISTING } });
    return items.map((item) => fromItem(productSchema, item, PRODUCT));
  }

  async counters(code: string): Promise<ProductCounters> {
    return fromItem(countersSchema, (await this.table.get(productKeys.counters(code))) ?? {}, PRODUCT_COUNTERS);
  }
}
