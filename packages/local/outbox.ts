import { ulid } from 'ulid';
import type { OutboundSms, SmsSender } from '../core/index.ts';

export interface OutboxItem extends OutboundSms {
  messageId: string;
  at: string;
}

/** The local SmsSender: keeps what would have been sent, like a mail catcher. */
export class LocalOutbox implements SmsSender {
  private readonly items: OutboxItem[] = [];

  /** `clock`: the local platform's one clock, which stamps each SMS. */
  constructor(private readonly clock: { now(): Date } = { now: () => new Date() }) {}

  async send(sms: OutboundSms): Promise<{ messageId: string }> {
    const item = { ...sms, messageId: ulid(), at: this.clock.now().toISOString() };
    this.items.push(item);
    return { messageId: item.messageId };
  }

  /** Oldest first; only messages to `to` when given. */
  list(to?: string): OutboxItem[] {
    return this.items.filter((i) => to === undefined || i.to === to);
  }
}
