import { createHash } from 'node:crypto';
import { composeSms } from '../../delivery-rules.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { Message, MessageView } from '../../message.ts';
import type { MessageRepository } from '../../ports/repositories.ts';
import type { Clock } from '../../ports/system.ts';
import { estimateSegments } from '../../segments.ts';

/** How a message's SMS is composed: the brokerage's signature first, the promotional footer last. */
export interface MessageTextConfig {
  signature: string;
  /** The unsubscribe footer of promotional messages (default 回TD退订). */
  footer?: string;
  /** The most SMS segments one composed message may take (default 10): a longer one is refused. */
  maxSegments?: number;
  /** The line naming an investment adviser, `{name}` and `{code}` filled (default 投资顾问：{name}（执业编号{code}）). */
  adviserLine?: string;
  /** The risk warning after the adviser line (default 投资有风险，入市需谨慎。). */
  riskWarning?: string;
}

export const DEFAULT_MAX_SEGMENTS = 10;
export const DEFAULT_ADVISER_LINE = '投资顾问：{name}（执业编号{code}）';
export const DEFAULT_RISK_WARNING = '投资有风险，入市需谨慎。';

/** The SMS exactly as each recipient gets it: signature, body, the adviser line and risk warning (advice), footer (promotional). */
export function messageText(message: Pick<Message, 'body' | 'smsType' | 'adviser'>, config: MessageTextConfig): string {
  const advice = message.adviser
    ? `${(config.adviserLine ?? DEFAULT_ADVISER_LINE).replace('{name}', message.adviser.name).replace('{code}', message.adviser.registrationCode)}${config.riskWarning ?? DEFAULT_RISK_WARNING}`
    : '';
  return composeSms(`${message.body}${advice}`, { signature: config.signature, promotional: message.smsType === 'Promotional', ...(config.footer && { footer: config.footer }) });
}

/** SHA-256 of the composed text: a review approves exactly this, and the send path sends only this. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Refuses a composed SMS longer than the configured segments (400 naming `field`). */
export function assertWithinSegments(text: string, maxSegments: number | undefined, field: string): number {
  const { segments } = estimateSegments(text);
  const max = maxSegments ?? DEFAULT_MAX_SEGMENTS;
  if (segments > max) {
    throw new ValidationError('The SMS is too long', [{ field, message: `the composed SMS takes ${segments} segments; at most ${max} are allowed` }]);
  }
  return segments;
}

/** Messages whose recipients reach this need two approvals from different reviewers. */
export interface ReviewRules {
  twoApproversFrom: number;
}

export function approvalsRequired(recipients: number, rules: ReviewRules): number {
  return recipients >= rules.twoApproversFrom ? 2 : 1;
}

/**
 * Status and counts of a message, summed from its batches' outcome records (no counter is
 * updated per recipient): recipients = sent + failed + skipped + deferred; with the text as sent,
 * its hash, and the review history.
 */
/** How long a receipt may lag its SMS before it counts as overdue (SNS: up to 72 hours). */
export const DEFAULT_RECEIPT_WAIT_HOURS = 72;

export async function viewMessage(messages: MessageRepository, messageId: string, config: { text: MessageTextConfig; review: ReviewRules; receiptWaitHours?: number }, clock: Clock): Promise<MessageView> {
  const message = await messages.get(messageId);
  if (!message) throw new NotFoundError('Message', messageId);
  const counts = await messages.counts(messageId);
  const skipped = Object.values(counts.skipped).reduce((a, b) => a + (b ?? 0), 0);
  // Nobody receives a cancelled message (or one never approved): its counts start at 0.
  const recipients = message.recipients ?? (message.status === 'cancelled' ? 0 : message.estimate.recipients);
  const done = message.recipients !== undefined && counts.deferred === 0 && counts.sent + counts.failed + skipped === message.recipients;
  const text = messageText(message, config.text);
  const { delivered, undelivered, undeliveredByReason, priceUsd } = counts.receipts;
  const awaitingReceipt = Math.max(0, counts.sent - delivered - undelivered);
  const waitMs = (config.receiptWaitHours ?? DEFAULT_RECEIPT_WAIT_HOURS) * 3_600_000;
  const overdue = counts.lastBatchAt !== undefined && clock.now().getTime() - Date.parse(counts.lastBatchAt) > waitMs;
  return {
    messageId,
    kind: message.kind ?? 'broadcast',
    productCode: message.productCode,
    status: message.status === 'sending' && done ? 'sent' : message.status,
    body: message.body,
    text,
    contentHash: message.contentHash ?? contentHash(text),
    ...(message.adviser && { adviser: message.adviser }),
    createdAt: message.createdAt,
    createdBy: message.createdBy,
    ...(message.sendAt && { sendAt: message.sendAt }),
    ...(message.slot && { slot: message.slot }),
    ...(message.reviewRequired && {
      review: { required: true, approvals: message.approvals ?? [], approvalsRequired: approvalsRequired(message.estimate.recipients, config.review) },
    }),
    reviews: message.reviews ?? [],
    estimate: message.estimate,
    counts: {
      recipients,
      sent: counts.sent,
      failed: counts.failed,
      skipped,
      deferred: counts.deferred,
      ...(counts.heldUntil && { heldUntil: counts.heldUntil }),
      skippedByReason: counts.skipped as Record<string, number>,
      delivered,
      undelivered,
      undeliveredByReason: undeliveredByReason as Record<string, number>,
      priceUsd,
      awaitingReceipt,
      receiptsOverdue: overdue ? awaitingReceipt : 0,
    },
  };
}
