import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeMessageScheduler, EventBridgeSurveyScheduler } from '../../packages/aws/index.ts';
import type { CountryCode } from 'libphonenumber-js';
import { createAuditService, createCatalogService, createConsentService } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import {
  caseServiceFromEnv,
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
  platformPublisherFromEnv,
  pointsServiceFromEnv,
  schedulerTargetFromEnv,
  smsChannelEnv,
  smsChannelFromEnv,
  surveyScheduleEnv,
  surveyServiceFromEnv,
  system,
} from '../../packages/lambda/index.ts';
import { adminRoutes } from './routes.ts';

/** Read once at cold start; a missing variable fails here, by name. */
const config = loadConfig(
  pointsEnv.extend(messagesEnv.shape).extend(cursorEnv.shape).extend(dispatchTriggerEnv.shape).extend(dispatcherScheduleEnv.shape).extend(surveyScheduleEnv.shape).extend(smsChannelEnv.shape),
);
const repositories = tableRepositories(config.TABLE_NAME, config.CURSOR_SECRET);
const trigger = dispatchTriggerFromEnv(config);
const schedulerClient = new SchedulerClient({});
const scheduler = new EventBridgeMessageScheduler(schedulerClient, schedulerTargetFromEnv(config, config.DISPATCHER_ARN));
const surveyScheduler = new EventBridgeSurveyScheduler(schedulerClient, schedulerTargetFromEnv(config, config.SUPERVISION_ARN));

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
    // Closing a complaint texts the client its resolution.
    cases: caseServiceFromEnv(config, repositories, smsChannelFromEnv(config), system),
    surveys: surveyServiceFromEnv(config, repositories, { publisher: platformPublisherFromEnv(config, repositories, trigger, system), scheduler: surveyScheduler }, system),
  }),
);
