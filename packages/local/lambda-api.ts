import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { RequestBodyError, countAwsRequest, lambdaContext, parseJsonObject, readBody, send } from './http-helpers.ts';
import { settle, type SettleDeps } from './settle.ts';

/** A Lambda function's handler, run in process. */
export type LocalFunction = (event: unknown, context: Context) => Promise<unknown>;

export interface LambdaApiDeps extends SettleDeps {
  /** Functions the stand-in can call, by name. */
  lambdaFunctions: Record<string, LocalFunction>;
  awsRequests: Record<string, number>;
}

/**
 * The Lambda Invoke API stand-in (AWS_ENDPOINT_URL_LAMBDA): runs the named function in process
 * and, unlike AWS for an `Event` invocation, answers only when it has finished, so that the
 * local admin API answers after all the work it caused.
 */
export async function lambdaInvoke(deps: LambdaApiDeps, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const error = (status: number, errorType: string, message: string) =>
    send(res, { statusCode: status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorType }, body: JSON.stringify({ Type: 'User', message }) });
  const fn = deps.lambdaFunctions[name];
  if (!fn) return error(404, 'ResourceNotFoundException', `Function not found: ${name}`);
  countAwsRequest(deps.awsRequests, 'Lambda.Invoke');
  let payload: Record<string, unknown>;
  try {
    const body = await readBody(req);
    // An Invoke without a payload hands the function `{}`. AWS would hand over any JSON value, but
    // every function run here takes an event object: anything else is refused before it runs.
    payload = body.trim() === '' ? {} : parseJsonObject(body, 'The payload');
  } catch (caught) {
    if (!(caught instanceof RequestBodyError)) throw caught;
    if (caught.status === 413) return error(413, 'RequestTooLargeException', caught.message);
    return error(400, 'InvalidRequestContentException', `Could not parse request body into json: ${caught.message}`);
  }
  await fn(payload, lambdaContext(name));
  await settle(deps);
  return send(res, { statusCode: 202, headers: { 'content-type': 'application/json' }, body: '' });
}
