import type { ServerResponse } from 'node:http';
import { countAwsRequest, lambdaContext, send } from './http-helpers.ts';
import type { LocalFunction } from './lambda-api.ts';
import type { LocalScheduler } from './scheduler.ts';

export interface SchedulerApiDeps {
  /** Functions a schedule may target, by name. */
  lambdaFunctions: Record<string, LocalFunction>;
  scheduler: LocalScheduler;
  awsRequests: Record<string, number>;
}

/**
 * The EventBridge Scheduler API stand-in (AWS_ENDPOINT_URL_SCHEDULER): CreateSchedule of a
 * one-time `at(...)` schedule targeting a local function becomes a local one-time schedule
 * (fired by `POST /local/scheduler/tick`); DeleteSchedule removes it.
 */
export async function schedulerApi(deps: SchedulerApiDeps, method: string, name: string, body: string, res: ServerResponse): Promise<void> {
  const reply = (status: number, payload: unknown, errorType?: string) =>
    send(res, { statusCode: status, headers: { 'content-type': 'application/json', ...(errorType && { 'x-amzn-errortype': errorType }) }, body: JSON.stringify(payload) });
  countAwsRequest(deps.awsRequests, `Scheduler.${({ DELETE: 'DeleteSchedule', PUT: 'UpdateSchedule' } as Record<string, string>)[method] ?? 'CreateSchedule'}`);
  if (method === 'DELETE') {
    return deps.scheduler.delete(name) ? reply(200, {}) : reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
  }
  if (method !== 'POST' && method !== 'PUT') return reply(400, { Message: `${method} is not supported locally` }, 'ValidationException');
  const input = JSON.parse(body) as { ScheduleExpression: string; ScheduleExpressionTimezone?: string; Target: { Arn: string; Input?: string } };
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(input.ScheduleExpression)?.[1];
  const fn = deps.lambdaFunctions[input.Target.Arn.split(':').at(-1)!];
  if (!at || (input.ScheduleExpressionTimezone ?? 'UTC') !== 'UTC' || !fn) {
    return reply(400, { Message: 'Locally: one-time at(...) schedules in UTC targeting a local function only' }, 'ValidationException');
  }
  const payload: unknown = input.Target.Input ? JSON.parse(input.Target.Input) : {};
  // CreateSchedule (POST) of a name in use is a conflict; UpdateSchedule (PUT) replaces an existing one.
  if (method === 'POST' && deps.scheduler.has(name)) return reply(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
  if (method === 'PUT' && !deps.scheduler.has(name)) return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
  deps.scheduler.upsert({ name, at: new Date(`${at}Z`), fire: async () => void (await fn(payload, lambdaContext(name))) });
  return reply(200, { ScheduleArn: `arn:aws:scheduler:local:000000000000:schedule/local/${name}` });
}
