import { createHash, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

type Consumer = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalQueueOptions {
  name: string;
  /** Records per invocation (the event source mapping's batch size). */
  batchSize: number;
  /** Invocations at once (the event source mapping's maximum concurrency). */
  maxConcurrency: number;
  /** Receives before a record goes to the dead-letter list (the queue's redrive policy). */
  maxReceiveCount: number;
  context: (name: string) => Context;
}

interface QueuedRecord {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

/**
 * An SQS queue with its Lambda event source mapping, in process: messages wait in order and up
 * to maxConcurrency invocations take up to batchSize records each; records an invocation reports
 * as failed (partial batch failure) or all of them when it throws come again, and after
 * maxReceiveCount receives go to the dead-letter list.
 */
export class LocalQueue {
  private readonly waiting: QueuedRecord[] = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];
  readonly deadLetters: Array<{ messageId: string; body: string }> = [];
  /** Invocations of the consumer so far (what Lambda would bill as invocations). */
  invocations = 0;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: LocalQueueOptions,
  ) {}

  /** Enqueues message bodies; returns their message ids. */
  send(bodies: string[]): string[] {
    const records = bodies.map((body) => ({ messageId: randomUUID(), body, receiveCount: 0, sentAt: Date.now() }));
    this.waiting.push(...records);
    this.pump();
    return records.map((r) => r.messageId);
  }

  get busy(): boolean {
    return this.running > 0 || this.waiting.length > 0;
  }

  /** Resolves once nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.options.maxConcurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.batchSize);
      this.running++;
      void this.invoke(batch).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.waiting.length === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          waiters.forEach((resolve) => resolve());
        }
      });
    }
  }

  private async invoke(batch: QueuedRecord[]): Promise<void> {
    for (const r of batch) r.receiveCount++;
    this.invocations++;
    let failed: Set<string>;
    try {
      const result = (await this.consumer({ Records: batch.map((r) => this.toSqsRecord(r)) }, this.options.context(this.options.name))) as
        | { batchItemFailures?: Array<{ itemIdentifier: string }> }
        | undefined;
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      console.error(`local SQS: the consumer of ${this.options.name} failed`, error);
      failed = new Set(batch.map((r) => r.messageId));
    }
    for (const r of batch.filter((record) => failed.has(record.messageId))) {
      if (r.receiveCount >= this.options.maxReceiveCount) {
        this.deadLetters.push({ messageId: r.messageId, body: r.body });
        console.error(`local SQS: message ${r.messageId} of ${this.options.name} failed ${r.receiveCount} times (dead-lettered)`);
      } else {
        this.waiting.push(r);
      }
    }
  }

  private toSqsRecord(r: QueuedRecord) {
    return {
      messageId: r.messageId,
      receiptHandle: randomUUID(),
      body: r.body,
      attributes: { ApproximateReceiveCount: String(r.receiveCount), SentTimestamp: String(r.sentAt), SenderId: 'local', ApproximateFirstReceiveTimestamp: String(r.sentAt) },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(r.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.options.name}`,
      awsRegion: 'local',
    };
  }
}

/** Resolves once every queue is idle at the same time: a consumer of one queue may put work on another. */
export async function allIdle(queues: LocalQueue[]): Promise<void> {
  while (queues.some((q) => q.busy)) await Promise.all(queues.map((q) => q.idle()));
}
