import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type BatchGetCommandOutput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConcurrentModificationError } from '../core/index.ts';

export type Item = Record<string, unknown>;
export type Key = { pk: string; sk: string };
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One item of a transaction, with what its failed condition means in the domain. */
export interface GuardedWrite {
  item: TransactItem;
  /** The domain error when this item's condition fails. */
  onConditionFailed: (cause: unknown) => Error;
  /**
   * When several conditions fail, the highest priority explains the failure: a recorded
   * operation (the work was done) beats a taken unique value, which beats a stale version.
   */
  priority?: number;
}

/** A stored item that does not have its entity's shape: a bug or a hand edit, never the caller's fault. */
export class StoredItemError extends Error {
  override readonly name = 'StoredItemError';
}

/**
 * The one table, as the entity modules use it: reads that follow pages, item validation, and
 * the two transaction shapes (all-or-nothing with domain errors; one conditional write per key).
 */
export class TableClient {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get(key: Key, options: { consistent?: boolean } = {}): Promise<Item | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.name, Key: key, ...(options.consistent && { ConsistentRead: true }) }));
    return Item;
  }

  /** One Query page (the caller follows `LastEvaluatedKey`). */
  async queryPage(input: Omit<QueryCommandInput, 'TableName'>): Promise<{ items: Item[]; lastKey?: Item; count: number }> {
    const page = await this.doc.send(new QueryCommand({ ...input, TableName: this.name }));
    return { items: page.Items ?? [], count: page.Count ?? 0, ...(page.LastEvaluatedKey && { lastKey: page.LastEvaluatedKey }) };
  }

  /** Query, following LastEvaluatedKey until `limit` items (or the end); from ExclusiveStartKey when given. */
  async queryAll(input: Omit<QueryCommandInput, 'TableName'>, limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined = input.ExclusiveStartKey;
    do {
      const page = await this.queryPage({ ...input, ...(ExclusiveStartKey && { ExclusiveStartKey }) });
      items.push(...page.items);
      ExclusiveStartKey = page.lastKey;
    } while (ExclusiveStartKey && items.length < limit);
    return items.slice(0, limit);
  }

  /** BatchGetItem in pieces of 100, consistent, following UnprocessedKeys; `attributes` limits what comes back. */
  async batchGet(keys: Key[], attributes?: string[]): Promise<Item[]> {
    const items: Item[] = [];
    const projection = attributes && {
      ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
    };
    for (let i = 0; i < keys.length; i += 100) {
      let request: NonNullable<BatchGetCommandOutput['UnprocessedKeys']> | undefined = {
        [this.name]: { Keys: keys.slice(i, i + 100), ConsistentRead: true, ...projection },
      };
      while (request && Object.keys(request).length) {
        const result: BatchGetCommandOutput = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        items.push(...(result.Responses?.[this.name] ?? []));
        request = result.UnprocessedKeys;
      }
    }
    return items;
  }

  /** Unconditional puts and deletes, BatchWriteItem 25 a request, following UnprocessedItems (records nothing else depends on in a transaction). */
  async batchWrite(writes: Array<{ put: Item } | { delete: Key }>): Promise<void> {
    const requests = writes.map((w) => ('put' in w ? { PutRequest: { Item: w.put } } : { DeleteRequest: { Key: w.delete } }));
    for (let i = 0; i < requests.length; i += 25) {
      let request: BatchWriteCommandOutput['UnprocessedItems'] = { [this.name]: requests.slice(i, i + 25) };
      while (request && Object.keys(request).length) {
        request = (await this.doc.send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems;
      }
    }
  }

  /**
   * One TransactWriteItems, all or nothing. A failed condition becomes the domain error of the
   * item it belongs to; a conflict with another transaction, a ConcurrentModificationError.
   */
  async transact(writes: GuardedWrite[]): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: writes.map((w) => w.item) }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        const failed = writes.filter((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed');
        const explaining = failed.reduce<GuardedWrite | undefined>((best, w) => (!best || (w.priority ?? 0) > (best.priority ?? 0) ? w : best), undefined);
        if (explaining) throw explaining.onConditionFailed(error);
        if (reasons.some((r) => r.Code === 'TransactionConflict')) {
          throw new ConcurrentModificationError('Item', 'in this transaction', { cause: error });
        }
      }
      throw error;
    }
  }

  /**
   * One conditional write per key, in one transaction: the keys whose condition fails are
   * dropped and the rest written again, until every key left is written. Returns those keys.
   */
  async writeEach<K>(keys: K[], write: (key: K) => TransactItem, what: string): Promise<K[]> {
    let pending = keys;
    for (let attempt = 0; pending.length > 0 && attempt < 10; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: pending.map(write) }));
        return pending;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        pending = pending.filter((_, i) => reasons[i]?.Code !== 'ConditionalCheckFailed');
      }
    }
    if (pending.length) throw new ConcurrentModificationError(what, `${pending.length} items`);
    return pending;
  }
}

/** The stored item as its entity, validated: a corrupt item fails loudly here, not later. */
export function fromItem<T>(schema: z.ZodType<T>, item: Item, entity: string): T {
  const parsed = schema.safeParse(item);
  if (!parsed.success) {
    throw new StoredItemError(`Stored ${entity} ${String(item.pk)}/${String(item.sk)} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** A Put guarded by the version read (0: the item must not exist yet). */
export function versionedPut(tableName: string, item: Item, expectedVersion: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ...(expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  };
}

/** A Put of a new item (an append: ledger entry, audit record, idempotency record). */
export function createOnlyPut(tableName: string, item: Item): TransactItem {
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}
