import type { Actor } from '../access.ts';
import { IPO_REMINDER_DAYS, reminderKey, reminderTime, renderIpoReminder, type IpoReminder, type IpoReminderDay, type IpoScheduled } from '../ipo.ts';
import type { ReminderScheduler } from '../ports/delivery.ts';
import type { ProductRepository } from '../ports/repositories.ts';
import type { Clock } from '../ports/system.ts';
import { localDate } from '../time.ts';
import type { PlatformMessagePublisher } from './messages/publisher.ts';

export interface IpoReminderConfig {
  /** `HH:MM` exchange-local (default 08:30). */
  time: string;
  timezone: string;
  templates: Record<IpoReminderDay, string>;
}

const SYSTEM: Actor = { actor: 'market', role: 'system', channel: 'event' };

/**
 * market/IpoScheduled -> one schedule per reminder day (subscription, listing), named by the IPO
 * and the day, so a re-sent or updated event replaces them; each fires `remind`, which publishes
 * one message per ipo-reminders product with an id of its own (IPO, day, product): a schedule
 * that fires twice, or a reminder asked for again, reaches nobody twice.
 */
export function createIpoReminderService(deps: {
  products: ProductRepository;
  publisher: PlatformMessagePublisher;
  scheduler: ReminderScheduler;
  clock: Clock;
  config: IpoReminderConfig;
}) {
  const { products, publisher, scheduler, clock, config } = deps;

  async function schedule(event: IpoScheduled): Promise<Array<{ day: IpoReminderDay; at?: string; outcome: 'scheduled' | 'sent-now' | 'removed' | 'past' }>> {
    const results = [];
    const now = clock.now();
    for (const day of IPO_REMINDER_DAYS) {
      const name = `ipo-${reminderKey(event.ipoId, day)}`;
      const date = day === 'subscription' ? event.subscriptionDate : event.listingDate;
      if (!date) {
        // The update dropped this day (e.g. the listing date is not known any more).
        await scheduler.deleteReminder(name);
        results.push({ day, outcome: 'removed' as const });
        continue;
      }
      const reminder: IpoReminder = { ipoId: event.ipoId, day, date, stockCode: event.stockCode, stockName: event.stockName };
      const at = reminderTime(date, config.time, config.timezone);
      if (at > now) {
        await scheduler.upsertReminder(name, at, reminder);
        results.push({ day, at: at.toISOString(), outcome: 'scheduled' as const });
      } else if (localDate(now, config.timezone) === date) {
        // Announced on the day itself, after the reminder time: remind now rather than never.
        await scheduler.deleteReminder(name);
        await remind(reminder);
        results.push({ day, at: now.toISOString(), outcome: 'sent-now' as const });
      } else {
        await scheduler.deleteReminder(name);
        results.push({ day, outcome: 'past' as const });
      }
    }
    return results;
  }

  /** The schedule fired: the reminder to every active subscriber of each listed ipo-reminders product. */
  async function remind(reminder: IpoReminder): Promise<string[]> {
    const reminded = (await products.list()).filter((p) => p.kind === 'ipo-reminders' && p.listed);
    const messageIds = [];
    for (const product of reminded) {
      const messageId = `IPO${reminderKey(reminder.ipoId, reminder.day, product.code)}`;
      await publisher.publishOnce(messageId, { productCode: product.code, body: renderIpoReminder(reminder, config.templates) }, SYSTEM);
      messageIds.push(messageId);
    }
    return messageIds;
  }

  return { schedule, remind };
}

export type IpoReminderService = ReturnType<typeof createIpoReminderService>;
