import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { OperationAlreadyAppliedError, SKIP_REASONS, type BatchOutcome, type DailyCapEntry, type DeliveryRepository } from '../core/index.ts';
import { giveBackCapItem } from './daily-cap.ts';
import { DELIVERY_SHARDS, deliveryShard, partitions } from './partitions.ts';
import { fromItem, type Item, type TableClient, type TransactItem } from './table-client.ts';

export const MESSAGE_BATCH = 'MessageBatch';
export const DELIVERY = 'Delivery';
export const DEFERRED = 'Deferred';

const BATCH_PREFIX = 'BATCH#';

export const deliveryKeys = {
  /** One item per attempt at a recipient batch: counts without a hot key (no counter updated per recipient). */
  batch: (messageId: string, recordId: string) => ({ pk: partitions.message(messageId), sk: `${BATCH_PREFIX}${recordId}` }),
  batchPrefix: BATCH_PREFIX,
  /** Recipients held by quiet hours until `releaseAt`, one item per batch attempt that held some. */
  deferred: (messageId: string, releaseAt: string, recordId: string) => ({ pk: partitions.message(messageId), sk: `DEFER#${releaseAt}#${recordId}` }),
  deferredPrefix: (releaseAt: string) => `DEFER#${releaseAt}#`,
  /** Every deferral record of a message. */
  anyDeferred: 'DEFER#',
  /**
   * One delivery per (message, customer); spread over DELIVERY_SHARDS partitions per message by
   * other bits of the hash than the audience shard: the dispatcher pages the audience shard
   * by shard, so a batch holds customers of one audience shard, and its claims must not all
   * land on one partition.
   */
  claim: (messageId: string, customerId: string) => ({ pk: `DELIVERY#${messageId}#${deliveryShard(customerId)}`, sk: customerId }),
  claimShards: DELIVERY_SHARDS,
};

const batchOutcomeSchema = z.object({
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.partialRecord(z.enum(SKIP_REASONS), z.number().int()),
  deferred: z.number().int(),
});

export function batchOutcomeFrom(item: Item): BatchOutcome {
  return fromItem(batchOutcomeSchema, item, MESSAGE_BATCH);
}

const deferredSchema = z.object({ customerIds: z.array(z.string()), releaseAt: z.string() });

export function deferralOf(item: Item): { customerIds: string[]; releaseAt: string } {
  return fromItem(deferredSchema, item, DEFERRED);
}

export class DynamoDeliveryRepository implements DeliveryRepository {
  constructor(private readonly table: TableClient) {}

  async claim(messageId: string, customerIds: string[], options: { stage: 'send' | 'release'; at: string }): Promise<string[]> {
    const claim = (customerId: string): TransactItem =>
      options.stage === 'send'
        ? {
            Put: {
              TableName: this.table.name,
              Item: { ...deliveryKeys.claim(messageId, customerId), type: DELIVERY, messageId, customerId, claimedAt: options.at },
              ConditionExpression: 'attribute_not_exists(sk)',
            },
          }
        : {
            // A held delivery is released once: whichever attempt sets releasedAt first sends it.
            Update: {
              TableName: this.table.name,
              Key: deliveryKeys.claim(messageId, customerId),
              UpdateExpression: 'SET releasedAt = :now',
              ConditionExpression: 'attribute_exists(sk) AND attribute_not_exists(releasedAt)',
              ExpressionAttributeValues: { ':now': options.at },
            },
          };
    // Claimed before (a redelivered batch, a concurrent sender): those are never claimed again.
    return this.table.writeEach([...new Set(customerIds)], claim, 'Delivery claims');
  }

  async recordDeferred(messageId: string, releaseAt: string, recordId: string, customerIds: string[]): Promise<void> {
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...deliveryKeys.deferred(messageId, releaseAt, recordId), type: DEFERRED, messageId, releaseAt, customerIds },
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
  }

  async listDeferred(messageId: string, releaseAt: string): Promise<string[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitions.message(messageId), ':prefix': deliveryKeys.deferredPrefix(releaseAt) },
      ConsistentRead: true,
    });
    return items.flatMap((item) => fromItem(deferredSchema, item, DEFERRED).customerIds);
  }

  async recordOutcome(messageId: string, recordId: string, outcome: BatchOutcome, options: { at: string; giveBackCap: DailyCapEntry[] }): Promise<void> {
    const record = {
      TableName: this.table.name,
      Item: { ...deliveryKeys.batch(messageId, recordId), type: MESSAGE_BATCH, ...outcome, at: options.at },
      ConditionExpression: 'attribute_not_exists(sk)',
    };
    const giveBacks = options.giveBackCap.map((entry) => giveBackCapItem(this.table.name, entry));
    try {
      // A transaction holds 100 items: the record and 99 give-backs (a full batch given back needs one more write).
      if (giveBacks.length === 0) await this.table.doc.send(new PutCommand(record));
      else await this.table.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: record }, ...giveBacks.slice(0, 99)] }));
      if (giveBacks.length > 99) await this.table.doc.send(new TransactWriteCommand({ TransactItems: giveBacks.slice(99) }));
    } catch (error) {
      const duplicate =
        (error as Error).name === 'ConditionalCheckFailedException' ||
        (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed');
      if (!duplicate) throw error;
      throw new OperationAlreadyAppliedError(`BATCH#${messageId}#${recordId}`, { cause: error });
    }
  }
}
