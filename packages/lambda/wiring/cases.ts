import * as z from 'zod';
import {
  createCaseService,
  createSurveyService,
  type CaseRepository,
  type MessageRepository,
  type OperationRepository,
  type PhoneRepository,
  type PlatformMessagePublisher,
  type ProductRepository,
  type SmsLogRepository,
  type SmsSender,
  type SurveyRepository,
  type SurveyScheduler,
  type UnitOfWork,
} from '../../core/index.ts';
import { pointsServiceFromEnv, type PointsRepositories, type pointsEnv } from './customers.ts';
import { contentRules, type messagesEnv } from './messages.ts';
import { schedulerEnv } from './scheduling.ts';
import { tableEnv, type System } from './env.ts';

/** Cases for staff: lists, and closes (a complaint's resolution texted; a suggestion's bonus credited once). */
export function caseServiceFromEnv(
  config: z.infer<typeof pointsEnv> & { SMS_SIGNATURE: string },
  repos: PointsRepositories & { cases: CaseRepository; phones: PhoneRepository; operations: OperationRepository; smsLog: SmsLogRepository },
  sender: SmsSender,
  system: System,
) {
  return createCaseService({ ...repos, ...system, sender, points: pointsServiceFromEnv(config, repos, system), config: { signature: config.SMS_SIGNATURE } });
}

/** Schedules that close surveys invoke the supervision function (SUPERVISION_ARN). */
export const surveyScheduleEnv = schedulerEnv.extend({ SUPERVISION_ARN: z.string().min(1) });

/** Satisfaction surveys: the question through the broadcast pipeline, a window closed by a schedule. */
export function surveyServiceFromEnv(
  config: z.infer<typeof messagesEnv>,
  repos: { surveys: SurveyRepository; messages: MessageRepository; products: ProductRepository; unitOfWork: UnitOfWork },
  ports: { publisher: PlatformMessagePublisher; scheduler: SurveyScheduler },
  system: System,
) {
  return createSurveyService({ ...repos, ...ports, ...system, config: { contentRules: contentRules(config) } });
}

export const supervisionEnv = tableEnv;

/** The overdue counts the supervision schedule turns into metrics. */
export function caseWatchFromEnv(repos: { cases: CaseRepository }, system: System) {
  return {
    countOverdue: async () => {
      const at = system.clock.now().toISOString();
      return { complaint: await repos.cases.countOverdue('complaint', at), 'follow-up': await repos.cases.countOverdue('follow-up', at) };
    },
  };
}
