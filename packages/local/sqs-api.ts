import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countAwsRequest, send } from './http-helpers.ts';
import type { LocalQueue } from './queue.ts';

export interface SqsApiDeps {
  /** Queue name -> the queue and the function its event source mapping feeds. */
  queues: Record<string, LocalQueue>;
  awsRequests: Record<string, number>;
}

/**
 * The SQS API stand-in (JSON protocol, AWS_ENDPOINT_URL_SQS): SendMessageBatch puts the messages
 * on the local queue, whose event source mapping stand-in feeds the consumer (see LocalQueue).
 */
export async function sqsApi(deps: SqsApiDeps, req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const reply = (status: number, payload: unknown) =>
    send(res, { statusCode: status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(payload) });
  countAwsRequest(deps.awsRequests, `SQS.${target.replace(/^AmazonSQS\./, '')}`);
  if (target !== 'AmazonSQS.SendMessageBatch') {
    return reply(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `${target} is not supported locally` });
  }
  const input = JSON.parse(body) as { QueueUrl: string; Entries: Array<{ Id: string; MessageBody: string }> };
  const queueName = input.QueueUrl.split('/').at(-1)!;
  const queue = deps.queues[queueName];
  if (!queue) return reply(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: `No queue ${queueName}` });
  const ids = queue.send(input.Entries.map((e) => e.MessageBody));
  return reply(200, {
    Successful: input.Entries.map((e, i) => ({ Id: e.Id, MessageId: ids[i], MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') })),
    Failed: [],
  });
}
