export { SnsSmsSender, type SnsSmsOptions } from './sns-sms-sender.ts';
export { LambdaDispatchTrigger, SqsDeliveryQueue } from './delivery.ts';
