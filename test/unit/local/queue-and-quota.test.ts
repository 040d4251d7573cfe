import { describe, expect, it } from 'vitest';
import { LocalQueue, SmsQuota, lambdaContext } from '../../../packages/local/index.ts';

type SqsEvent = { Records: Array<{ messageId: string; body: string; attributes: { ApproximateReceiveCount: string } }> };

describe('LocalQueue', () => {
  it('feeds batches of at most batchSize to at most maxConcurrency invocations at once, and is idle when all are done', async () => {
    let running = 0;
    let peak = 0;
    const sizes: number[] = [];
    const queue = new LocalQueue(
      async (event) => {
        running++;
        peak = Math.max(peak, running);
        sizes.push((event as SqsEvent).Records.length);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return { batchItemFailures: [] };
      },
      { name: 'q', batchSize: 3, maxConcurrency: 2, maxReceiveCount: 3, context: lambdaContext },
    );
    queue.send(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(queue.busy).toBe(true);
    await queue.idle();
    expect(queue.busy).toBe(false);
    expect(peak).toBe(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Math.max(...sizes)).toBe(3);
  });

  it('redelivers records reported as failed, and dead-letters them after maxReceiveCount receives', async () => {
    const receives: Record<string, number> = {};
    const queue = new LocalQueue(
      async (event) => {
        const records = (event as SqsEvent).Records;
        for (const r of records) receives[r.body] = Number(r.attributes.ApproximateReceiveCount);
        return { batchItemFailures: records.filter((r) => r.body === 'poison' || (r.body === 'flaky' && receives.flaky === 1)).map((r) => ({ itemIdentifier: r.messageId })) };
      },
      { name: 'q', batchSize: 10, maxConcurrency: 1, maxReceiveCount: 3, context: lambdaContext },
    );
    queue.send(['ok', 'flaky', 'poison']);
    await queue.idle();
    expect(receives).toEqual({ ok: 1, flaky: 2, poison: 3 });
    expect(queue.deadLetters.map((d) => d.body)).toEqual(['poison']);
  });
});

describe('SmsQuota', () => {
  it('lets through one second of burst, then perSecond a second, and counts the throttled calls', () => {
    let now = 0;
    const quota = new SmsQuota(10, () => now);
    const first = Array.from({ length: 12 }, () => quota.take());
    expect(first.filter(Boolean)).toHaveLength(10);
    now += 500;
    expect(Array.from({ length: 6 }, () => quota.take()).filter(Boolean)).toHaveLength(5);
    expect({ published: quota.published, throttled: quota.throttled }).toEqual({ published: 15, throttled: 3 });
  });

  it('never throttles without a quota', () => {
    const quota = new SmsQuota(undefined);
    expect(Array.from({ length: 1000 }, () => quota.take()).every(Boolean)).toBe(true);
  });
});
