export { SnsSmsSender, type SnsSmsOptions } from './sns-sms-sender.ts';
export { LambdaDispatchTrigger, SqsDeliveryQueue } from './delivery.ts';
export { EventBridgeMessageScheduler, EventBridgeReminderScheduler, releaseScheduleName, scheduleName, type SchedulerTarget } from './message-scheduler.ts';
