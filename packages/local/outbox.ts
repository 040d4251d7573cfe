import { ulid } from 'ulid';
import type { OutboundSms, SmsSender } from '../core/index.ts';

export interface OutboxItem extends OutboundSms {
  /** The MessageId the SNS stand-in answered the publish with (what a delivery receipt names). */
  snsMessageId: string;
  at: string;
  /** Set once the carrier's receipt for this SMS was processed. */
  receipt?: 'delivered' | 'undelivered';
}

/** The local SmsSender: keeps what would have been sent, like a mail catcher. */
export class LocalOutbox implements SmsSender {
  private readonly items: OutboxItem[] = [];

  constructor(
    /** The local platform's one clock, which stamps each SMS. */
    private readonly clock: { now(): Date } = { now: () => new Date() },
    /** Told of each accepted SMS (the carrier stand-in, which produces its receipt). */
    private readonly onAccepted: (item: OutboxItem) => void = () => undefined,
  ) {}

  async send(sms: OutboundSms): Promise<{ messageId: string }> {
    const item: OutboxItem = { ...sms, snsMessageId: ulid(), at: this.clock.now().toISOString() };
    this.items.push(item);
    this.onAccepted(item);
    return { messageId: item.snsMessageId };
  }

  /** Oldest first; only messages to `to` when given. */
  list(to?: string): OutboxItem[] {
    return this.items.filter((i) => to === undefined || i.to === to);
  }
}
