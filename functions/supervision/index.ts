import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { ValidationError, createSurveyWindows } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import { caseWatchFromEnv, emitCount, fieldErrors, loadConfig, logger, supervisionEnv, system } from '../../packages/lambda/index.ts';

const config = loadConfig(supervisionEnv);
const repositories = tableRepositories(config.TABLE_NAME);
const windows = createSurveyWindows({ ...repositories, ...system });
const watch = caseWatchFromEnv(repositories, system);

/** What the schedules send: a survey's window ends (one-time, `survey-<id>`), the overdue count (every 15 minutes). */
const inputSchema = z.discriminatedUnion('task', [
  z.strictObject({ task: z.literal('close-survey'), surveyId: z.string().min(1).max(40) }),
  z.strictObject({ task: z.literal('count-overdue-cases') }),
]);

/**
 * Supervision schedules: a survey closes at the end of its window; the open complaints and
 * follow-ups past their due time are counted into metrics, which the stack's alarm watches.
 */
export const handler = middy(async (event: unknown) => {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Expected { task: "close-survey", surveyId } or { task: "count-overdue-cases" }', fieldErrors(parsed.error));
  if (parsed.data.task === 'close-survey') {
    const outcome = await windows.closeSurvey(parsed.data.surveyId);
    logger.info('survey window ended', { surveyId: parsed.data.surveyId, outcome });
    return { outcome };
  }
  const overdue = await watch.countOverdue();
  emitCount('OverdueComplaints', overdue.complaint);
  emitCount('OverdueFollowUps', overdue['follow-up']);
  logger.info('overdue cases', overdue);
  return overdue;
}).use(injectLambdaContext(logger));
