import { ulid } from 'ulid';
import * as z from 'zod';
import { DEFAULT_COMPLAINT_RESPONSE_HOURS, DEFAULT_FOLLOW_UP_HOURS, DEFAULT_RECEIPT_WAIT_HOURS, tierThresholdsSchema, type Clock, type FeedbackConfig, type IdGenerator } from '../../core/index.ts';
import { parseJsonEnv } from '../config.ts';

/**
 * Environment fragments every function composes its configuration from (read and validated once,
 * at cold start, by loadConfig): each function reads exactly the variables of what it runs.
 */
export const tableEnv = z.object({ TABLE_NAME: z.string().min(1) });

/** The stage's key for the page cursors a function hands out (opaque and tamper-evident; see packages/dynamo/cursor.ts). */
export const cursorEnv = z.object({ CURSOR_SECRET: z.string().min(32, 'at least 32 characters') });

/** Who clients are: tiers, the region of numbers without a country code, the default time zone. */
export const customerRulesEnv = z.object({
  TIER_THRESHOLDS: z.string().transform(parseJsonEnv).pipe(tierThresholdsSchema).optional(),
  DEFAULT_PHONE_REGION: z.string().length(2).default('CN'),
  DEFAULT_TIMEZONE: z.string().default('Asia/Shanghai'),
});

/** How long a receipt may lag its SMS (SNS: up to 72 hours): the message counts call those without one by then overdue, and the receipts function drops a parked receipt older than this. */
export const receiptWaitEnv = z.object({
  RECEIPT_WAIT_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(DEFAULT_RECEIPT_WAIT_HOURS),
});

/** Client feedback: how soon a complaint is answered (the reply promises it) and a low score's follow-up is due. */
export const feedbackEnv = z.object({
  COMPLAINT_RESPONSE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(DEFAULT_COMPLAINT_RESPONSE_HOURS),
  FOLLOW_UP_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(DEFAULT_FOLLOW_UP_HOURS),
});

export function feedbackConfig(config: z.infer<typeof feedbackEnv>): FeedbackConfig {
  return { complaintResponseHours: config.COMPLAINT_RESPONSE_HOURS, followUpHours: config.FOLLOW_UP_HOURS };
}

/** How every SMS is signed, and the unsubscribe footer of promotional ones. */
export const smsTextEnv = z.object({
  SMS_SIGNATURE: z.string().default('【XX证券】'),
  SMS_PROMOTIONAL_FOOTER: z.string().default('回TD退订'),
  /** The most segments one SMS the platform composes may take; a longer one is refused, never sent. */
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(20).default(10),
});

/**
 * The platform's clock: real time in Lambda. The local runtime moves it ahead (POST
 * /local/scheduler/tick), so that everything a local run judges by time (quiet hours, windows,
 * expiries, caps, schedules) reads one clock; it then runs on from there.
 */
let offsetMs = 0;
export const systemClock: Clock = { now: () => new Date(Date.now() + offsetMs) };

/** Moves the clock ahead to `at` (the local runtime only; Lambda never calls it). */
export function advanceSystemClock(at: Date): void {
  offsetMs = Math.max(offsetMs, at.getTime() - Date.now());
}
export const ulidGenerator: IdGenerator = { next: () => ulid() };

/** What every service is given of the world: the time and new ids. */
export interface System {
  clock: Clock;
  ids: IdGenerator;
}

export const system: System = { clock: systemClock, ids: ulidGenerator };
