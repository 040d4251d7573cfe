import { composeSms } from '../delivery-rules.ts';
import { SmsThrottledError } from '../errors.ts';
import type { OutboundSms, SmsSender } from '../ports/delivery.ts';
import type { SmsLogRepository } from '../ports/repositories.ts';
import type { Clock } from '../ports/system.ts';
import { retry, type RetryPolicy, type Sleep } from '../retry.ts';

export type GuardedSendResult<R> = { outcome: 'sent'; messageId: string } | { outcome: 'stopped'; reason: R };

export interface SendGuards<R> {
  /** Waits for this attempt's send slot: each attempt, a retry included, takes a slot of its own. */
  pace?: () => Promise<void>;
  /** Checked just before each attempt (and before waiting for its slot): a reason not to send after all. */
  guard?: () => Promise<R | undefined>;
}

/** Replies and alerts: a few quick retries. */
export const REPLY_RETRIES: RetryPolicy = { maxAttempts: 5, baseMs: 100, capMs: 3200 };
/** Broadcast recipients: more patience, the batch has time. */
export const BROADCAST_RETRIES: RetryPolicy = { maxAttempts: 6, baseMs: 50, capMs: 2000 };

/**
 * The one place SMS throttling is retried: jittered back-off up to an attempt limit, a new send
 * slot per attempt where a budget paces the sends. The channel underneath must not retry by
 * itself (the SNS client has maxAttempts 1), or a throttled SMS would go again outside its slot.
 * A rejection (bad number, ...) is not retried; after the last attempt the error is thrown.
 */
export class RetryingSmsSender implements SmsSender {
  constructor(
    private readonly channel: SmsSender,
    private readonly policy: RetryPolicy,
    private readonly sleep: Sleep,
  ) {}

  async send(sms: OutboundSms): Promise<{ messageId: string }> {
    const result = await this.sendGuarded<never>(sms, {});
    if (result.outcome !== 'sent') throw new Error('unreachable: no guard was given');
    return { messageId: result.messageId };
  }

  async sendGuarded<R>(sms: OutboundSms, guards: SendGuards<R>): Promise<GuardedSendResult<R>> {
    return retry(
      async () => {
        if (guards.pace) {
          // Not before the state says the recipient may still get it; checked again after the wait.
          const early = await guards.guard?.();
          if (early !== undefined) return { outcome: 'stopped', reason: early };
          await guards.pace();
        }
        const stop = await guards.guard?.();
        if (stop !== undefined) return { outcome: 'stopped', reason: stop };
        const { messageId } = await this.channel.send(sms);
        return { outcome: 'sent', messageId };
      },
      { ...this.policy, retryable: (error) => error instanceof SmsThrottledError, sleep: this.sleep },
    );
  }
}

/**
 * A reply to one number (a keyword's answer, a complaint's resolution): transactional, signed,
 * without the promotional footer, retried when throttled, and recorded under its SNS MessageId
 * (kind `reply`) so that its receipt and the client's SMS history find it.
 */
export function createReplySender(deps: { sender: SmsSender; smsLog: SmsLogRepository; clock: Clock; sleep: Sleep; signature: string }) {
  const retrying = new RetryingSmsSender(deps.sender, REPLY_RETRIES, deps.sleep);
  return async (reply: { to: string; text: string; customerId?: string }): Promise<void> => {
    const body = composeSms(reply.text, { signature: deps.signature, promotional: false });
    const { messageId } = await retrying.send({ to: reply.to, body, smsType: 'Transactional' });
    const sentAt = deps.clock.now().toISOString();
    await deps.smsLog.record([{ smsId: messageId, kind: 'reply', ...(reply.customerId && { customerId: reply.customerId }), phone: reply.to, body, status: 'sent', sentAt }]);
  };
}
