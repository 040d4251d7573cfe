/**
 * The survey benchmark in its own process (the platform's loggers are set up at import, so a
 * quiet log level must be in the environment first): `tsx bench/survey.ts <recipients> <concurrency>`
 * prints one JSON line; `surveyBench` runs it and reads that line.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lambdaContext, startLocalPlatform } from '../packages/local/index.ts';
import { loadAudience } from '../test/support/audience.ts';
import { zoneWhereItIs } from '../test/support/time-zones.ts';
import { startDynamoProxy } from './dynamo-proxy.ts';
import { runConcurrently } from './harness.ts';

export interface SurveyResult {
  recipients: number;
  invited: number;
  answers: number;
  answersPerS: number;
  /** DynamoDB requests per answer (the inbound-sms function's table calls), by operation. */
  dynamoPerAnswer: number;
  dynamoByOperation: string;
  /** SNS publishes per answer (the thank-you reply). */
  snsPerAnswer: number;
  writeUnitsPerAnswer: number;
  hottestPartition: { key: string; unitsPerSecond: number };
  /** Mean DynamoDB Local time per request while answering, by operation (ms): what bounds answers per second here. */
  dynamoLatencyMs: Record<string, number>;
  /** GET /admin/surveys/{id}: DynamoDB requests for the whole results, after every answer. */
  resultsRequests: number;
  resultsByOperation: string;
  /** GET /admin/products/{code}/stats (the latest survey's average with the product's counts). */
  statsRequests: number;
  followUps: number;
  average: number | null;
}

const describeCounts = (requests: Record<string, number>, per = 1) =>
  Object.entries(requests)
    .map(([name, n]) => `${name} ${(n / per).toFixed(2)}`)
    .join(', ');

/**
 * A survey to `recipients` subscribers through the running local platform (POST /admin/surveys,
 * the broadcast pipeline), every recipient answering a score by inbound SMS, `concurrency` at a
 * time, through a counting proxy in front of DynamoDB Local; then the results read once.
 */
async function measureSurvey(options: { recipients: number; concurrency: number }): Promise<SurveyResult> {
  let proxy: Awaited<ReturnType<typeof startDynamoProxy>> | undefined;
  const platform = await startLocalPlatform({
    port: 0,
    tableName: 'bench-survey',
    dynamoEndpointFor: async (endpoint) => (proxy = await startDynamoProxy(endpoint)).endpoint,
  });
  try {
    const token = async (role: string) => ((await (await fetch(`${platform.url}/local/dev-token?role=${role}`)).json()) as { token: string }).token;
    // The admin reads every case kind (a product manager only feedback) and sends surveys.
    const headers = { authorization: `Bearer ${await token('admin')}`, 'content-type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${platform.url}${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
      if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${await res.text()}`);
      return (await res.json()) as any;
    };
    await call('POST', '/admin/products', { code: 'SAT', name: '满意度', kind: 'general', riskLevel: 'R1', pricing: null });
    // Noon in the recipients' zone: the question goes out at once (quiet hours are not measured here).
    const audience = await loadAudience(platform.dynamoEndpoint, platform.tableName, {
      productCode: 'SAT',
      prefix: 'S',
      firstNumber: 30_000_000,
      active: options.recipients,
      timezone: zoneWhereItIs(12),
    });
    platform.carrier.holdReceipts = true; // receipts are not what this measures
    const { surveyId, messageId } = await call('POST', '/admin/surveys', { productCode: 'SAT', question: '您对本月的短信服务满意吗？' });
    const invited = (await call('GET', `/admin/messages/${messageId}`)).counts.sent as number;

    proxy!.reset();
    for (const k of Object.keys(platform.awsRequests)) delete platform.awsRequests[k];
    const phones = audience.active;
    // The inbound-sms function's handler (the module the platform loaded), one SNS notification per
    // answer, as two-way SMS delivers them; scores 1-5 in turn: two in five open a follow-up case.
    const { handler } = await import('../functions/inbound-sms/index.ts');
    const wallMs = await runConcurrently(phones.length, options.concurrency, async (n) => {
      const message = { originationNumber: phones[n], destinationNumber: '+10000000000', messageBody: String((n % 5) + 1), inboundMessageId: `survey-${n}` };
      const sns = { EventSource: 'aws:sns', EventVersion: '1.0', Sns: { Type: 'Notification', MessageId: `sns-${n}`, TopicArn: 'arn:aws:sns:local:000000000000:InboundSms', Message: JSON.stringify(message), Timestamp: new Date().toISOString() } };
      await handler({ Records: [sns] }, lambdaContext('inbound-sms'));
    });
    const answering = proxy!.counts();
    const snsPublishes = platform.awsRequests['SNS.Publish'] ?? 0;

    proxy!.reset();
    const results = await call('GET', `/admin/surveys/${surveyId}`);
    const reading = proxy!.counts();
    proxy!.reset();
    const stats = await call('GET', '/admin/products/SAT/stats');
    const statsReading = proxy!.counts();
    let followUps = 0;
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = await call('GET', `/admin/cases?kind=follow-up&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      followUps += page.items.length;
      cursor = page.cursor;
    }
    const total = (requests: Record<string, number>) => Object.values(requests).reduce((a, b) => a + b, 0);
    return {
      recipients: options.recipients,
      invited,
      answers: results.responses as number,
      answersPerS: Math.round((phones.length * 1000) / wallMs),
      dynamoPerAnswer: Math.round((total(answering.requests) / phones.length) * 100) / 100,
      dynamoByOperation: describeCounts(answering.requests, phones.length),
      snsPerAnswer: Math.round((snsPublishes / phones.length) * 100) / 100,
      writeUnitsPerAnswer: Math.round((answering.writeUnits / phones.length) * 100) / 100,
      hottestPartition: answering.hottestPartition,
      dynamoLatencyMs: answering.latencyMs,
      resultsRequests: total(reading.requests),
      resultsByOperation: describeCounts(reading.requests),
      statsRequests: total(statsReading.requests),
      followUps,
      average: stats.latestSurvey?.average ?? null,
    };
  } finally {
    await platform.stop();
    proxy?.server.close();
  }
}

export function surveyBench(options: { recipients: number; concurrency: number }): SurveyResult {
  const result = spawnSync('npx', ['tsx', fileURLToPath(import.meta.url), String(options.recipients), String(options.concurrency)], {
    encoding: 'utf8',
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = result.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{"recipients"'));
  if (result.status !== 0 || !line) throw new Error(`survey benchmark failed:\n${result.stderr.slice(-3000)}`);
  return JSON.parse(line) as SurveyResult;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await measureSurvey({ recipients: Number(process.argv[2]), concurrency: Number(process.argv[3]) });
  console.log(JSON.stringify(result));
  process.exit(0);
}
