import { SmsThrottledError, type OutboundSms, type SmsSender } from '../core/index.ts';
import type { LocalOutbox } from './outbox.ts';
import type { SmsQuota } from './sms-quota.ts';

/**
 * The SNS stand-in as an SmsSender port: the account's quota first (throttled above it, as
 * SNS throttles Publish), then the outbox. The HTTP stand-in at /local/aws/sns does the same for
 * handlers that keep their SNS client; both count against one quota and fill one outbox.
 */
export class LocalSmsStandIn implements SmsSender {
  constructor(
    private readonly outbox: LocalOutbox,
    private readonly quota: SmsQuota,
    /** Counts each call as the HTTP stand-in counts its requests (`SNS.Publish`). */
    private readonly requests: Record<string, number> = {},
  ) {}

  async send(sms: OutboundSms): Promise<{ messageId: string }> {
    this.requests['SNS.Publish'] = (this.requests['SNS.Publish'] ?? 0) + 1;
    if (!this.quota.take()) throw new SmsThrottledError(`Rate exceeded: the account's SMS quota is ${this.quota.perSecond} per second`);
    return this.outbox.send(sms);
  }
}
