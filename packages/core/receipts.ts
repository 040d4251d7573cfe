/**
 * Delivery receipts (服务留痕): what the carrier reported for each SMS the platform sent, read from
 * SNS delivery-status logs. Every SMS is recorded under the SNS MessageId the publish returned,
 * with what it belongs to (a broadcast, a reminder, an alert, a reply), so a receipt finds it.
 */
export const SMS_KINDS = ['broadcast', 'reminder', 'alert', 'reply'] as const;
export type SmsKind = (typeof SMS_KINDS)[number];

export const UNDELIVERED_REASONS = ['invalid-number', 'unreachable', 'blocked', 'expired', 'unknown'] as const;
export type UndeliveredReason = (typeof UNDELIVERED_REASONS)[number];

export const SMS_STATUSES = ['sent', 'delivered', 'undelivered', 'failed'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

/** One SMS the platform sent (or tried to: `failed` was never accepted). */
export interface SentSms {
  /** The SNS MessageId (a generated id for one SNS never accepted). */
  smsId: string;
  kind: SmsKind;
  messageId?: string;
  productCode?: string;
  customerId?: string;
  phone: string;
  /** The text, for SMS that are not a stored message (alerts, replies). */
  body?: string;
  status: SmsStatus;
  reason?: UndeliveredReason;
  providerResponse?: string;
  priceUsd?: number;
  sentAt: string;
  receiptAt?: string;
}

/** One record of an SNS SMS delivery-status log, as the platform reads it. */
export interface DeliveryReceipt {
  smsId: string;
  status: 'delivered' | 'undelivered';
  reason?: UndeliveredReason;
  providerResponse: string;
  priceUsd: number;
  destination: string;
  at: string;
}

/**
 * The reason in a carrier's words: SNS reports free text (`Invalid phone number`, `Phone is
 * currently unreachable/unavailable`, `Phone has blocked SMS`, ...); unrecognised text is `unknown`.
 */
export function undeliveredReason(providerResponse: string): UndeliveredReason {
  const text = providerResponse.toLowerCase();
  if (/invalid|not a valid|does not exist|unknown subscriber|not in service|unallocated/.test(text)) return 'invalid-number';
  if (/block|opted out|spam|blacklist|barred/.test(text)) return 'blocked';
  if (/expired|timed out|ttl/.test(text)) return 'expired';
  if (/unreachable|unavailable|absent|switched off/.test(text)) return 'unreachable';
  return 'unknown';
}

/** A receipt that counts towards a number's deliverability: delivered, or invalid-number. */
export interface CountedReceipt {
  smsId: string;
  at: string;
  outcome: 'delivered' | 'invalid-number';
}

/** Two `invalid-number` receipts in a row make a number undeliverable; a delivered one in between starts the count again. */
export const INVALID_RECEIPTS_TO_SUPPRESS = 2;

/** How many of a number's latest counted receipts are kept: enough to place a late one among them. */
export const RECENT_RECEIPTS_KEPT = 4;

/**
 * A number's latest counted receipts with this one among them, in the carrier's time order
 * (receipts come late and out of order); undefined when it changes nothing: `unreachable`,
 * `blocked` and the like neither count nor suppress, and a receipt already counted counts once.
 */
export function withReceipt(recent: readonly CountedReceipt[], receipt: Pick<DeliveryReceipt, 'smsId' | 'status' | 'reason' | 'at'>): CountedReceipt[] | undefined {
  const outcome: CountedReceipt['outcome'] | undefined = receipt.status === 'delivered' ? 'delivered' : receipt.reason === 'invalid-number' ? 'invalid-number' : undefined;
  if (!outcome || recent.some((r) => r.smsId === receipt.smsId)) return undefined;
  const all = [...recent, { smsId: receipt.smsId, at: receipt.at, outcome }].sort((a, b) => a.at.localeCompare(b.at) || a.smsId.localeCompare(b.smsId));
  const kept = all.slice(-RECENT_RECEIPTS_KEPT);
  // Older than every receipt kept: it cannot change the latest run.
  return kept.some((r) => r.smsId === receipt.smsId) ? kept : undefined;
}

/** Undeliverable: the latest receipts, in time order, end with INVALID_RECEIPTS_TO_SUPPRESS invalid-number ones. */
export function isUndeliverable(recent: readonly CountedReceipt[]): boolean {
  const last = recent.slice(-INVALID_RECEIPTS_TO_SUPPRESS);
  return last.length === INVALID_RECEIPTS_TO_SUPPRESS && last.every((r) => r.outcome === 'invalid-number');
}
