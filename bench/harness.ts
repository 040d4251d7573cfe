import { createCatalogService, type SmsSender } from '../packages/core/index.ts';
import { dynamoRepositories } from '../packages/dynamo/index.ts';
import { customerServiceFromEnv, customersEnv, inboundSmsEnv, inboundSmsServiceFromEnv, pointsEnv, pointsServiceFromEnv, system } from '../packages/lambda/index.ts';
import { ensureTable, startDynamoDbLocal } from '../packages/local/index.ts';
import { countingDynamoClient } from './dynamo-counter.ts';

/** The services the points and inbound cases drive, wired as their functions wire them. */
function benchServices(tableName: string, repos: ReturnType<typeof dynamoRepositories>, sender: SmsSender | undefined) {
  const env = { TABLE_NAME: tableName };
  return {
    catalog: createCatalogService({ ...repos, ...system }),
    customers: customerServiceFromEnv(customersEnv.parse(env), repos, system, { signature: '【XX证券】' }),
    points: pointsServiceFromEnv(pointsEnv.parse(env), repos, system),
    sms: () => {
      if (!sender) throw new Error('This benchmark was started without an SMS sender');
      return inboundSmsServiceFromEnv(inboundSmsEnv.parse(env), repos, sender, system);
    },
  };
}

export interface BenchPlatform {
  services: ReturnType<typeof benchServices>;
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
    const services = benchServices(tableName, dynamoRepositories(db.doc, tableName), sender);
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
