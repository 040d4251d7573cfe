import type { ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { countAwsRequest, lambdaContext, send } from './http-helpers.ts';
import { allIdle, type LocalQueue } from './queue.ts';

/** A Lambda function's handler, run in process. */
export type LocalFunction = (event: unknown, context: Context) => Promise<unknown>;

export interface LambdaApiDeps {
  /** Functions the stand-in can call, by name. */
  lambdaFunctions: Record<string, LocalFunction>;
  queues: Record<string, LocalQueue>;
  awsRequests: Record<string, number>;
}

/**
 * The Lambda Invoke API stand-in (AWS_ENDPOINT_URL_LAMBDA): runs the named function in process
 * and, unlike AWS for an `Event` invocation, answers only when it has finished, so that the
 * local admin API answers after all the work it caused.
 */
export async function lambdaInvoke(deps: LambdaApiDeps, name: string, body: string, res: ServerResponse): Promise<void> {
  const fn = deps.lambdaFunctions[name];
  if (!fn) {
    return send(res, { statusCode: 404, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' }, body: JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }) });
  }
  countAwsRequest(deps.awsRequests, 'Lambda.Invoke');
  await fn(body ? JSON.parse(body) : {}, lambdaContext(name));
  await allIdle(Object.values(deps.queues));
  return send(res, { statusCode: 202, headers: { 'content-type': 'application/json' }, body: '' });
}
