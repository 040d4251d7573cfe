import * as z from 'zod';
import { ConcurrentModificationError, MESSAGE_STATUSES, SKIP_REASONS, smsTypeSchema, type BatchOutcome, type Change, type Message, type MessageRepository } from '../core/index.ts';
import { batchOutcomeFrom, deliveryKeys } from './deliveries.ts';
import { partitions } from './partitions.ts';
import { fromItem, versionedPut, type GuardedWrite, type Item, type TableClient } from './table-client.ts';

export const MESSAGE = 'Message';

export const messageKeys = {
  item: (messageId: string) => ({ pk: partitions.message(messageId), sk: 'MESSAGE' }),
  /** gsi1 on a queued message: the queue of a product slot, oldest first (sparse: only while queued). */
  slotQueue: (slot: string, createdAt: string, messageId: string) => ({ gsi1pk: `SLOT#${slot}`, gsi1sk: `${createdAt}#${messageId}` }),
  slotQueuePartition: (slot: string) => `SLOT#${slot}`,
};

const messageSchema: z.ZodType<Message> = z.object({
  messageId: z.string(),
  productCode: z.string(),
  body: z.string(),
  smsType: smsTypeSchema,
  status: z.enum(MESSAGE_STATUSES),
  sendAt: z.string().optional(),
  slot: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  estimate: z.object({ recipients: z.number().int(), segments: z.number().int() }),
  recipients: z.number().int().optional(),
  version: z.number().int(),
});

const queueEntrySchema = z.object({ messageId: z.string() });

export function messageWrites(table: TableClient, change: Extract<Change, { kind: 'message' }>): GuardedWrite[] {
  const { message } = change;
  const queued = message.status === 'queued' && message.slot ? messageKeys.slotQueue(message.slot, message.createdAt, message.messageId) : undefined;
  return [
    {
      item: versionedPut(table.name, { ...messageKeys.item(message.messageId), ...queued, type: MESSAGE, ...message }, change.expectedVersion),
      onConditionFailed: (cause) => new ConcurrentModificationError('message', message.messageId, { cause }),
    },
  ];
}

export class DynamoMessageRepository implements MessageRepository {
  constructor(private readonly table: TableClient) {}

  async get(messageId: string): Promise<Message | undefined> {
    const item = await this.table.get(messageKeys.item(messageId), { consistent: true });
    return item && fromItem(messageSchema, item, MESSAGE);
  }

  async listQueued(slot: string): Promise<Message[]> {
    const items = await this.table.queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': messageKeys.slotQueuePartition(slot) } });
    // The index is eventually consistent: read each message itself for its current version.
    const messages = await Promise.all(items.map((item) => this.get(fromItem(queueEntrySchema, item, MESSAGE).messageId)));
    return messages.filter((m): m is Message => m?.status === 'queued');
  }

  async counts(messageId: string): Promise<BatchOutcome & { batches: number }> {
    const items: Item[] = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :batch)',
      ExpressionAttributeValues: { ':pk': partitions.message(messageId), ':batch': deliveryKeys.batchPrefix },
      ConsistentRead: true,
    });
    const total: BatchOutcome & { batches: number } = { sent: 0, failed: 0, skipped: {}, deferred: 0, batches: items.length };
    for (const outcome of items.map(batchOutcomeFrom)) {
      total.sent += outcome.sent;
      total.deferred += outcome.deferred;
      total.failed += outcome.failed;
      for (const reason of SKIP_REASONS) {
        const n = outcome.skipped[reason];
        if (n) total.skipped[reason] = (total.skipped[reason] ?? 0) + n;
      }
    }
    return total;
  }
}
