import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { problemResponse, problemType, type Problem } from '../lambda/index.ts';

/** The most a request body may be: more is refused with a 413, never buffered. */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * A request body the local server does not take: over MAX_BODY_BYTES (413), or not the JSON
 * object an endpoint reads (400). Each endpoint answers it in its own style.
 */
export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';

  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** The body as text; a RequestBodyError (413) when it is over MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Past the limit the rest is read and dropped: the client then gets the 413, not a reset connection.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new RequestBodyError(413, `The body is ${size} bytes, over the limit of ${MAX_BODY_BYTES}`);
  return Buffer.concat(chunks).toString('utf8');
}

/** `text` as a JSON object; a RequestBodyError (400) when it is empty, not JSON, or another JSON value. */
export function parseJsonObject(text: string, what = 'The body'): Record<string, unknown> {
  if (text.trim() === '') throw new RequestBodyError(400, `${what} is empty: a JSON object is required`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RequestBodyError(400, `${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestBodyError(400, `${what} must be a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}`);
  }
  return value as Record<string, unknown>;
}

export function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  res.end(result.body ?? '');
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export function problem(res: ServerResponse, status: number, slug: string, title: string, more: Pick<Problem, 'detail' | 'errors'> = {}): void {
  send(res, problemResponse({ type: problemType(slug), title, status, ...more }));
}

/** The problem+json answer of the local-only endpoints and the admin API to a body they do not take. */
export function bodyProblem(res: ServerResponse, error: RequestBodyError): void {
  if (error.status === 413) return problem(res, 413, 'payload-too-large', 'The request body is too large', { detail: error.message });
  return problem(res, 400, 'bad-request', 'The request cannot be read', { detail: error.message });
}

/** Counts a request to an AWS API stand-in by `service.Operation`. */
export function countAwsRequest(awsRequests: Record<string, number>, name: string): void {
  awsRequests[name] = (awsRequests[name] ?? 0) + 1;
}

/** A Lambda context for calling a handler in process. */
export function lambdaContext(functionName: string): Context {
  // Locally nothing times out: the longest a Lambda function may run (15 minutes).
  const deadline = Date.now() + 900_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The query parameters as API Gateway passes them to a function: percent-decoded, with a `+`
 * kept as `+` (URLSearchParams would make it a space, and `?to=+8613800138001` another number);
 * a malformed escape is kept as written.
 */
export function queryParameters(url: URL): Record<string, string> {
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const params: Record<string, string> = {};
  for (const pair of url.search.slice(1).split('&')) {
    if (!pair) continue;
    const [name = '', ...rest] = pair.split('=');
    params[decode(name)] = decode(rest.join('='));
  }
  return params;
}
