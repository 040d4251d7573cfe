import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { fieldErrors } from '../lambda/index.ts';
import { RequestBodyError, countAwsRequest, parseJsonObject, readBody, send } from './http-helpers.ts';
import type { LocalQueue } from './queue.ts';

export interface SqsApiDeps {
  /** Queue name -> the queue and the function its event source mapping feeds. */
  queues: Record<string, LocalQueue>;
  awsRequests: Record<string, number>;
}

/** The members of SendMessageBatch the stand-in uses; the SDK's others (delays, attributes) are ignored. */
const sendMessageBatchSchema = z.object({
  QueueUrl: z.string().min(1),
  Entries: z.array(z.object({ Id: z.string().min(1), MessageBody: z.string() })),
});

/**
 * The SQS API stand-in (JSON protocol, AWS_ENDPOINT_URL_SQS): SendMessageBatch puts the messages
 * on the local queue, whose event source mapping stand-in feeds the consumer (see LocalQueue).
 */
export async function sqsApi(deps: SqsApiDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const reply = (status: number, payload: unknown) =>
    send(res, { statusCode: status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(payload) });
  countAwsRequest(deps.awsRequests, `SQS.${target.replace(/^AmazonSQS\./, '')}`);
  if (target !== 'AmazonSQS.SendMessageBatch') {
    return reply(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `${target} is not supported locally` });
  }
  let body: Record<string, unknown>;
  try {
    body = parseJsonObject(await readBody(req));
  } catch (error) {
    if (!(error instanceof RequestBodyError)) throw error;
    // As the JSON protocol answers: a body it cannot deserialize, or a batch over the size limit.
    const type = error.status === 413 ? 'com.amazonaws.sqs#BatchRequestTooLong' : 'com.amazon.coral.service#SerializationException';
    return reply(error.status, { __type: type, message: error.message });
  }
  const input = sendMessageBatchSchema.safeParse(body);
  if (!input.success) {
    const message = fieldErrors(input.error).map((e) => `${e.field}: ${e.message}`).join('; ');
    return reply(400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message });
  }
  const { QueueUrl, Entries } = input.data;
  const queueName = QueueUrl.split('/').at(-1)!;
  const queue = deps.queues[queueName];
  if (!queue) return reply(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: `No queue ${queueName}` });
  const ids = queue.send(Entries.map((e) => e.MessageBody));
  return reply(200, {
    Successful: Entries.map((e, i) => ({ Id: e.Id, MessageId: ids[i], MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') })),
    Failed: [],
  });
}
