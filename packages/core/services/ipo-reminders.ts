import type { Actor } from '../access.ts';
import { IPO_REMINDER_DAYS, reminderKey, reminderTime, renderIpoReminder, type IpoReminder, type IpoReminderDay, type IpoScheduled } from '../ipo.ts';
import type { Clock, Store } from '../ports.ts';
import { localDate } from '../time.ts';
import type { MessageService } from './messages.ts';

/** One-time schedules of IPO reminders (EventBridge Scheduler in AWS): create-or-replace and delete by name. */
export interface ReminderScheduler {
  upsertReminder(name: string, at: Date, reminder: IpoReminder): Promise<void>;
  /** Deleting a schedule that is gone already is not an error. */
  deleteReminder(name: string): Promise<void>;
}

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
export function createIpoReminderService(deps: { store: Store; clock: Clock; scheduler: ReminderScheduler; messages: MessageService; config: IpoReminderConfig }) {
  const { store, clock, scheduler, messages, config } = deps;

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
    const products = (await store.listProducts()).filter((p) => p.kind === 'ipo-reminders' && p.listed);
    const messageIds = [];
    for (const product of products) {
      const messageId = `IPO${reminderKey(reminder.ipoId, reminder.day, product.code)}`;
      await messages.publish({ productCode: product.code, body: renderIpoReminder(reminder, config.templates) }, SYSTEM, { messageId });
      messageIds.push(messageId);
    }
    return messageIds;
  }

  return { schedule, remind };
}

export type IpoReminderService = ReturnType<typeof createIpoReminderService>;
