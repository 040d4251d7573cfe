import * as z from 'zod';
import { ConcurrentModificationError, MESSAGE_KINDS, MESSAGE_STATUSES, SKIP_REASONS, smsTypeSchema, UNDELIVERED_REASONS, type Change, type Message, type MessageCounts, type MessageRepository, type Page } from '../core/index.ts';
import type { CursorCodec } from './cursor.ts';
import { batchOutcomeFrom, deferralOf, deliveryKeys } from './deliveries.ts';
import { listMerged } from './merged-listing.ts';
import { partitions } from './partitions.ts';
import { receiptCountsFrom, receiptKeys } from './receipts.ts';
import { fromItem, versionedPut, type GuardedWrite, type Item, type TableClient } from './table-client.ts';

export const MESSAGE = 'Message';

export const messageKeys = {
  item: (messageId: string) => ({ pk: partitions.message(messageId), sk: 'MESSAGE' }),
  /** gsi1 on a queued message: the queue of a product slot, oldest first (sparse: only while queued). */
  slotQueue: (slot: string, createdAt: string, messageId: string) => ({ gsi1pk: `SLOT#${slot}`, gsi1sk: `${createdAt}#${messageId}` }),
  slotQueuePartition: (slot: string) => `SLOT#${slot}`,
  /** gsi2: messages of one status, newest first (the review queue, the list of messages). */
  byStatus: (message: Pick<Message, 'status' | 'createdAt' | 'messageId'>) => ({ gsi2pk: `MESSAGES#${message.status}`, gsi2sk: `${message.createdAt}#${message.messageId}` }),
  statusPartition: (status: string) => `MESSAGES#${status}`,
};

/** The statuses a message is stored with (`sent` is derived from the counts of a sending one). */
const STORED_STATUSES = MESSAGE_STATUSES.filter((s) => s !== 'sent');

const reviewSchema = z.object({
  reviewer: z.string(),
  decision: z.enum(['approve', 'reject']),
  note: z.string().optional(),
  contentHash: z.string(),
  at: z.string(),
});

const messageSchema: z.ZodType<Message> = z.object({
  messageId: z.string(),
  kind: z.enum(MESSAGE_KINDS).optional(),
  productCode: z.string(),
  body: z.string(),
  adviser: z.object({ name: z.string(), registrationCode: z.string() }).optional(),
  contentHash: z.string().optional(),
  reviewRequired: z.boolean().optional(),
  approvals: z.array(z.string()).optional(),
  reviews: z.array(reviewSchema).optional(),
  approvedHash: z.string().optional(),
  smsType: smsTypeSchema,
  status: z.enum(MESSAGE_STATUSES),
  sendAt: z.string().optional(),
  slot: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  estimate: z.object({ recipients: z.number().int(), segments: z.number().int() }),
  recipients: z.number().int().optional(),
  survey: z.object({ surveyId: z.string(), closesAt: z.string() }).optional(),
  version: z.number().int(),
});

const queueEntrySchema = z.object({ messageId: z.string() });

export function messageWrites(table: TableClient, change: Extract<Change, { kind: 'message' }>): GuardedWrite[] {
  const { message } = change;
  const queued = message.status === 'queued' && message.slot ? messageKeys.slotQueue(message.slot, message.createdAt, message.messageId) : undefined;
  return [
    {
      item: versionedPut(table.name, { ...messageKeys.item(message.messageId), ...queued, ...messageKeys.byStatus(message), type: MESSAGE, ...message }, change.expectedVersion),
      onConditionFailed: (cause) => new ConcurrentModificationError('message', message.messageId, { cause }),
    },
  ];
}

export class DynamoMessageRepository implements MessageRepository {
  constructor(
    private readonly table: TableClient,
    private readonly cursors: CursorCodec,
  ) {}

  /** Newest first across the status partitions asked for, merged by creation time. */
  async list(query: { status?: Message['status']; productCode?: string; limit: number; cursor?: string }): Promise<Page<Message>> {
    const page = await listMerged(this.table, this.cursors, {
      index: 'gsi2',
      partitions: (query.status ? [query.status] : STORED_STATUSES).map(messageKeys.statusPartition),
      descending: true,
      ...(query.productCode && { filter: { attribute: 'productCode', value: query.productCode } }),
      limit: query.limit,
      ...(query.cursor && { cursor: query.cursor }),
      what: 'this list of messages',
    });
    return { items: page.items.map((item) => fromItem(messageSchema, item, MESSAGE)), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  }

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

  async counts(messageId: string): Promise<MessageCounts> {
    // The message's partition holds its batch records (BATCH#), deferrals (DEFER#) and receipt counts (RECEIPTS#): one Query.
    const items: Item[] = await this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitions.message(messageId) }, ConsistentRead: true });
    const withPrefix = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
    const batches = withPrefix(deliveryKeys.batchPrefix);
    const total: MessageCounts = { sent: 0, failed: 0, skipped: {}, deferred: 0, batches: batches.length, receipts: { delivered: 0, undelivered: 0, undeliveredByReason: {}, priceUsd: 0 } };
    const releases = withPrefix(deliveryKeys.anyDeferred).map((i) => deferralOf(i).releaseAt).sort();
    const batchTimes = batches.map((i) => String(i.at ?? '')).sort();
    if (batchTimes.length) total.lastBatchAt = batchTimes.at(-1)!;
    for (const counts of withPrefix(receiptKeys.countsPrefix).map(receiptCountsFrom)) {
      total.receipts.delivered += counts.delivered;
      total.receipts.undelivered += counts.undelivered;
      total.receipts.priceUsd = Math.round((total.receipts.priceUsd + counts.priceUsd) * 1e8) / 1e8;
      for (const reason of UNDELIVERED_REASONS) {
        const n = counts.undeliveredByReason[reason];
        if (n) total.receipts.undeliveredByReason[reason] = (total.receipts.undeliveredByReason[reason] ?? 0) + n;
      }
    }
    for (const outcome of batches.map(batchOutcomeFrom)) {
      total.sent += outcome.sent;
      total.deferred += outcome.deferred;
      total.failed += outcome.failed;
      for (const reason of SKIP_REASONS) {
        const n = outcome.skipped[reason];
        if (n) total.skipped[reason] = (total.skipped[reason] ?? 0) + n;
      }
    }
    if (total.deferred > 0 && releases[0]) total.heldUntil = releases[0];
    return total;
  }
}
