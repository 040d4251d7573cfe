import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface FanoutScenario {
  subscribers: number;
  /** The account's SMS quota (MPS) the SNS stand-in enforces and the platform's budget; undefined: unlimited. */
  quota?: number;
  smsType?: 'Promotional' | 'Transactional';
}

export interface FanoutRow {
  scenario: string;
  deliveries: number;
  wallS: number;
  deliveriesPerS: number;
  /** Sends per second over the sending span, as a share of the quota. */
  quotaUsed: string;
  /** The most sends in any one-second window. */
  maxPerSecond: number;
  throttledShare: string;
  snsPublishPerDelivery: number;
  /** Every other AWS request per 1,000 deliveries: SQS, DynamoDB, Lambda Invoke, Scheduler, and the sender's invocations. */
  otherPer1000: number;
  byService: string;
  dynamoByOperation: string;
  writeUnitsPerDelivery: number;
  hottestPartitionWcuPerS: number;
  /** Receipts of the broadcast processed (every SMS delivered), and what they cost. */
  receipts: number;
  receiptsPerS: number;
  /** DynamoDB requests per 1,000 receipts (the receipts function's only AWS calls). */
  receiptRequestsPer1000: number;
  receiptDynamoByOperation: string;
  receiptWriteUnitsPerReceipt: number;
  receiptHottestPartitionWcuPerS: number;
}

interface ScenarioOutput {
  subscribers: number;
  quota: number | null;
  smsType: string;
  senderInvocations: number;
  wallMs: number;
  sendSpanMs: number;
  maxInAnySecond: number;
  delivered: number;
  snsPublish: number;
  throttled: number;
  aws: Record<string, number>;
  dynamo: DynamoFigures;
  receipts: { processed: number; ms: number; dynamo: DynamoFigures };
}

interface DynamoFigures {
  requests: Record<string, number>;
  writeUnits: number;
  hottestPartition: { key: string; unitsPerSecond: number };
  latencyMs: Record<string, number>;
}

/** Runs one scenario in its own process (the handlers read the budget at import, like a cold start). */
function runScenario(s: FanoutScenario): ScenarioOutput {
  const result = spawnSync('npx', ['tsx', path.join(HERE, 'fanout-scenario.ts'), String(s.subscribers), s.quota ? String(s.quota) : 'unlimited', s.smsType ?? 'Promotional'], {
    encoding: 'utf8',
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = result.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{"subscribers"'));
  if (result.status !== 0 || !line) throw new Error(`fan-out scenario ${JSON.stringify(s)} failed:\n${result.stderr.slice(-3000)}`);
  return JSON.parse(line) as ScenarioOutput;
}

const per1000 = (n: number, deliveries: number) => Math.round((n * 10000) / deliveries) / 10;

export function fanoutBench(scenarios: FanoutScenario[]): FanoutRow[] {
  return scenarios.map((s) => {
    const out = runScenario(s);
    const d = out.delivered;
    const r = out.receipts;
    const dynamoTotal = Object.values(out.dynamo.requests).reduce((a, b) => a + b, 0);
    const others = {
      SQS: Object.entries(out.aws).filter(([k]) => k.startsWith('SQS.')).reduce((a, [, n]) => a + n, 0),
      DynamoDB: dynamoTotal,
      'Lambda.Invoke': out.aws['Lambda.Invoke'] ?? 0,
      'sender invocations': out.senderInvocations,
      Scheduler: Object.entries(out.aws).filter(([k]) => k.startsWith('Scheduler.')).reduce((a, [, n]) => a + n, 0),
    };
    const otherTotal = Object.values(others).reduce((a, b) => a + b, 0);
    return {
      scenario: `${s.subscribers.toLocaleString('en')} subscribers, ${s.quota ? `${s.quota} MPS` : 'unlimited'}, ${out.smsType}`,
      deliveries: d,
      wallS: Math.round(out.wallMs / 100) / 10,
      deliveriesPerS: Math.round((d * 1000) / out.wallMs),
      quotaUsed: s.quota ? `${Math.round((((d * 1000) / Math.max(1, out.sendSpanMs)) / s.quota) * 1000) / 10}%` : '-',
      maxPerSecond: out.maxInAnySecond,
      throttledShare: `${Math.round((out.throttled / Math.max(1, out.snsPublish)) * 10000) / 100}%`,
      snsPublishPerDelivery: Math.round((out.snsPublish / d) * 1000) / 1000,
      otherPer1000: per1000(otherTotal, d),
      byService: Object.entries(others)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${per1000(n, d)}`)
        .join(', '),
      dynamoByOperation: Object.entries(out.dynamo.requests)
        .map(([k, n]) => `${k} ${per1000(n, d)}`)
        .join(', '),
      writeUnitsPerDelivery: Math.round((out.dynamo.writeUnits / d) * 100) / 100,
      hottestPartitionWcuPerS: out.dynamo.hottestPartition.unitsPerSecond,
      receipts: r.processed,
      receiptsPerS: Math.round((r.processed * 1000) / Math.max(1, r.ms)),
      receiptRequestsPer1000: per1000(Object.values(r.dynamo.requests).reduce((a, b) => a + b, 0), r.processed),
      receiptDynamoByOperation: Object.entries(r.dynamo.requests)
        .map(([k, n]) => `${k} ${per1000(n, r.processed)}`)
        .join(', '),
      receiptWriteUnitsPerReceipt: Math.round((r.dynamo.writeUnits / Math.max(1, r.processed)) * 100) / 100,
      receiptHottestPartitionWcuPerS: r.dynamo.hottestPartition.unitsPerSecond,
    };
  });
}
