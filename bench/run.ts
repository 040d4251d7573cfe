/**
 * `npm run bench [case ...]`: benchmarks that are not part of `npm test`.
 * Cases: coldstart, points, inbound, fanout, survey, console. Writes bench/results.json and prints a table per case.
 * Options: --runs N (coldstart, default 15), --no-synth (reuse cdk.out),
 * --node-options VALUE (coldstart: NODE_OPTIONS for every bundle instead of each function's own,
 * e.g. '' to leave out --enable-source-maps), --source-maps-cost (coldstart: each bundle also
 * imported without --enable-source-maps in the same rounds, with the paired difference),
 * --redemptions N and --concurrency N (points, default 1000 and 50),
 * --messages N (inbound, default 1000; concurrency from --concurrency, default 50),
 * --subscribers N (fanout: the largest unlimited run, default 100000),
 * --loads N (console: page loads per median, default 10),
 * --recipients N (survey: the audience that answers, default 10000; concurrency from --concurrency).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGET_BYTES, TARGET_RATIO, coldstart } from './coldstart.ts';
import { TARGET_GZIP_BYTES, consoleBench } from './console.ts';
import { fanoutBench } from './fanout.ts';
import { inboundBench } from './inbound.ts';
import { pointsBench } from './points.ts';
import { surveyBench } from './survey.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'results.json');
const CASES = ['coldstart', 'points', 'inbound', 'fanout', 'survey', 'console'] as const;

const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(args[runsFlag + 1]) : 15;
const synth = !args.includes('--no-synth');
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const redemptions = flag('--redemptions', 1000);
const messages = flag('--messages', 1000);
const concurrency = flag('--concurrency', 50);
const subscribers = flag('--subscribers', 100_000);
const loads = flag('--loads', 10);
const recipients = flag('--recipients', 10_000);
const nodeOptions = args.includes('--node-options') ? (args[args.indexOf('--node-options') + 1] ?? '') : undefined;
const sourceMapsCost = args.includes('--source-maps-cost');
const VALUE_FLAGS = ['--runs', '--redemptions', '--concurrency', '--messages', '--subscribers', '--node-options', '--loads', '--recipients'];
const requested = args.filter((a, i) => !a.startsWith('--') && !VALUE_FLAGS.includes(args[i - 1] ?? ''));
const unknown = requested.filter((c) => !(CASES as readonly string[]).includes(c));
if (unknown.length) {
  console.error(`Unknown case(s): ${unknown.join(', ')}. Cases: ${CASES.join(', ')}`);
  process.exit(2);
}
if (!Number.isInteger(runs) || runs < 10) {
  console.error('--runs must be an integer of at least 10');
  process.exit(2);
}
const selected = requested.length ? requested : [...CASES];

const previous = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
const results: Record<string, unknown> = {
  ...previous,
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, at: new Date().toISOString() },
};

if (selected.includes('coldstart')) {
  const rows = await coldstart({ runs, outdir: path.resolve(HERE, '../cdk.out'), synth, sourceMapsCost, ...(nodeOptions !== undefined && { nodeOptions }) });
  const nodeOptionsNote =
    (nodeOptions === undefined ? "each function's NODE_OPTIONS from the template (--enable-source-maps)" : `NODE_OPTIONS=${JSON.stringify(nodeOptions)} for every row`) +
    (sourceMapsCost ? '; noMaps columns: the same without --enable-source-maps, sourceMapsMs the paired difference' : '');
  console.log(
    `\ncoldstart: bundle size and import time in a fresh Node process, ${nodeOptionsNote}; ratio = import median / the reference's\n` +
      `targets: every bundle < ${TARGET_BYTES / 1_000_000} MB, ratio <= ${TARGET_RATIO}`,
  );
  // NODE_OPTIONS is in the heading (and in results.json), not a column.
  const shown = rows.map(({ nodeOptions: _nodeOptions, ...row }) => ({
    ...row,
    ratio: row.ratio.toFixed(2),
    ...(row.noMapsRatio !== undefined && { noMapsRatio: row.noMapsRatio.toFixed(2) }),
  }));
  console.table(shown);
  const command =
    `npm run bench -- coldstart --runs ${runs}` +
    (nodeOptions === undefined ? '' : ` --node-options ${JSON.stringify(nodeOptions)}`) +
    (sourceMapsCost ? ' --source-maps-cost' : '');
  // A run with other NODE_OPTIONS or the source-map comparison is kept beside the plain run.
  results[nodeOptions === undefined && !sourceMapsCost ? 'coldstart' : 'coldstartNodeOptions'] = { command, targets: { bytes: TARGET_BYTES, ratio: TARGET_RATIO }, rows };
}

if (selected.includes('points')) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const rows = await pointsBench({ redemptions, concurrency });
  console.log(`\npoints: ${redemptions} redemptions with points, ${concurrency} at a time, against DynamoDB Local`);
  console.table(rows);
  results.points = { command: `npm run bench -- points --redemptions ${redemptions} --concurrency ${concurrency}`, rows };
}

if (selected.includes('inbound')) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const rows = await inboundBench({ messages, concurrency });
  console.log(`\ninbound: ${messages} inbound SMS per row, ${concurrency} at a time, through SmsService.handleInbound on DynamoDB Local`);
  console.table(rows);
  results.inbound = { command: `npm run bench -- inbound --messages ${messages} --concurrency ${concurrency}`, rows };
}

if (selected.includes('fanout')) {
  const rows = fanoutBench([
    { subscribers: 10_000 },
    { subscribers: 10_000, smsType: 'Transactional' },
    { subscribers },
    { subscribers: 2_000, quota: 100 },
    { subscribers: 10_000, quota: 1_000 },
  ]);
  console.log('\nfanout: one message to N subscribers through the local pipeline (dispatcher, SQS stand-in, sender, SNS stand-in with an MPS quota), DynamoDB Local');
  console.table(rows);
  results.fanout = { command: `npm run bench -- fanout --subscribers ${subscribers}`, rows };
}

if (selected.includes('survey')) {
  const result = surveyBench({ recipients, concurrency });
  console.log(
    `\nsurvey: a survey to ${recipients} subscribers through the local pipeline, each answering a score by inbound SMS (${concurrency} at a time), DynamoDB Local\n` +
      'targets: <= 6 requests per answer, <= 20 requests to read the results, no partition written more than 1,000 times in a second',
  );
  const { hottestPartition, dynamoLatencyMs, ...row } = result;
  console.table([{ ...row, hottestPartition: `${hottestPartition.unitsPerSecond} WCU/s (${hottestPartition.key})` }]);
  console.log(`DynamoDB Local's mean time per request while answering (ms): ${JSON.stringify(dynamoLatencyMs)}`);
  results.survey = { command: `npm run bench -- survey --recipients ${recipients} --concurrency ${concurrency}`, result };
}

if (selected.includes('console')) {
  const result = await consoleBench({ loads });
  console.log(
    `\nconsole: the staff console's JavaScript (gzipped; target <= ${TARGET_GZIP_BYTES / 1024} KB) and, in headless Chromium against npm start,\n` +
      `the median of ${loads} cold loads from navigation to the sign-in form usable and to a signed-in product list`,
  );
  console.table([
    {
      'JS KB': (result.jsBytes / 1024).toFixed(1),
      'JS gzip KB': (result.jsGzipBytes / 1024).toFixed(1),
      'CSS gzip KB': (result.cssGzipBytes / 1024).toFixed(1),
      'npm start ms': result.startupMs,
      'sign-in ms': result.signInMedianMs,
      'products ms': result.productsMedianMs,
    },
  ]);
  if (result.jsGzipBytes > TARGET_GZIP_BYTES) console.log(`over the target: ${result.jsGzipBytes} bytes gzipped`);
  results.console = { command: `npm run bench -- console --loads ${loads}`, targets: { jsGzipBytes: TARGET_GZIP_BYTES }, result };
}

writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written ${path.relative(process.cwd(), RESULTS)}`);
