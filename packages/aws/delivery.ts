import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, DispatchTrigger, RecipientBatch } from '../core/index.ts';

/** DeliveryQueue over SQS: one message per recipient batch, ten per SendMessageBatch. */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(batches: RecipientBatch[]): Promise<void> {
    for (let i = 0; i < batches.length; i += 10) {
      let entries = batches.slice(i, i + 10).map((batch, j) => ({ Id: String(j), MessageBody: JSON.stringify(batch) }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((result.Failed ?? []).map((f) => f.Id));
        if (failed.size > 0 && attempt >= 5) throw new Error(`SQS refused ${failed.size} recipient batches after ${attempt} attempts`);
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }
}

/** DispatchTrigger over Lambda: an asynchronous invocation of the dispatcher function. */
export class LambdaDispatchTrigger implements DispatchTrigger {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async dispatch(messageId: string): Promise<void> {
    await this.lambda.send(
      new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify({ messageId })) }),
    );
  }
}
