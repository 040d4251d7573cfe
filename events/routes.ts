/**
 * Which function each consumed event and each recurring schedule reaches. The CDK stack builds
 * its EventBridge rules and Scheduler schedules from these lists, and the local runtime its bus
 * and scheduler, so the two cannot route differently. `target` names a folder under functions/.
 */
export const EVENT_RULES = [
  { name: 'CommissionCharged', source: 'trading', detailType: 'CommissionCharged', target: 'points-events' },
  { name: 'CustomerReferred', source: 'crm', detailType: 'CustomerReferred', target: 'points-events' },
  { name: 'AccountEvent', source: 'trading', detailType: 'AccountEvent', target: 'account-alerts' },
  { name: 'IpoScheduled', source: 'market', detailType: 'IpoScheduled', target: 'ipo-reminders' },
] as const;

/**
 * Recurring schedules: `hour:minute` in `timezone`, every day or Monday to Friday only
 * (EventBridge Scheduler `cron(m h * * ? *)` / `cron(m h ? * MON-FRI *)`); the target gets
 * `{ scheduledTime, ...input }`.
 */
export const RECURRING_SCHEDULES: ReadonlyArray<{
  name: string;
  hour: number;
  minute: number;
  timezone: string;
  weekdaysOnly?: boolean;
  target: 'loyalty' | 'product-slots';
  input?: Record<string, string>;
}> = [
  { name: 'loyalty-daily', hour: 1, minute: 0, timezone: 'Asia/Shanghai', target: 'loyalty' },
  // Product slots: what product managers queued for a slot goes out at its next occurrence (trading days only).
  { name: 'slot-morning', hour: 8, minute: 45, timezone: 'Asia/Shanghai', weekdaysOnly: true, target: 'product-slots', input: { slot: 'morning' } },
];

/**
 * Schedules at a fixed rate: parked delivery receipts (those that came before their SMS was
 * recorded) tried again, and dropped, counted, once older than the receipt wait; open complaints
 * and follow-ups past their due time counted into the metrics the overdue alarm watches.
 */
export const RATE_SCHEDULES: ReadonlyArray<{ name: string; everyMinutes: number; target: 'delivery-receipts' | 'supervision'; input: Record<string, unknown> }> = [
  { name: 'receipts-retry-parked', everyMinutes: 15, target: 'delivery-receipts', input: { retryParked: true } },
  { name: 'cases-overdue', everyMinutes: 15, target: 'supervision', input: { task: 'count-overdue-cases' } },
];

/** The product slots messages can be queued for (POST /admin/messages `slot`), from the schedules above. */
export const PRODUCT_SLOTS = RECURRING_SCHEDULES.filter((s) => s.target === 'product-slots').map((s) => ({ name: s.input!.slot!, timezone: s.timezone }));

export type EventTarget = (typeof EVENT_RULES)[number]['target'];
export type ScheduleTarget = (typeof RECURRING_SCHEDULES)[number]['target'];

/**
 * The delivery queue (dispatcher -> sender): the event source mapping's batch size and maximum
 * concurrency, and the receives before the DLQ. The stack and the local SQS stand-in both use it.
 * One recipient batch (100 recipients) per invocation: paced by a low MPS budget shared by ten
 * senders, one batch can take minutes, and an invocation must end well within its timeout.
 */
export const DELIVERY_QUEUE = { batchSize: 1, maxConcurrency: 10, maxReceiveCount: 5 } as const;
