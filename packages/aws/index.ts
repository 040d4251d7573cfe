export { SnsSmsSender, type SnsSmsOptions } from './sns-sms-sender.ts';
export { LambdaDispatchTrigger, SqsDeliveryQueue } from './delivery.ts';
export { EventBridgeMessageScheduler, EventBridgeReminderScheduler, EventBridgeSurveyScheduler, releaseScheduleName, scheduleName, surveyScheduleName, type SchedulerTarget } from './message-scheduler.ts';
