/**
 * One fan-out scenario in its own process (the handlers read SMS_MPS_BUDGET at import, as a
 * Lambda does at cold start): `tsx bench/fanout-scenario.ts <subscribers> <quota|unlimited> [Promotional|Transactional]`.
 * Prints one JSON line with the figures; bench/fanout.ts runs the scenarios and tabulates them.
 */
import { startLocalPlatform } from '../packages/local/index.ts';
import { loadAudience } from '../test/support/audience.ts';
import { zoneWhereItIs } from '../test/support/time-zones.ts';
import { startDynamoProxy } from './dynamo-proxy.ts';

const subscribers = Number(process.argv[2]);
const quota = process.argv[3] === 'unlimited' ? undefined : Number(process.argv[3]);
const smsType = process.argv[4] === 'Transactional' ? 'Transactional' : 'Promotional';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
// The platform's budget is the account's quota (the setting a deployment would make).
if (quota) process.env.SMS_MPS_BUDGET = String(quota);

let proxy: Awaited<ReturnType<typeof startDynamoProxy>> | undefined;
const platform = await startLocalPlatform({
  port: 0,
  tableName: 'bench-fanout',
  ...(quota && { smsQuotaPerSecond: quota }),
  dynamoEndpointFor: async (endpoint) => (proxy = await startDynamoProxy(endpoint)).endpoint,
});
try {
  const token = async (role: string) => ((await (await fetch(`${platform.url}/local/dev-token?role=${role}`)).json()) as { token: string }).token;
  const pm = await token('product-manager');
  const headers = { authorization: `Bearer ${pm}`, 'content-type': 'application/json' };
  await fetch(`${platform.url}/admin/products`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ code: 'FAN', name: 'fan-out', kind: 'general', riskLevel: 'R1', pricing: null, smsType }),
  });
  // Noon in the subscribers' zone: a promotional message goes out at once (quiet hours are not measured here).
  await loadAudience(platform.dynamoEndpoint, platform.tableName, { productCode: 'FAN', prefix: 'F', firstNumber: 20_000_000, active: subscribers, timezone: zoneWhereItIs(12) });
  proxy!.reset();
  platform.smsQuota.reset();
  for (const k of Object.keys(platform.awsRequests)) delete platform.awsRequests[k];
  // Sending and receipts are measured apart: the carrier's receipts wait until the sending is counted.
  platform.carrier.holdReceipts = true;

  const started = performance.now();
  const res = await fetch(`${platform.url}/admin/messages`, { method: 'POST', headers, body: JSON.stringify({ productCode: 'FAN', body: '今日市场概览' }) });
  const wallMs = performance.now() - started;
  const { messageId } = (await res.json()) as { messageId: string };
  const dynamo = proxy!.counts();
  // The receipts of every SMS sent, through the delivery-receipts function, as the subscription filters deliver them.
  proxy!.reset();
  platform.carrier.holdReceipts = false;
  const receiptsStarted = performance.now();
  await platform.carrier.flush();
  const receiptsMs = performance.now() - receiptsStarted;
  const receiptsDynamo = proxy!.counts();
  const view = (await (await fetch(`${platform.url}/admin/messages/${messageId}`, { headers })).json()) as { counts: { sent: number; delivered: number } };
  const sendTimes = platform.outbox.list().map((m) => Date.parse(m.at));
  const sendSpanMs = Math.max(...sendTimes) - Math.min(...sendTimes);
  // The most sends any one-second window saw (a budget of N must keep this at N, give or take a timer tick).
  const sorted = [...sendTimes].sort((a, b) => a - b);
  let maxInAnySecond = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    maxInAnySecond = Math.max(maxInAnySecond, i - j + 1);
  }
  console.log(
    JSON.stringify({
      subscribers,
      quota: quota ?? null,
      smsType,
      senderInvocations: platform.queueInvocations.delivery ?? 0,
      wallMs,
      sendSpanMs,
      maxInAnySecond,
      delivered: platform.outbox.list().length,
      sent: view.counts.sent,
      snsPublish: platform.smsQuota.published + platform.smsQuota.throttled,
      throttled: platform.smsQuota.throttled,
      aws: { ...platform.awsRequests },
      dynamo,
      receipts: { processed: view.counts.delivered, ms: receiptsMs, dynamo: receiptsDynamo },
    }),
  );
} finally {
  await platform.stop();
  proxy?.server.close();
}
process.exit(0);
