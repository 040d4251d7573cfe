import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POINTS_RULES, DEFAULT_TIER_THRESHOLDS } from '../../packages/core/index.ts';
import { platformClient } from '../support/client.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';

let platform: RunningPlatform;
const { token, api } = platformClient(() => platform);
let agent: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  agent = await token('service-agent');
  const pm = await token('product-manager');
  await api('POST', '/admin/products', { token: pm, body: { code: 'TIPS', name: '投资参考', kind: 'investment-tips', riskLevel: 'R2', pricing: { periodDays: 30, priceFen: 1000, pointsPrice: 100 } } });
  await api('POST', '/admin/products', { token: pm, body: { code: 'VIP', name: '佣金增值包', kind: 'commission-package', riskLevel: 'R1', pricing: { periodDays: 365 }, bundle: ['TIPS'], eligibleTiers: ['gold', 'platinum'] } });
  // Opened a year ago tomorrow (Shanghai time), so the next 01:00 loyalty run is their first anniversary.
  const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const opened = `${Number(tomorrow.slice(0, 4)) - 1}${tomorrow.slice(4)}`;
  await api('PUT', '/admin/customers/ZHANG', { token: agent, body: { phone: '13800138000', assetsFen: DEFAULT_TIER_THRESHOLDS.gold.assetsFen, riskTolerance: 'C3', openedAt: opened } });
  await api('PUT', '/admin/customers/LI', { token: agent, body: { phone: '13900139000', assetsFen: 0, riskTolerance: 'C2' } });
}, 90_000);
afterAll(async () => platform?.stop());

const balance = async (id: string) => (await api('GET', `/admin/customers/${id}`, { token: agent })).body.points.balance as number;
const commission = (tradeId: string) => ({
  source: 'trading',
  'detail-type': 'CommissionCharged',
  detail: { customerId: 'ZHANG', tradeId, commissionFen: 10_000, at: '2026-11-25T02:00:00Z' },
});

describe('points in the running platform', () => {
  it('credits a CommissionCharged event once, delivered five times in a row and five at once', async () => {
    for (let i = 0; i < 5; i++) expect((await api('POST', '/local/events', { body: commission('T-100') })).body).toEqual({ matchedRules: ['CommissionCharged'], failures: [] });
    await Promise.all(Array.from({ length: 5 }, () => api('POST', '/local/events', { body: commission('T-100') })));
    // 10,000 fen = 100 yuan -> 100 points x 125% (gold)
    expect(await balance('ZHANG')).toBe(125);
  });

  it('credits a referral once per referred customer', async () => {
    const referral = { source: 'crm', 'detail-type': 'CustomerReferred', detail: { referrerId: 'ZHANG', referredId: 'LI', at: '2026-11-25T02:00:00Z' } };
    await api('POST', '/local/events', { body: referral });
    await api('POST', '/local/events', { body: referral });
    expect(await balance('ZHANG')).toBe(125 + DEFAULT_POINTS_RULES.referralBonus);
  });

  it('reports an event for an unknown customer as a failed target (it would go to the DLQ in AWS)', async () => {
    const res = await api('POST', '/local/events', { body: { ...commission('T-200'), detail: { ...commission('T-200').detail, customerId: 'NOBODY' } } });
    expect(res.status).toBe(202);
    expect(res.body.failures).toEqual([{ rule: 'CommissionCharged', error: 'NotFoundError: Customer NOBODY does not exist' }]);
  });

  it('awards loyalty when the scheduler passes 01:00 on the anniversary, once however often it ticks', async () => {
    const before = await balance('ZHANG');
    const dayAfter = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const tick = await api('POST', '/local/scheduler/tick', { body: { now: dayAfter } });
    expect(tick.body.fired.some((name: string) => name.startsWith('loyalty-daily@'))).toBe(true);
    await api('POST', '/local/scheduler/tick', { body: { now: dayAfter } });
    expect(await balance('ZHANG')).toBe(before + DEFAULT_POINTS_RULES.loyaltyBonusPerYear);
    const ledger = await api('GET', '/admin/customers/ZHANG/points/ledger', { token: agent });
    expect(ledger.body.items[0]).toMatchObject({ kind: 'loyalty', reference: { year: 1 }, channel: 'schedule' });
  });

  it('adjusts once per key, redeems, and keeps the paid subscription when the package ends', async () => {
    const headers = { 'idempotency-key': 'e2e-adjust-1' };
    const first = await api('POST', '/admin/customers/LI/points/adjustments', { token: agent, body: { delta: 150, reason: 'service recovery' }, headers });
    const second = await api('POST', '/admin/customers/LI/points/adjustments', { token: agent, body: { delta: 150, reason: 'service recovery' }, headers });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await balance('LI')).toBe(150);

    expect((await api('POST', '/admin/customers/ZHANG/redemptions', { token: agent, body: { productCode: 'TIPS' }, headers: { 'idempotency-key': 'r1' } })).status).toBe(201);
    expect((await api('POST', '/admin/customers/ZHANG/packages', { token: agent, body: { productCode: 'VIP' } })).status).toBe(201);
    expect((await api('POST', '/admin/customers/LI/packages', { token: agent, body: { productCode: 'VIP' } })).body.reason).toBe('tier-not-eligible');
    expect((await api('DELETE', '/admin/customers/ZHANG/packages/VIP', { token: agent })).status).toBe(204);
    const view = (await api('GET', '/admin/customers/ZHANG', { token: agent })).body;
    expect(view.subscriptions).toEqual([expect.objectContaining({ productCode: 'TIPS', status: 'active', source: 'points' })]);
    expect(view.packages).toEqual([]);
  });
});
