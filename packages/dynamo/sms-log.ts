import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { SMS_KINDS, SMS_STATUSES, UNDELIVERED_REASONS, type Page, type SentSms, type SmsLogRepository, type SmsStatus } from '../core/index.ts';
import type { CursorCodec } from './cursor.ts';
import { pageOfPartition } from './merged-listing.ts';
import { DELIVERY_SHARDS, deliveryShard } from './partitions.ts';
import { fromItem, type Item, type TableClient } from './table-client.ts';

export const SENT_SMS = 'SentSms';

export const smsKeys = {
  /** One item per SMS the platform sent, by the SNS MessageId a receipt names. */
  item: (smsId: string) => ({ pk: `SMS#${smsId}`, sk: 'SMS' }),
  /**
   * gsi1: a message's recipients by status, spread over DELIVERY_SHARDS partitions (a large
   * broadcast's records are written at the send rate); the status moves the item between them.
   */
  byStatus: (messageId: string, status: SmsStatus, customerId: string) => ({ gsi1pk: `RCPT#${messageId}#${status}#${deliveryShard(customerId)}`, gsi1sk: customerId }),
  statusPartition: (messageId: string, status: SmsStatus, shard: number) => `RCPT#${messageId}#${status}#${shard}`,
  /** gsi2: every SMS to a customer, newest first (the client's SMS history). */
  toCustomer: (customerId: string, sentAt: string, smsId: string) => ({ gsi2pk: `SMSTO#${customerId}`, gsi2sk: `${sentAt}#${smsId}` }),
  customerPartition: (customerId: string) => `SMSTO#${customerId}`,
};

const sentSmsSchema: z.ZodType<SentSms> = z.object({
  smsId: z.string(),
  kind: z.enum(SMS_KINDS),
  messageId: z.string().optional(),
  productCode: z.string().optional(),
  customerId: z.string().optional(),
  phone: z.string(),
  body: z.string().optional(),
  status: z.enum(SMS_STATUSES),
  reason: z.enum(UNDELIVERED_REASONS).optional(),
  providerResponse: z.string().optional(),
  priceUsd: z.number().optional(),
  sentAt: z.string(),
  receiptAt: z.string().optional(),
});

export function sentSmsFrom(item: Item): SentSms {
  return fromItem(sentSmsSchema, item, SENT_SMS);
}

/** The stored form, with its index keys (the status ones only for a message's recipients). */
export function sentSmsItem(sms: SentSms): Item {
  return {
    ...smsKeys.item(sms.smsId),
    ...(sms.messageId && sms.customerId && smsKeys.byStatus(sms.messageId, sms.status, sms.customerId)),
    ...(sms.customerId && smsKeys.toCustomer(sms.customerId, sms.sentAt, sms.smsId)),
    type: SENT_SMS,
    ...sms,
  };
}

/** Where a listing of recipients stopped: the status (index in SMS_STATUSES), the shard, the key within it. */
interface RecipientsPosition {
  status: number;
  shard: number;
  key?: Item;
}
const isRecipientsPosition = (p: unknown): p is RecipientsPosition =>
  typeof p === 'object' && p !== null && Number.isInteger((p as Item).status) && Number.isInteger((p as Item).shard) && ((p as Item).key === undefined || typeof (p as Item).key === 'object');
export class DynamoSmsLogRepository implements SmsLogRepository {
  constructor(
    private readonly table: TableClient,
    private readonly cursors: CursorCodec,
  ) {}

  /** One SMS (a reply, an alert): PutItem; more: BatchWriteItem, 25 a request, following UnprocessedItems. */
  async record(entries: SentSms[]): Promise<void> {
    if (entries.length === 1) {
      await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: sentSmsItem(entries[0]!) }));
      return;
    }
    await this.table.batchWrite(entries.map((sms) => ({ put: sentSmsItem(sms) })));
  }

  async get(smsIds: string[]): Promise<Map<string, SentSms>> {
    const items = await this.table.batchGet([...new Set(smsIds)].map((id) => smsKeys.item(id)));
    return new Map(items.map(sentSmsFrom).map((sms) => [sms.smsId, sms]));
  }

  async listForMessage(messageId: string, options: { status?: SmsStatus; limit: number; cursor?: string }): Promise<Page<SentSms>> {
    const statuses = options.status ? [options.status] : [...SMS_STATUSES];
    let { status, shard, key } = options.cursor ? this.cursors.decode(options.cursor, isRecipientsPosition, 'these recipients') : { status: 0, shard: 0, key: undefined as Item | undefined };
    const found: SentSms[] = [];
    while (status < statuses.length && found.length < options.limit) {
      const page = await this.table.queryPage({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': smsKeys.statusPartition(messageId, statuses[status]!, shard) },
        Limit: options.limit - found.length,
        ...(key && { ExclusiveStartKey: key }),
      });
      found.push(...page.items.map(sentSmsFrom));
      key = page.lastKey;
      if (!key) {
        shard++;
        if (shard >= DELIVERY_SHARDS) {
          shard = 0;
          status++;
        }
      }
    }
    return { items: found, ...(status < statuses.length && { nextCursor: this.cursors.encode({ status, shard, key }) }) };
  }

  async listForCustomer(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<SentSms>> {
    const page = await pageOfPartition(this.table, this.cursors, { index: 'gsi2', partition: smsKeys.customerPartition(customerId), limit: options.limit, ...(options.cursor && { cursor: options.cursor }), what: 'this SMS history' });
    return { items: page.items.map(sentSmsFrom), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  }
}
