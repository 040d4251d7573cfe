import { describe, expect, it } from 'vitest';
import { DEFAULT_TIER_THRESHOLDS } from '../../packages/core/index.ts';
import { adminApiOnTestTable } from '../support/dynamo.ts';

const api = adminApiOnTestTable();
const agent = { role: 'service-agent' as const, user: 'agent.zhao' };
const withKey = (key: string) => ({ headers: { 'content-type': 'application/json', 'idempotency-key': key } });

async function setUp(id: string, assetsFen = 0, phone = '13800138000') {
  await api.call('PUT', `/admin/customers/${id}`, { body: { phone, assetsFen, riskTolerance: 'C3' }, ...agent });
}

describe('points over the admin API', () => {
  it('applies an adjustment once per Idempotency-Key; the replay answers the same; another body is 422', async () => {
    await setUp('C1');
    const first = await api.call('POST', '/admin/customers/C1/points/adjustments', { body: { delta: 300, reason: 'welcome' }, ...agent, ...withKey('a-1') });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ delta: 300, balanceAfter: 300, reason: 'welcome', seq: 1 });
    const replay = await api.call('POST', '/admin/customers/C1/points/adjustments', { body: { delta: 300, reason: 'welcome' }, ...agent, ...withKey('a-1') });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const other = await api.call('POST', '/admin/customers/C1/points/adjustments', { body: { delta: 999, reason: 'welcome' }, ...agent, ...withKey('a-1') });
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('urn:sms-platform:problem:idempotency-key-reused');
    const view = await api.call('GET', '/admin/customers/C1', agent);
    expect(view.body.points).toEqual({ balance: 300 });
    const audits = (await api.table.items()).filter((i) => i.type === 'Audit' && i.action === 'points.adjusted');
    expect(audits).toHaveLength(1);
  });

  it('refuses a debit below zero with 409 and changes nothing', async () => {
    const before = await api.table.items();
    const res = await api.call('POST', '/admin/customers/C1/points/adjustments', { body: { delta: -301, reason: 'correction' }, ...agent, ...withKey('a-2') });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ reason: 'insufficient-points', missingPoints: 1, balance: 300 });
    expect(await api.table.items()).toEqual(before);
  });

  it('requires the Idempotency-Key header, a reason and a non-zero integer delta (400, nothing written)', async () => {
    const before = await api.table.items();
    const noKey = await api.call('POST', '/admin/customers/C1/points/adjustments', { body: { delta: 5, reason: 'x' }, ...agent });
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'required header' }]);
    for (const body of [{ delta: 5 }, { delta: 0, reason: 'x' }, { delta: 1.5, reason: 'x' }, { reason: 'not a suggestion' }, { delta: 5, reason: 'x', extra: 1 }]) {
      expect((await api.call('POST', '/admin/customers/C1/points/adjustments', { body, ...agent, ...withKey(`bad-${JSON.stringify(body)}`) })).status).toBe(400);
    }
    expect((await api.call('POST', '/admin/customers/NOBODY/points/adjustments', { body: { delta: 5, reason: 'x' }, ...agent, ...withKey('nobody') })).status).toBe(404);
    expect((await api.call('POST', '/admin/customers/C1/points/adjustments', { body: { delta: 5, reason: 'x' }, role: 'product-manager', ...withKey('pm') })).status).toBe(403);
    expect(await api.table.items()).toEqual(before);
  });

  it('pages the ledger', async () => {
    const res = await api.call('GET', '/admin/customers/C1/points/ledger', { ...agent, query: { limit: '10' } });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.nextCursor).toBeUndefined();
    expect((await api.call('GET', '/admin/customers/C1/points/ledger', { ...agent, query: { cursor: 'junk' } })).status).toBe(400);
  });

  it('hands out opaque cursors and refuses an edited or forged one with 400 problem+json', async () => {
    for (let i = 0; i < 3; i++) await api.call('POST', '/admin/customers/C1/points/adjustments', { body: { delta: 1, reason: 'page' }, ...agent, ...withKey(`page-${i}`) });
    const first = await api.call('GET', '/admin/customers/C1/points/ledger', { ...agent, query: { limit: '2' } });
    const cursor = first.body.nextCursor as string;
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toMatch(/LEDGER|pk|sk/);
    const second = await api.call('GET', '/admin/customers/C1/points/ledger', { ...agent, query: { limit: '2', cursor } });
    expect(second.status).toBe(200);
    expect(second.body.items.length).toBeGreaterThan(0);
    const flipped = `${cursor.slice(0, 10)}${cursor[10] === 'A' ? 'B' : 'A'}${cursor.slice(11)}`;
    const forged = Buffer.from(JSON.stringify({ pk: 'LEDGER#C1', sk: '' })).toString('base64url');
    for (const bad of [flipped, forged, cursor.slice(0, -2)]) {
      const res = await api.call('GET', '/admin/customers/C1/points/ledger', { ...agent, query: { cursor: bad } });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.body.errors).toEqual([{ field: 'cursor', message: 'is not a cursor of this ledger' }]);
    }
    // A cursor of one customer's ledger does not page another's.
    await api.call('PUT', '/admin/customers/C9', { body: { phone: '13900139009', assetsFen: 0, riskTolerance: 'C3' }, ...agent });
    expect((await api.call('GET', '/admin/customers/C9/points/ledger', { ...agent, query: { cursor } })).status).toBe(400);
  });

  it('grants and ends a package over HTTP: 201, 409 for a silver client, 204, 404', async () => {
    const pm = { role: 'product-manager' as const };
    await api.call('POST', '/admin/products', { body: { code: 'TIPS', name: 't', kind: 'investment-tips', riskLevel: 'R1', pricing: { periodDays: 30, pointsPrice: 100 } }, ...pm });
    await api.call('POST', '/admin/products', { body: { code: 'VIP', name: 'v', kind: 'commission-package', riskLevel: 'R1', pricing: { periodDays: 365 }, bundle: ['TIPS'], eligibleTiers: ['gold', 'platinum'] }, ...pm });
    await setUp('SILVER', DEFAULT_TIER_THRESHOLDS.silver.assetsFen, '13900139001');
    await setUp('GOLD', DEFAULT_TIER_THRESHOLDS.gold.assetsFen, '13900139002');
    const refused = await api.call('POST', '/admin/customers/SILVER/packages', { body: { productCode: 'VIP' }, ...agent });
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe('tier-not-eligible');
    const granted = await api.call('POST', '/admin/customers/GOLD/packages', { body: { productCode: 'VIP' }, ...agent });
    expect(granted.status).toBe(201);
    expect(granted.body.bundle).toEqual(['TIPS']);
    expect((await api.call('GET', '/admin/customers/GOLD', agent)).body.subscriptions).toEqual([
      { productCode: 'TIPS', status: 'active', source: 'gift', expiresAt: granted.body.expiresAt },
    ]);
    expect((await api.call('DELETE', '/admin/customers/GOLD/packages/VIP', agent)).status).toBe(204);
    expect((await api.call('DELETE', '/admin/customers/GOLD/packages/VIP', agent)).status).toBe(404);
    expect((await api.call('GET', '/admin/customers/GOLD', agent)).body.subscriptions[0].status).toBe('ended');
  });

  it('redeems and upgrades tiers with points over HTTP', async () => {
    await api.call('POST', '/admin/customers/C1/points/adjustments', { body: { delta: 20_000, reason: 'promo' }, ...agent, ...withKey('promo') });
    const redeemed = await api.call('POST', '/admin/customers/C1/redemptions', { body: { productCode: 'TIPS' }, ...agent, ...withKey('r-1') });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body.subscription).toMatchObject({ productCode: 'TIPS', status: 'active', source: 'points' });
    const upgraded = await api.call('POST', '/admin/customers/C1/tier-upgrades', { body: {}, ...agent, ...withKey('u-1') });
    expect(upgraded.status).toBe(201);
    expect(upgraded.body).toMatchObject({ previousTier: 'normal', tier: 'silver' });
    expect((await api.call('GET', '/admin/customers/C1', agent)).body.tier).toBe('silver');
  });
});
