import { gzipSync } from 'node:zlib';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import type { SmsDeliveryStatus } from '../../events/index.ts';
import { lambdaContext } from './http-helpers.ts';
import type { OutboxItem } from './outbox.ts';

export const CARRIER_OUTCOMES = ['delivered', 'invalid-number', 'unreachable', 'blocked'] as const;
export type CarrierOutcome = (typeof CARRIER_OUTCOMES)[number];

/** What SNS writes in `delivery.providerResponse` for each outcome (the reasons the receipts function reads back). */
const PROVIDER_RESPONSES: Record<CarrierOutcome, string> = {
  delivered: 'Message has been accepted by phone carrier',
  'invalid-number': 'Invalid phone number',
  unreachable: 'Phone is currently unreachable/unavailable',
  blocked: 'Phone has blocked SMS',
};

/** Log events per subscription payload (CloudWatch Logs batches them; a payload stays well under 1 MB). */
const RECORDS_PER_PAYLOAD = 500;

/** A price per SMS segment, as SNS reports it (USD, to China mainland). */
const PRICE_PER_SMS_USD = 0.01854;

/** The log groups SNS writes SMS delivery status to, for this (local) account and region. */
export function deliveryLogGroups(region: string, account: string) {
  const success = `sns/${region}/${account}/DirectPublishToPhoneNumber`;
  return { success, failure: `${success}/Failure` };
}

type ReceiptsHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The carrier behind the SNS stand-in: each accepted SMS gets the outcome set for its number
 * (`POST /local/sms/carrier`, delivered by default), written as the SNS delivery-status log record,
 * and handed, wrapped as a CloudWatch Logs subscription delivers it, to the receipts function.
 */
export class LocalCarrier {
  private readonly outcomes = new Map<string, CarrierOutcome>();
  private pending: OutboxItem[] = [];
  private handler: ReceiptsHandler | undefined;
  /** While true, receipts wait (a benchmark measures sending and receipts apart); flush() sends them once it is false. */
  holdReceipts = false;
  private readonly groups = deliveryLogGroups(process.env.AWS_REGION ?? 'us-east-1', '000000000000');

  /** From now on, SMS to `phone` meet `outcome`. */
  setOutcome(phone: string, outcome: CarrierOutcome): void {
    if (outcome === 'delivered') this.outcomes.delete(phone);
    else this.outcomes.set(phone, outcome);
  }

  /** The receipts function the subscription filters call (set once the handlers are loaded). */
  connect(handler: ReceiptsHandler): void {
    this.handler = handler;
  }

  /** An SMS SNS accepted: its receipt comes at the next flush. */
  accepted(item: OutboxItem): void {
    this.pending.push(item);
  }

  get hasPending(): boolean {
    return !this.holdReceipts && this.pending.length > 0;
  }

  /**
   * The receipts of every SMS accepted so far, through the receipts function: payloads of at most
   * RECORDS_PER_PAYLOAD log events per log group (as each subscription filter delivers them); the
   * outbox items then show their receipt.
   */
  async flush(): Promise<void> {
    if (!this.handler || !this.hasPending) return;
    const items = this.pending;
    this.pending = [];
    const records = items.map((item) => ({ item, outcome: this.outcomes.get(item.to) ?? 'delivered', record: this.record(item) }));
    for (const [group, ofGroup] of [
      [this.groups.success, records.filter((r) => r.outcome === 'delivered')],
      [this.groups.failure, records.filter((r) => r.outcome !== 'delivered')],
    ] as const) {
      for (let i = 0; i < ofGroup.length; i += RECORDS_PER_PAYLOAD) {
        const payload = ofGroup.slice(i, i + RECORDS_PER_PAYLOAD);
        await this.handler(subscriptionEvent(group, payload.map((r) => r.record)), lambdaContext('delivery-receipts'));
        for (const { item, outcome } of payload) item.receipt = outcome === 'delivered' ? 'delivered' : 'undelivered';
      }
    }
  }

  /** The record SNS writes for this SMS (the format of the AWS documentation's examples). */
  private record(item: OutboxItem): SmsDeliveryStatus {
    const outcome = this.outcomes.get(item.to) ?? 'delivered';
    const failed = outcome !== 'delivered';
    return {
      notification: { messageId: item.snsMessageId, timestamp: item.at.replace('T', ' ').replace('Z', '') },
      delivery: {
        ...(!failed && { phoneCarrier: 'Local Carrier' }),
        mnc: failed ? 0 : 1,
        destination: item.to,
        priceInUSD: PRICE_PER_SMS_USD,
        smsType: item.smsType,
        mcc: failed ? 0 : 460,
        providerResponse: PROVIDER_RESPONSES[outcome],
        dwellTimeMs: 300,
        dwellTimeMsUntilDeviceAck: 900,
      },
      status: failed ? 'FAILURE' : 'SUCCESS',
    };
  }
}

/** `{ awslogs: { data } }`: the records as log events, gzipped and base64-encoded, as a subscription filter delivers them. */
export function subscriptionEvent(logGroup: string, records: unknown[]) {
  const now = Date.now();
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '000000000000',
    logGroup,
    logStream: ulid(),
    subscriptionFilters: ['delivery-receipts'],
    logEvents: records.map((record) => ({ id: ulid(), timestamp: now, message: JSON.stringify(record) })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}
