/** IPO reminders: what `market/IpoScheduled` asks for, and when each reminder goes. */
import { zonedTime } from './time.ts';

export const IPO_REMINDER_DAYS = ['subscription', 'listing'] as const;
export type IpoReminderDay = (typeof IPO_REMINDER_DAYS)[number];

export interface IpoScheduled {
  ipoId: string;
  stockCode: string;
  stockName: string;
  /** `YYYY-MM-DD`, exchange local. */
  subscriptionDate: string;
  listingDate?: string;
}

/** One reminder as its schedule carries it. */
export interface IpoReminder {
  ipoId: string;
  day: IpoReminderDay;
  date: string;
  stockCode: string;
  stockName: string;
}

export const DEFAULT_IPO_REMINDER_TEMPLATES: Record<IpoReminderDay, string> = {
  subscription: '新股申购提醒：{stockName}（{stockCode}）今日开放申购。',
  listing: '新股上市提醒：{stockName}（{stockCode}）今日上市交易。',
};

export function renderIpoReminder(reminder: IpoReminder, templates: Record<IpoReminderDay, string>): string {
  const values: Record<string, string> = { stockName: reminder.stockName, stockCode: reminder.stockCode, date: reminder.date };
  return templates[reminder.day].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

/** The instant a reminder goes: `time` (`HH:MM`) on its date in the exchange's zone. */
export function reminderTime(date: string, time: string, timezone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return zonedTime(date, hour, minute, timezone);
}

/**
 * A short, stable identity for (IPO, day, product): the schedule name and the message id of the
 * reminder, so that the same reminder is one schedule and one message however often it is asked
 * for. cyrb53 (a 53-bit string hash), printed base 36.
 */
export function reminderKey(...parts: string[]): string {
  const text = parts.join('\u0000');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36).toUpperCase();
}
