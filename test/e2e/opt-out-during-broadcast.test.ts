import { describe, expect, it } from 'vitest';
import { audienceShard } from '../../packages/dynamo/index.ts';
import { loadAudience } from '../support/audience.ts';
import { platformClient } from '../support/client.ts';
import { useInProcessPlatform } from '../support/in-process-platform.ts';
import { daytimeZone } from '../support/time-zones.ts';

/**
 * A broadcast paced by the account's quota (10 SMS a second here, so a sender reads a chunk of
 * 8 recipients' opt-out state and sends to them over 0.8 s) while
 * clients text TD: nobody gets the broadcast after their opt-out is confirmed.
 */
const local = useInProcessPlatform({ tableName: 'opt-out-e2e', smsQuotaPerSecond: 10, env: { SMS_MPS_BUDGET: '10' } });
const { api, token } = platformClient(() => local.platform());
const BODY = '【XX证券】盘中提示：示例科技临时停牌回TD退订';


describe('a TD during a broadcast', () => {
  it('stops the broadcast for that client: nothing reaches them after the confirmation of their opt-out', async () => {
    const platform = local.platform();
    const pm = await token('product-manager');
    await api('POST', '/admin/products', { token: pm, body: { code: 'HALT', name: '停牌提示', kind: 'general', riskLevel: 'R1', pricing: null, smsType: 'Promotional' } });
    const audience = await loadAudience(platform.dynamoEndpoint, platform.tableName, { productCode: 'HALT', prefix: 'H', firstNumber: 30_000_000, active: 120, timezone: daytimeZone() });

    const publishing = api('POST', '/admin/messages', { token: pm, body: { productCode: 'HALT', body: '盘中提示：示例科技临时停牌' } });
    // The order the dispatcher pages the audience in (by shard, then customer id): the numbers
    // right after the last one reached are the ones a sender has read and is about to send to.
    const phoneOf = new Map(audience.active.map((phone, i) => [`H${i}`, phone]));
    const order = [...phoneOf.keys()].sort((a, b) => audienceShard(a) - audienceShard(b) || (a < b ? -1 : 1)).map((id) => phoneOf.get(id)!);
    // A sender reads the state of a chunk of 8 recipients, then sends to them 100 ms apart. Once 30
    // have the message, the 7 next in line (some of them read already, waiting for their slots) and
    // 6 further on text TD, all at once.
    while (platform.outbox.list().filter((m) => m.body === BODY).length < 30) await new Promise((r) => setTimeout(r, 5));
    const reached = new Set(platform.outbox.list().map((m) => m.to));
    const position = order.indexOf(platform.outbox.list().at(-1)!.to);
    const quitting = [...order.slice(position + 1, position + 8), ...order.slice(position + 40, position + 46)].filter((phone) => !reached.has(phone));
    await Promise.all(quitting.map((from) => local.text(from, 'TD')));
    const published = await publishing;
    expect(published.status).toBe(202);

    for (const phone of quitting) {
      const messages = platform.outbox.list(phone);
      const confirmation = messages.findIndex((m) => m.smsType === 'Transactional'); // the reply to TD
      expect(confirmation, `${phone} got its opt-out confirmation`).toBeGreaterThanOrEqual(0);
      expect(messages.slice(confirmation + 1), `${phone} after its confirmation`).toEqual([]);
      expect(messages.filter((m) => m.body === BODY).length).toBeLessThanOrEqual(1);
    }
    const view = await api('GET', `/admin/messages/${published.body.messageId}`, { token: pm });
    const { recipients, sent, skipped, failed, deferred } = view.body.counts;
    expect(recipients).toBe(120);
    expect(sent + skipped + failed + deferred).toBe(120);
    // Those further on were not reached before they quit: skipped as opted out.
    expect(view.body.counts.skippedByReason['opted-out']).toBeGreaterThanOrEqual(6);
    // The budget paces the broadcast; the opt-out confirmations are not paced (a reply answers at
    // once) and land all together on a full quota, so they and the sends they displace are
    // throttled a few times (0-11 in runs so far) and retried. Without the budget, 443 calls were
    // throttled and 40 recipients failed in a run; with it nobody is lost.
    expect(failed).toBe(0);
    expect(platform.smsQuota.throttled).toBeLessThan(2 * quitting.length);
  }, 120_000);
});
