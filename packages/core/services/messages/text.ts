import { composeSms } from '../../delivery-rules.ts';
import type { Message, MessageView } from '../../message.ts';
import type { MessageRepository } from '../../ports/repositories.ts';
import { NotFoundError } from '../../errors.ts';

/** How a message's SMS is composed: the brokerage's signature first, the promotional footer last. */
export interface MessageTextConfig {
  signature: string;
  /** The unsubscribe footer of promotional messages (default 回TD退订). */
  footer?: string;
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
