import type { PhoneState } from './ports/repositories.ts';
import { subscriptionState, type Subscription } from './subscription.ts';
import { addCalendarDays, localDate, localParts, zonedTime } from './time.ts';

/**
 * The rules every send path applies at send time (replies, broadcasts, account alerts).
 */

export type SkipReason = 'opted-out' | 'undeliverable' | 'expired' | 'not-subscribed';

/**
 * The opt-out fence. A sender starts a publish at most SEND_STATE_MAX_AGE_MS after the read of
 * the recipient's opt-out and subscription state that cleared it (else it reads again), and
 * the confirmation of an opt-out or unsubscribe waits longer than that before it is sent: so
 * nothing that was cleared before the opt-out can reach the client after its confirmation.
 */
export const SEND_STATE_MAX_AGE_MS = 1000;
export const OPT_OUT_CONFIRMATION_DELAY_MS = 1250;

/** Why a broadcast or alert must not reach this recipient now, or undefined when it may. */
export function deliveryBlock(phone: PhoneState | undefined, subscription: Subscription | undefined, now: Date): SkipReason | undefined {
  if (phone?.optedOut) return 'opted-out';
  // Two invalid-number receipts in a row: no SNS call (a reply to the number's own text still goes).
  if (phone?.undeliverable) return 'undeliverable';
  if (!subscription) return 'not-subscribed';
  if (subscriptionState(subscription, now).status !== 'active') return 'expired';
  return undefined;
}

export interface QuietHours {
  /** Local `HH:MM` at which quiet hours start (default 21:00). */
  start: string;
  /** Local `HH:MM` at which they end (default 08:00). */
  end: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** `HH:MM-HH:MM` (e.g. `21:00-08:00`) as QuietHours; undefined for an invalid text. */
export function parseQuietHours(text: string): QuietHours | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return undefined;
  return { start: `${match[1]}:${match[2]}`, end: `${match[3]}:${match[4]}` };
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/**
 * When a promotional message may go out to a client in `timezone`: undefined when now is
 * outside quiet hours, else the instant they end (e.g. 08:00 local the next morning).
 */
export function quietHoursRelease(now: Date, timezone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date | undefined {
  const local = localParts(now, timezone);
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const inQuiet = start > end ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inQuiet) return undefined;
  const today = localDate(now, timezone);
  const releaseDay = start > end && minute >= start ? addCalendarDays(today, 1) : today;
  return zonedTime(releaseDay, Math.floor(end / 60), end % 60, timezone);
}

/** The text as sent: signature first; promotional messages end with the unsubscribe footer. */
export function composeSms(body: string, options: { signature: string; promotional: boolean; footer?: string }): string {
  const footer = options.promotional ? (options.footer ?? '回TD退订') : '';
  return `${options.signature}${body}${footer}`;
}
