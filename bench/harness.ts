import type { SmsSender } from '../packages/core/index.ts';
import { DynamoStore } from '../packages/dynamo/index.ts';
import { createPlatformServices, platformConfigSchema, systemClock, ulidGenerator, type PlatformServices } from '../packages/lambda/index.ts';
import { ensureTable, startDynamoDbLocal } from '../packages/local/index.ts';
import { countingDynamoClient } from './dynamo-counter.ts';

export interface BenchPlatform {
  services: PlatformServices;
  /** DynamoDB requests by operation since the last reset. */
  db: ReturnType<typeof countingDynamoClient>;
}

/**
 * Runs `body` against a fresh DynamoDB Local with the platform services wired to a
 * request-counting client; everything is stopped afterwards, also on failure.
 */
export async function withBenchPlatform<T>(tableName: string, body: (platform: BenchPlatform) => Promise<T>, sender?: SmsSender): Promise<T> {
  const dynamo = await startDynamoDbLocal();
  const db = countingDynamoClient(dynamo.endpoint);
  try {
    await ensureTable(dynamo.client, tableName);
    const services = createPlatformServices(platformConfigSchema.parse({ TABLE_NAME: tableName }), new DynamoStore(db.doc, tableName), systemClock, ulidGenerator, sender);
    return await body({ services, db });
  } finally {
    db.client.destroy();
    await dynamo.stop();
  }
}

/** Runs `task(0..total-1)` with `concurrency` workers; returns the wall time in ms. */
export async function runConcurrently(total: number, concurrency: number, task: (n: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return performance.now() - started;
}

/** `GetItem 1.10, Query 1.00, ...`: requests per operation of the benchmark, by DynamoDB operation. */
export function perOperation(counts: Record<string, number>, operations: number): string {
  return Object.entries(counts)
    .map(([name, n]) => `${name} ${(n / operations).toFixed(2)}`)
    .join(', ');
}
