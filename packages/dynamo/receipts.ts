import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { UNDELIVERED_REASONS, type DeliveryReceipt, type ReceiptRepository, type SentSms } from '../core/index.ts';
import { partitions } from './partitions.ts';
import { productKeys } from './products.ts';
import { smsKeys } from './sms-log.ts';
import { fromItem, type Item, type TableClient, type TransactItem } from './table-client.ts';

export const RECEIPT_COUNTS = 'ReceiptCounts';
export const PARKED_RECEIPT = 'ParkedReceipt';

const PARKED = 'PARKEDRECEIPTS';
const RECEIPTS_PREFIX = 'RECEIPTS#';

export const receiptKeys = {
  /** Receipt counts of one message from one call (summed with its batch records: no counter updated per receipt). */
  counts: (messageId: string, recordId: string) => ({ pk: partitions.message(messageId), sk: `${RECEIPTS_PREFIX}${recordId}` }),
  countsPrefix: RECEIPTS_PREFIX,
  /** A receipt that came before its SMS was recorded; gsi1: all of them, oldest first. */
  parked: (smsId: string) => ({ pk: `RECEIPT#${smsId}`, sk: 'PARKED' }),
  parkedIndex: (parkedAt: string, smsId: string) => ({ gsi1pk: PARKED, gsi1sk: `${parkedAt}#${smsId}` }),
};

const countsSchema = z.object({
  delivered: z.number().int(),
  undelivered: z.number().int(),
  undeliveredByReason: z.partialRecord(z.enum(UNDELIVERED_REASONS), z.number().int()),
  priceUsd: z.number(),
});
export type ReceiptCounts = z.infer<typeof countsSchema>;

export function receiptCountsFrom(item: Item): ReceiptCounts {
  return fromItem(countsSchema, item, RECEIPT_COUNTS);
}

const parkedSchema = z.object({
  smsId: z.string(),
  status: z.enum(['delivered', 'undelivered']),
  reason: z.enum(UNDELIVERED_REASONS).optional(),
  providerResponse: z.string(),
  priceUsd: z.number(),
  destination: z.string(),
  at: z.string(),
  parkedAt: z.string(),
});

/** Receipts per transaction: 90 SMS updates leave room for the counts items of the call. */
const CHUNK = 90;

export class DynamoReceiptRepository implements ReceiptRepository {
  constructor(private readonly table: TableClient) {}

  async apply(receipts: Array<{ sms: SentSms; receipt: DeliveryReceipt }>, recordId: string): Promise<string[]> {
    const applied: string[] = [];
    for (let i = 0; i < receipts.length; i += CHUNK) applied.push(...(await this.applyChunk(receipts.slice(i, i + CHUNK), `${recordId}-${i / CHUNK}`)));
    return applied;
  }

  /**
   * One transaction: each SMS moves from sent to its final status only if it is still sent (a
   * receipt that came twice, or was applied by a concurrent call, fails its condition and is
   * dropped, and the rest written again), with the counts of those applied, per message and product.
   */
  private async applyChunk(chunk: Array<{ sms: SentSms; receipt: DeliveryReceipt }>, recordId: string): Promise<string[]> {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0 && attempt < 10; attempt++) {
      const updates = pending.map(({ sms, receipt }) => this.finalUpdate(sms, receipt));
      try {
        await this.table.doc.send(new TransactWriteCommand({ TransactItems: [...updates, ...this.countItems(pending, recordId)] }));
        return pending.map(({ sms }) => sms.smsId);
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        pending = pending.filter((_, i) => reasons[i]?.Code !== 'ConditionalCheckFailed');
      }
    }
    return [];
  }

  private finalUpdate(sms: SentSms, receipt: DeliveryReceipt): TransactItem {
    const index = sms.messageId && sms.customerId ? smsKeys.byStatus(sms.messageId, receipt.status, sms.customerId) : undefined;
    return {
      Update: {
        TableName: this.table.name,
        Key: smsKeys.item(sms.smsId),
        UpdateExpression: `SET #status = :status, providerResponse = :response, priceUsd = :price, receiptAt = :at${receipt.reason ? ', reason = :reason' : ''}${index ? ', gsi1pk = :gsi1pk' : ''}`,
        ConditionExpression: '#status = :sent',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': receipt.status,
          ':sent': 'sent',
          ':response': receipt.providerResponse,
          ':price': receipt.priceUsd,
          ':at': receipt.at,
          ...(receipt.reason && { ':reason': receipt.reason }),
          ...(index && { ':gsi1pk': index.gsi1pk }),
        },
      },
    };
  }

  /** One counts item per message, and one counter update per product, for the receipts applied together. */
  private countItems(applied: Array<{ sms: SentSms; receipt: DeliveryReceipt }>, recordId: string): TransactItem[] {
    const perMessage = new Map<string, ReceiptCounts>();
    const perProduct = new Map<string, { delivered: number; priceUsd: number }>();
    for (const { sms, receipt } of applied) {
      if (sms.messageId) {
        const c = perMessage.get(sms.messageId) ?? { delivered: 0, undelivered: 0, undeliveredByReason: {}, priceUsd: 0 };
        if (receipt.status === 'delivered') c.delivered++;
        else {
          c.undelivered++;
          const reason = receipt.reason ?? 'unknown';
          c.undeliveredByReason[reason] = (c.undeliveredByReason[reason] ?? 0) + 1;
        }
        c.priceUsd = round(c.priceUsd + receipt.priceUsd);
        perMessage.set(sms.messageId, c);
      }
      if (sms.productCode) {
        const p = perProduct.get(sms.productCode) ?? { delivered: 0, priceUsd: 0 };
        if (receipt.status === 'delivered') p.delivered++;
        p.priceUsd = round(p.priceUsd + receipt.priceUsd);
        perProduct.set(sms.productCode, p);
      }
    }
    return [
      ...[...perMessage].map(([messageId, counts]) => ({ Put: { TableName: this.table.name, Item: { ...receiptKeys.counts(messageId, recordId), type: RECEIPT_COUNTS, ...counts } } })),
      ...[...perProduct].map(([code, p]) => ({
        Update: {
          TableName: this.table.name,
          Key: productKeys.counters(code),
          UpdateExpression: 'ADD delivered :delivered, priceUsd :price SET #type = :type',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':delivered': p.delivered, ':price': p.priceUsd, ':type': 'ProductCounters' },
        },
      })),
    ];
  }

  async park(receipts: DeliveryReceipt[], parkedAt: string): Promise<void> {
    await this.table.batchWrite(receipts.map((r) => ({ put: { ...receiptKeys.parked(r.smsId), ...receiptKeys.parkedIndex(parkedAt, r.smsId), type: PARKED_RECEIPT, ...r, parkedAt } })));
  }

  async parked(limit: number): Promise<Array<DeliveryReceipt & { parkedAt: string }>> {
    const items = await this.table.queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': PARKED } }, limit);
    return items.map((item) => fromItem(parkedSchema, item, PARKED_RECEIPT));
  }

  async unpark(smsIds: string[]): Promise<void> {
    await this.table.batchWrite(smsIds.map((id) => ({ delete: receiptKeys.parked(id) })));
  }
}

/** Prices are fractions of a cent: sums kept to 8 decimals, free of float noise. */
function round(n: number): number {
  return Math.round(n * 1e8) / 1e8;
}
