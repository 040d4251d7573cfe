export { loadConfig, parseJsonEnv } from './config.ts';
export {
  createHttpHandler,
  createRouter,
  defineRoute,
  fieldErrors,
  parseGroupsClaim,
  type HttpEvent,
  type Route,
  type RouteResult,
} from './http.ts';
export { logger } from './logger.ts';
export { buildOpenApi } from './openapi.ts';
export { problemJson, problemResponse, problemType, toProblem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.ts';
export { advanceSystemClock, cursorEnv, customerRulesEnv, feedbackConfig, feedbackEnv, smsTextEnv, system, systemClock, tableEnv, ulidGenerator, type System } from './wiring/env.ts';
export { alertServiceFromEnv, alertsEnv } from './wiring/alerts.ts';
export { batchSenderEnv, batchSenderFromEnv } from './wiring/batch-sender.ts';
export { customerServiceFromEnv, customersEnv, packageServiceFromEnv, pointsEnv, pointsServiceFromEnv, type PointsRepositories } from './wiring/customers.ts';
export { inboundSmsEnv, inboundSmsServiceFromEnv } from './wiring/inbound-sms.ts';
export { ipoReminderServiceFromEnv, ipoRemindersEnv } from './wiring/ipo-reminders.ts';
export {
  messageDispatcherFromEnv,
  messagePublisherFromEnv,
  messageReviewFromEnv,
  contentRules,
  messageTextConfig,
  messagesEnv,
  platformPublisherFromEnv,
  slotReleaseEnv,
  slotReleaseFromEnv,
} from './wiring/messages.ts';
export { dispatchTriggerEnv, dispatchTriggerFromEnv, dispatcherScheduleEnv, schedulerEnv, schedulerTargetFromEnv } from './wiring/scheduling.ts';
export { smsChannelEnv, smsChannelFromEnv } from './wiring/sms-channel.ts';
export { emitCount } from './metrics.ts';
export { decodeDeliveryLogs, type DecodedDeliveryLogs } from './cloudwatch-logs.ts';
export { receiptServiceFromEnv, receiptsEnv } from './wiring/receipts.ts';
export { caseServiceFromEnv, caseWatchFromEnv, supervisionEnv, surveyScheduleEnv, surveyServiceFromEnv } from './wiring/cases.ts';
