import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  DEFAULT_POINTS_RULES,
  DEFAULT_TIER_THRESHOLDS,
  IdempotencyKeyReuseError,
} from '../../packages/core/index.ts';
import { pointsEnv, pointsServiceFromEnv, ulidGenerator } from '../../packages/lambda/index.ts';
import { agent, servicesOnTestTable, trading } from '../support/services.ts';

let p: Awaited<ReturnType<typeof servicesOnTestTable>>;
const gold = DEFAULT_TIER_THRESHOLDS.gold.assetsFen;
const silver = DEFAULT_TIER_THRESHOLDS.silver.assetsFen;

beforeAll(async () => {
  p = await servicesOnTestTable();
  await p.product({ code: 'TIPS', pricing: { periodDays: 30, priceFen: 1000, pointsPrice: 100 } });
  await p.product({ code: 'RISKY', riskLevel: 'R3', pricing: { periodDays: 30, pointsPrice: 10 } });
  await p.product({ code: 'ALERTS', kind: 'account-alerts', pricing: { periodDays: 30, priceFen: 500, pointsPrice: 50 } });
  await p.product({ code: 'IPO', kind: 'ipo-reminders', pricing: { periodDays: 30, pointsPrice: 20 } });
  await p.product({ code: 'VIP', kind: 'commission-package', pricing: { periodDays: 365 }, bundle: ['TIPS', 'ALERTS', 'IPO'], eligibleTiers: ['gold', 'platinum'] });
});
afterAll(async () => p.table.drop());

const key = (() => {
  let n = 0;
  return () => `k-${n++}`;
})();
const ledgerOf = async (id: string) => (await p.points.listLedger(id, { limit: 500 })).items;
const balanceOf = async (id: string) => (await p.customers.getCustomerView(id)).points.balance;
const itemsOf = async (id: string) =>
  (await p.table.items()).filter((i) => String(i.pk).includes(id) || i.customerId === id || i.entity === id);

describe('redeemWithPoints', () => {
  it('lets exactly 10 of 50 concurrent 100-point redemptions through against 1,000 points', async () => {
    await p.customer('RACE');
    await p.points.adjust('RACE', { delta: 1000, reason: 'opening balance' }, key(), agent);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => p.points.redeemWithPoints('RACE', 'TIPS', key(), agent)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused.map((r) => (r.reason as ConflictError).reason)).toEqual(Array(40).fill('insufficient-points'));
    expect(await balanceOf('RACE')).toBe(0);
    const ledger = await ledgerOf('RACE');
    expect(ledger.filter((e) => e.kind === 'redemption')).toHaveLength(10);
    expect(ledger.map((e) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => 11 - i));
    // ten periods of 30 days, stacked
    const view = await p.customers.getCustomerView('RACE');
    const expected = new Date(p.clock.now().getTime() + 300 * 86_400_000).toISOString();
    expect(view.subscriptions).toEqual([{ productCode: 'TIPS', status: 'active', source: 'points', expiresAt: expected }]);
  });

  it('refuses a C2 client an R3 product, changing no item', async () => {
    await p.customer('CAREFUL', { riskTolerance: 'C2' });
    await p.points.adjust('CAREFUL', { delta: 500, reason: 'gift' }, key(), agent);
    const before = await p.table.items();
    await expect(p.points.redeemWithPoints('CAREFUL', 'RISKY', key(), agent)).rejects.toMatchObject({ reason: 'unsuitable-risk' });
    expect(await p.table.items()).toEqual(before);
  });

  it('refuses with its own reason: not listed, wrong tier, too few points (saying how many are missing)', async () => {
    await p.customer('POOR');
    await p.points.adjust('POOR', { delta: 60, reason: 'gift' }, key(), agent);
    await expect(p.points.redeemWithPoints('POOR', 'TIPS', key(), agent)).rejects.toMatchObject({
      reason: 'insufficient-points',
      details: { balance: 60, required: 100, missingPoints: 40 },
    });
    await p.product({ code: 'GOLDONLY', eligibleTiers: ['gold', 'platinum'], pricing: { periodDays: 7, pointsPrice: 1 } });
    await expect(p.points.redeemWithPoints('POOR', 'GOLDONLY', key(), agent)).rejects.toMatchObject({ reason: 'tier-not-eligible' });
    await p.product({ code: 'OFF', listed: false, pricing: { periodDays: 7, pointsPrice: 1 } });
    await expect(p.points.redeemWithPoints('POOR', 'OFF', key(), agent)).rejects.toMatchObject({ reason: 'product-not-listed' });
    await p.product({ code: 'CASHONLY', pricing: { periodDays: 7, priceFen: 100 } });
    await expect(p.points.redeemWithPoints('POOR', 'CASHONLY', key(), agent)).rejects.toMatchObject({ reason: 'not-redeemable-with-points' });
    expect(await balanceOf('POOR')).toBe(60);
  });

  it('replays a redemption by its key, even once the balance could no longer pay for it', async () => {
    await p.customer('ONCE');
    await p.points.adjust('ONCE', { delta: 100, reason: 'gift' }, key(), agent);
    const first = await p.points.redeemWithPoints('ONCE', 'TIPS', 'same-key', agent);
    const again = await p.points.redeemWithPoints('ONCE', 'TIPS', 'same-key', agent);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await balanceOf('ONCE')).toBe(0);
    await expect(p.points.redeemWithPoints('ONCE', 'IPO', 'same-key', agent)).rejects.toBeInstanceOf(IdempotencyKeyReuseError);
  });
});

describe('earning points', () => {
  it('credits a commission once per tradeId however often and however concurrently it arrives', async () => {
    await p.customer('TRADER', { assetsFen: gold });
    const event = { customerId: 'TRADER', tradeId: 'T-1', commissionFen: 12_899 };
    for (let i = 0; i < 5; i++) await p.points.creditCommission(event, trading);
    await Promise.all(Array.from({ length: 5 }, () => p.points.creditCommission(event, trading)));
    await Promise.all(Array.from({ length: 5 }, () => p.points.creditCommission({ ...event, tradeId: 'T-2' }, trading)));
    // floor(12,899 fen x 1 point/100 fen x 125% for gold) = floor(161.2375) = 161
    expect(await balanceOf('TRADER')).toBe(2 * 161);
    expect((await ledgerOf('TRADER')).map((e) => e.reference?.tradeId)).toEqual(['T-2', 'T-1']);
  });

  it('credits a referral once per referred customer', async () => {
    await p.customer('REFERRER');
    await p.customer('NEW-1', { referrerId: 'REFERRER' });
    await p.customer('NEW-2');
    await p.points.creditReferral({ referrerId: 'REFERRER', referredId: 'NEW-1' }, { ...trading, actor: 'crm' });
    await p.points.creditReferral({ referrerId: 'REFERRER', referredId: 'NEW-1' }, { ...trading, actor: 'crm' });
    await p.points.creditReferral({ referrerId: 'REFERRER', referredId: 'NEW-2' }, { ...trading, actor: 'crm' });
    expect(await balanceOf('REFERRER')).toBe(2 * DEFAULT_POINTS_RULES.referralBonus);
  });

  it('refuses a referral of a customer who does not exist here, or whose record names another referrer, crediting nothing', async () => {
    await p.customer('HONEST');
    await p.customer('OTHER');
    await p.customer('REFERRED-BY-OTHER', { referrerId: 'OTHER' });
    const before = await p.table.items();
    await expect(p.points.creditReferral({ referrerId: 'HONEST', referredId: 'MADE-UP-1' }, { ...trading, actor: 'crm' })).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(p.points.creditReferral({ referrerId: 'HONEST', referredId: 'REFERRED-BY-OTHER' }, { ...trading, actor: 'crm' })).rejects.toMatchObject({ reason: 'referrer-mismatch' });
    expect(await p.table.items()).toEqual(before);
  });

  it('refuses an event that would credit more than the ceiling per event, crediting nothing', async () => {
    await p.customer('WHALE', { assetsFen: DEFAULT_TIER_THRESHOLDS.platinum.assetsFen });
    const before = await p.table.items();
    // 50,000,000 fen (the most one trade may carry) x 1 point per yuan x 150% = 750,000 points: under the default ceiling...
    const ceiling = DEFAULT_POINTS_RULES.maxPointsPerEvent;
    expect(ceiling).toBeGreaterThanOrEqual(750_000);
    // ...but a rate configured ten times higher would credit 7.5 million: refused.
    const generous = pointsServiceFromEnv(pointsEnv.parse({ TABLE_NAME: p.table.tableName, POINTS_RULES: JSON.stringify({ ...DEFAULT_POINTS_RULES, commission: { points: 10, perFen: 100 } }) }), p.repos, { clock: p.clock, ids: ulidGenerator });
    await expect(generous.creditCommission({ customerId: 'WHALE', tradeId: 'T-HUGE', commissionFen: 50_000_000 }, trading)).rejects.toMatchObject({ reason: 'points-ceiling' });
    expect(await p.table.items()).toEqual(before);
  });

  it('awards loyalty for each full year once, also when runs are missed or repeated', async () => {
    await p.customer('LOYAL', { openedAt: '2024-11-27' });
    await p.customer('LEAPDAY', { openedAt: '2024-02-29' });
    p.clock.set('2026-11-26T17:00:00Z'); // 2026-11-27 01:00 in Shanghai: the 2nd anniversary
    expect((await p.points.awardLoyalty(p.clock.now(), trading)).awarded).toBe(1);
    expect((await p.points.awardLoyalty(p.clock.now(), trading)).awarded).toBe(0);
    p.clock.set('2026-12-01T17:00:00Z'); // a later run still sees the anniversary in its look-back
    expect((await p.points.awardLoyalty(p.clock.now(), trading)).awarded).toBe(0);
    expect((await ledgerOf('LOYAL')).map((e) => [e.kind, e.delta, e.reference?.year])).toEqual([
      ['loyalty', DEFAULT_POINTS_RULES.loyaltyBonusPerYear, 2],
    ]);
    p.clock.set('2027-02-28T17:00:00Z'); // 2027-03-01 in Shanghai; Feb 28 2027 is in the look-back
    await p.points.awardLoyalty(p.clock.now(), trading);
    expect((await ledgerOf('LEAPDAY')).map((e) => e.reference?.year)).toEqual([3]);
    p.clock.set('2026-11-25T02:00:00.000Z');
  });
});

describe('adjustments', () => {
  it('awards the suggestion bonus when no delta is given, and refuses a debit below zero changing nothing', async () => {
    await p.customer('IDEAS');
    const { entry } = await p.points.adjust('IDEAS', { reason: 'suggestion', note: 'better IPO texts' }, key(), agent);
    expect(entry).toMatchObject({ delta: DEFAULT_POINTS_RULES.suggestionBonus, kind: 'adjustment', reason: 'suggestion', actor: 'agent.zhao' });
    const before = await p.table.items();
    await expect(p.points.adjust('IDEAS', { delta: -1000, reason: 'correction' }, key(), agent)).rejects.toMatchObject({ reason: 'insufficient-points' });
    expect(await p.table.items()).toEqual(before);
  });
});

describe('tier upgrade with points', () => {
  it('moves a silver client to gold for the term; a fall in assets does not demote them before it ends', async () => {
    await p.customer('CLIMBER', { assetsFen: silver });
    await p.points.adjust('CLIMBER', { delta: DEFAULT_POINTS_RULES.tierUpgradeCost.gold + 1, reason: 'gift' }, key(), agent);
    const upgrade = await p.points.upgradeTier('CLIMBER', key(), agent);
    expect(upgrade).toMatchObject({ previousTier: 'silver', tier: 'gold' });
    expect(await balanceOf('CLIMBER')).toBe(1);
    await p.customers.putCustomer('CLIMBER', { phone: (await p.customers.getCustomerView('CLIMBER')).customer.phone, assetsFen: 0, riskTolerance: 'C3' }, agent);
    expect((await p.customers.getCustomerView('CLIMBER')).tier).toBe('gold');
    p.clock.advanceDays(DEFAULT_POINTS_RULES.tierUpgradeTermDays + 1);
    expect((await p.customers.getCustomerView('CLIMBER')).tier).toBe('normal');
    p.clock.set('2026-11-25T02:00:00.000Z');
    await expect(p.points.upgradeTier('CLIMBER', key(), agent)).rejects.toMatchObject({ reason: 'insufficient-points' });
  });

  it('refuses to go above platinum', async () => {
    await p.customer('TOP', { assetsFen: DEFAULT_TIER_THRESHOLDS.platinum.assetsFen });
    await expect(p.points.upgradeTier('TOP', key(), agent)).rejects.toMatchObject({ reason: 'already-top-tier' });
  });
});

describe('commission packages', () => {
  it('refuses a silver client (409 tier-not-eligible) and changes no item', async () => {
    await p.customer('SILVER', { assetsFen: silver });
    const before = await p.table.items();
    await expect(p.packages.grantPackage('SILVER', 'VIP', agent)).rejects.toMatchObject({ reason: 'tier-not-eligible' });
    expect(await p.table.items()).toEqual(before);
  });

  it('gives gifts for the whole bundle; ending it ends the gifts but not what the client paid for', async () => {
    await p.customer('GOLD', { assetsFen: gold });
    await p.points.adjust('GOLD', { delta: 100, reason: 'gift' }, key(), agent);
    await p.points.redeemWithPoints('GOLD', 'TIPS', key(), agent);
    const pkg = await p.packages.grantPackage('GOLD', 'VIP', agent);
    expect(pkg.bundle).toEqual(['TIPS', 'ALERTS', 'IPO']);
    await expect(p.packages.grantPackage('GOLD', 'VIP', agent)).rejects.toMatchObject({ reason: 'package-already-held' });
    let view = await p.customers.getCustomerView('GOLD');
    expect(view.packages).toEqual([{ productCode: 'VIP', expiresAt: pkg.expiresAt, bundle: ['TIPS', 'ALERTS', 'IPO'] }]);
    expect(Object.fromEntries(view.subscriptions.map((s) => [s.productCode, [s.status, s.source]]))).toEqual({
      TIPS: ['active', 'points'],
      ALERTS: ['active', 'gift'],
      IPO: ['active', 'gift'],
    });

    await p.packages.endPackage('GOLD', 'VIP', agent);
    view = await p.customers.getCustomerView('GOLD');
    expect(view.packages).toEqual([]);
    expect(Object.fromEntries(view.subscriptions.map((s) => [s.productCode, [s.status, s.source]]))).toEqual({
      TIPS: ['active', 'points'],
      ALERTS: ['ended', 'gift'],
      IPO: ['ended', 'gift'],
    });
    // Only active subscriptions stay in the audience index.
    const audience = (await itemsOf('GOLD')).filter((i) => String(i.gsi1pk ?? '').startsWith('AUDIENCE#'));
    expect(audience.map((i) => i.productCode)).toEqual(['TIPS']);
    await expect(p.packages.endPackage('GOLD', 'VIP', agent)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses a package whose bundle the client is not suitable for', async () => {
    await p.product({ code: 'RISKPKG', kind: 'commission-package', pricing: { periodDays: 30 }, bundle: ['RISKY'], eligibleTiers: ['gold', 'platinum'] });
    await p.customer('GOLDC1', { assetsFen: gold, riskTolerance: 'C1' });
    await expect(p.packages.grantPackage('GOLDC1', 'RISKPKG', agent)).rejects.toMatchObject({ reason: 'unsuitable-risk' });
  });
});

describe('ledger', () => {
  it('pages newest first with a cursor, and refuses a foreign cursor', async () => {
    await p.customer('PAGED');
    for (let i = 1; i <= 5; i++) await p.points.adjust('PAGED', { delta: i, reason: `r${i}` }, key(), agent);
    const first = await p.points.listLedger('PAGED', { limit: 2 });
    expect(first.items.map((e) => e.delta)).toEqual([5, 4]);
    const second = await p.points.listLedger('PAGED', { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.delta)).toEqual([3, 2]);
    const foreign = (await p.points.listLedger('RACE', { limit: 1 })).nextCursor!;
    await expect(p.points.listLedger('PAGED', { limit: 2, cursor: foreign })).rejects.toMatchObject({ name: 'ValidationError' });
    expect(second.items[0]).toMatchObject({ balanceAfter: 6, reason: 'r3', kind: 'adjustment' });
  });
});
