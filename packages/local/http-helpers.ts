import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { problemResponse, problemType, type Problem } from '../lambda/index.ts';

export const MAX_BODY_BYTES = 1_000_000;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  res.end(result.body ?? '');
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export function problem(res: ServerResponse, status: number, slug: string, title: string, errors?: Problem['errors']): void {
  send(res, problemResponse({ type: problemType(slug), title, status, ...(errors && { errors }) }));
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
