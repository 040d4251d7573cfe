import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeMessageScheduler } from '../../packages/aws/index.ts';
import type { CountryCode } from 'libphonenumber-js';
import { createAuditService, createCatalogService, createConsentService } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import {
  createHttpHandler,
  cursorEnv,
  customerServiceFromEnv,
  dispatchTriggerEnv,
  dispatchTriggerFromEnv,
  dispatcherScheduleEnv,
  loadConfig,
  messagePublisherFromEnv,
  messageReviewFromEnv,
  messageTextConfig,
  messagesEnv,
  packageServiceFromEnv,
  pointsEnv,
  pointsServiceFromEnv,
  schedulerTargetFromEnv,
  system,
} from '../../packages/lambda/index.ts';
import { adminRoutes } from './routes.ts';

/** Read once at cold start; a missing variable fails here, by name. */
const config = loadConfig(pointsEnv.extend(messagesEnv.shape).extend(cursorEnv.shape).extend(dispatchTriggerEnv.shape).extend(dispatcherScheduleEnv.shape));
const repositories = tableRepositories(config.TABLE_NAME, config.CURSOR_SECRET);
const trigger = dispatchTriggerFromEnv(config);
const scheduler = new EventBridgeMessageScheduler(new SchedulerClient({}), schedulerTargetFromEnv(config, config.DISPATCHER_ARN));

export const handler = createHttpHandler(
  adminRoutes({
    catalog: createCatalogService({ ...repositories, ...system }),
    customers: customerServiceFromEnv(config, repositories, system, messageTextConfig(config)),
    audit: createAuditService({ ...repositories, clock: system.clock }),
    points: pointsServiceFromEnv(config, repositories, system),
    packages: packageServiceFromEnv(config, repositories, system),
    messages: messagePublisherFromEnv(config, repositories, { trigger, scheduler }, system),
    reviews: messageReviewFromEnv(config, repositories, { trigger, scheduler }, system),
    consents: createConsentService({ ...repositories, defaultRegion: config.DEFAULT_PHONE_REGION as CountryCode }),
  }),
);
