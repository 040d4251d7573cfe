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

/** Daily schedules: `hour:minute` in `timezone` (EventBridge Scheduler `cron(m h * * ? *)`). */
export const RECURRING_SCHEDULES = [
  { name: 'loyalty-daily', hour: 1, minute: 0, timezone: 'Asia/Shanghai', target: 'loyalty' },
] as const;

export type EventTarget = (typeof EVENT_RULES)[number]['target'];
export type ScheduleTarget = (typeof RECURRING_SCHEDULES)[number]['target'];

/**
 * The delivery queue (dispatcher -> sender): the event source mapping's batch size and maximum
 * concurrency, and the receives before the DLQ. The stack and the local SQS stand-in both use it.
 */
export const DELIVERY_QUEUE = { batchSize: 10, maxConcurrency: 10, maxReceiveCount: 5 } as const;
