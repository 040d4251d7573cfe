export { createLocalAuth, LOCAL_ISSUER, type LocalAuth } from './dev-token.ts';
export { LOCAL_AWS_ENV, assertJavaPresent, ensureTable, freePort, startDynamoDbLocal, JavaMissingError, type DynamoDbLocal } from './dynamodb-local.ts';
export { LocalEventBus, type LocalRule } from './event-bus.ts';
export { LocalOutbox } from './outbox.ts';
export { LocalScheduler } from './scheduler.ts';
export { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from './platform.ts';
export { LocalQueue } from './queue.ts';
export { SmsQuota } from './sms-quota.ts';
export { LocalSmsStandIn } from './sms-stand-in.ts';
