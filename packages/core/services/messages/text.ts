import { composeSms } from '../../delivery-rules.ts';
import type { Message, MessageView } from '../../message.ts';
import type { MessageRepository } from '../../ports/repositories.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { estimateSegments } from '../../segments.ts';

/** How a message's SMS is composed: the brokerage's signature first, the promotional footer last. */
export interface MessageTextConfig {
  signature: string;
  /** The unsubscribe footer of promotional messages (default 回TD退订). */
  footer?: string;
  /** The most SMS segments one composed message may take (default 10): a longer one is refused. */
  maxSegments?: number;
}

export const DEFAULT_MAX_SEGMENTS = 10;

/** Refuses a composed SMS longer than the configured segments (400 naming `field`). */
export function assertWithinSegments(text: string, maxSegments: number | undefined, field: string): number {
  const { segments } = estimateSegments(text);
  const max = maxSegments ?? DEFAULT_MAX_SEGMENTS;
  if (segments > max) {
    throw new ValidationError('The SMS is too long', [{ field, message: `the composed SMS takes ${segments} segments; at most ${max} are allowed` }]);
  }
  return segments;
}

/** The SMS exactly as each recipient gets it. */
export function messageText(message: Pick<Message, 'body' | 'smsType'>, config: MessageTextConfig): string {
  return composeSms(message.body, { signature: config.signature, promotional: message.smsType === 'Promotional', ...(config.footer && { footer: config.footer }) });
}

/**
 * Status and counts of a message, summed from its batches' outcome records (no counter is
 * updated per recipient): recipients = sent + failed + skipped + deferred.
 */
export async function viewMessage(messages: MessageRepository, messageId: string): Promise<MessageView> {
  const message = await messages.get(messageId);
  if (!message) throw new NotFoundError('Message', messageId);
  const counts = await messages.counts(messageId);
  const skipped = Object.values(counts.skipped).reduce((a, b) => a + (b ?? 0), 0);
  const recipients = message.recipients ?? message.estimate.recipients;
  const done = message.recipients !== undefined && counts.deferred === 0 && counts.sent + counts.failed + skipped === message.recipients;
  return {
    messageId,
    productCode: message.productCode,
    status: message.status === 'sending' && done ? 'sent' : message.status,
    ...(message.sendAt && { sendAt: message.sendAt }),
    ...(message.slot && { slot: message.slot }),
    estimate: message.estimate,
    counts: { recipients, sent: counts.sent, failed: counts.failed, skipped, deferred: counts.deferred, skippedByReason: counts.skipped as Record<string, number> },
  };
}
