import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { fieldErrors } from '../lambda/index.ts';
import { RequestBodyError, countAwsRequest, lambdaContext, parseJsonObject, readBody, send } from './http-helpers.ts';
import type { LocalFunction } from './lambda-api.ts';
import type { LocalScheduler } from './scheduler.ts';

export interface SchedulerApiDeps {
  /** Functions a schedule may target, by name. */
  lambdaFunctions: Record<string, LocalFunction>;
  scheduler: LocalScheduler;
  awsRequests: Record<string, number>;
}

/** The members of CreateSchedule and UpdateSchedule the stand-in uses; the SDK's others are ignored. */
const scheduleSchema = z.object({
  ScheduleExpression: z.string(),
  ScheduleExpressionTimezone: z.string().optional(),
  Target: z.object({ Arn: z.string(), Input: z.string().optional() }),
});

/**
 * The EventBridge Scheduler API stand-in (AWS_ENDPOINT_URL_SCHEDULER): CreateSchedule of a
 * one-time `at(...)` schedule targeting a local function becomes a local one-time schedule
 * (fired by `POST /local/scheduler/tick`); DeleteSchedule removes it.
 */
export async function schedulerApi(deps: SchedulerApiDeps, method: string, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const reply = (status: number, payload: unknown, errorType?: string) =>
    send(res, { statusCode: status, headers: { 'content-type': 'application/json', ...(errorType && { 'x-amzn-errortype': errorType }) }, body: JSON.stringify(payload) });
  countAwsRequest(deps.awsRequests, `Scheduler.${({ DELETE: 'DeleteSchedule', PUT: 'UpdateSchedule' } as Record<string, string>)[method] ?? 'CreateSchedule'}`);
  if (method === 'DELETE') {
    return deps.scheduler.delete(name) ? reply(200, {}) : reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
  }
  if (method !== 'POST' && method !== 'PUT') return reply(400, { Message: `${method} is not supported locally` }, 'ValidationException');
  let input: Awaited<ReturnType<typeof readSchedule>>;
  try {
    input = await readSchedule(req);
  } catch (error) {
    if (!(error instanceof RequestBodyError)) throw error;
    // The Scheduler API has one client error for a request it does not take, whatever is wrong with it.
    return reply(error.status, { Message: error.message }, 'ValidationException');
  }
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(input.ScheduleExpression)?.[1];
  const fn = deps.lambdaFunctions[input.Target.Arn.split(':').at(-1)!];
  if (!at || (input.ScheduleExpressionTimezone ?? 'UTC') !== 'UTC' || !fn) {
    return reply(400, { Message: 'Locally: one-time at(...) schedules in UTC targeting a local function only' }, 'ValidationException');
  }
  // CreateSchedule (POST) of a name in use is a conflict; UpdateSchedule (PUT) replaces an existing one.
  if (method === 'POST' && deps.scheduler.has(name)) return reply(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
  if (method === 'PUT' && !deps.scheduler.has(name)) return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
  deps.scheduler.upsert({ name, at: new Date(`${at}Z`), fire: async () => void (await fn(input.payload, lambdaContext(name))) });
  return reply(200, { ScheduleArn: `arn:aws:scheduler:local:000000000000:schedule/local/${name}` });
}

/** The schedule a Create or Update request asks for; a RequestBodyError when it is not one. */
async function readSchedule(req: IncomingMessage) {
  const parsed = scheduleSchema.safeParse(parseJsonObject(await readBody(req)));
  if (!parsed.success) throw new RequestBodyError(400, fieldErrors(parsed.error).map((e) => `${e.field}: ${e.message}`).join('; '));
  // The functions a schedule runs here take an event object, as those of the Lambda Invoke stand-in do.
  const payload = parsed.data.Target.Input ? parseJsonObject(parsed.data.Target.Input, 'Target.Input') : {};
  return { ...parsed.data, payload };
}
