import { describe, expect, it } from 'vitest';
import { DEFAULT_TIER_THRESHOLDS } from '../../packages/core/index.ts';
import { adminApiOnTestTable } from '../support/dynamo.ts';

const api = adminApiOnTestTable();
const call: typeof api.call = (...args) => api.call(...args);
const agent = { role: 'service-agent' as const, user: 'agent.zhao' };
const silverAssets = DEFAULT_TIER_THRESHOLDS.silver.assetsFen;
const zhang = { phone: '138 0013 8000', name: '张三', assetsFen: silverAssets - 1, riskTolerance: 'C3' };

const audits = async (entity: string) => (await api.table.items()).filter((i) => i.type === 'Audit' && i.entity === entity);

describe('customers (admin API on DynamoDB Local)', () => {
  it('creates a customer with an E.164 phone and a computed tier: 201, then 200 on replace', async () => {
    const created = await call('PUT', '/admin/customers/C1001', { body: zhang, ...agent });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ customerId: 'C1001', phone: '+8613800138000', tier: 'normal', timezone: 'Asia/Shanghai' });
    expect(created.body.openedAt).toBe(created.body.createdAt);
    const replaced = await call('PUT', '/admin/customers/C1001', { body: zhang, ...agent });
    expect(replaced.status).toBe(200);
    expect(replaced.body.openedAt).toBe(created.body.openedAt);
    expect(await audits('C1001')).toHaveLength(2);
  });

  it('returns the full customer view, with empty points, subscriptions and packages to begin with', async () => {
    const view = await call('GET', '/admin/customers/C1001', agent);
    expect(view.status).toBe(200);
    expect(view.body).toEqual({
      customer: expect.objectContaining({ customerId: 'C1001', phone: '+8613800138000' }),
      tier: 'normal',
      phoneStatus: 'ok',
      points: { balance: 0 },
      subscriptions: [],
      packages: [],
    });
    expect((await call('GET', '/admin/customers/NOBODY', agent)).status).toBe(404);
  });

  it('moves the tier up when assets cross a threshold, and down again when they fall', async () => {
    const up = await call('PUT', '/admin/customers/C1001', { body: { ...zhang, assetsFen: silverAssets }, ...agent });
    expect(up.body.tier).toBe('silver');
    expect((await call('GET', '/admin/customers/C1001', agent)).body.tier).toBe('silver');
    const gold = await call('PUT', '/admin/customers/C1001', { body: { ...zhang, annualCommissionFen: DEFAULT_TIER_THRESHOLDS.gold.annualCommissionFen }, ...agent });
    expect(gold.body.tier).toBe('gold');
    const down = await call('PUT', '/admin/customers/C1001', { body: zhang, ...agent });
    expect(down.body.tier).toBe('normal');
    const tierChange = (await audits('C1001')).find((a) => (a.after as Record<string, unknown>).tier === 'silver');
    expect(tierChange?.before).toMatchObject({ tier: 'normal', assetsFen: silverAssets - 1 });
  });

  it.each([
    ['a bad phone number', { ...zhang, phone: '12345' }, 'phone'],
    ['negative assets', { ...zhang, assetsFen: -5 }, 'assetsFen'],
    ['an unknown risk tolerance', { ...zhang, riskTolerance: 'C9' }, 'riskTolerance'],
    ['an unknown time zone', { ...zhang, timezone: 'Mars/Olympus' }, 'timezone'],
    ['an unknown field', { ...zhang, vip: true }, 'vip'],
    ['a body id that differs from the path', { ...zhang, customerId: 'OTHER' }, 'customerId'],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_label, body, field) => {
    const before = await api.table.items();
    const res = await call('PUT', '/admin/customers/C2002', { body, ...agent });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await api.table.items()).toEqual(before);
  });

  it('refuses a phone number that another customer holds (409), leaving no audit record', async () => {
    const before = await api.table.items();
    const res = await call('PUT', '/admin/customers/C3003', { body: { ...zhang, phone: '+8613800138000' }, ...agent });
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('phone-taken');
    expect(await api.table.items()).toEqual(before);
  });

  it('frees the old number when a customer changes phone', async () => {
    await call('PUT', '/admin/customers/C1001', { body: { ...zhang, phone: '13900139000' }, ...agent });
    const res = await call('PUT', '/admin/customers/C3003', { body: { ...zhang, phone: '13800138000' }, ...agent });
    expect(res.status).toBe(201);
  });

  it('enforces roles: product-manager 403 on PUT, auditor may read but not write', async () => {
    const before = await api.table.items();
    expect((await call('PUT', '/admin/customers/C4004', { body: zhang, role: 'product-manager' })).status).toBe(403);
    expect((await call('PUT', '/admin/customers/C4004', { body: zhang, role: 'auditor' })).status).toBe(403);
    expect((await call('GET', '/admin/customers/C1001', { role: 'auditor' })).status).toBe(200);
    expect((await call('GET', '/admin/customers/C1001', { role: 'product-manager' })).status).toBe(403);
    expect(await api.table.items()).toEqual(before);
  });
});

describe('audit trail (GET /admin/audit)', () => {
  it('lists records newest first with actor, role, action, entity and channel', async () => {
    const res = await call('GET', '/admin/audit', { role: 'auditor', query: { entity: 'C1001' } });
    expect(res.status).toBe(200);
    const items = res.body.items as Array<Record<string, string>>;
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(items[0]).toMatchObject({ actor: 'agent.zhao', role: 'service-agent', entity: 'C1001', channel: 'admin-api', action: 'customer.updated' });
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort().reverse());
  });

  it('filters by actor and by time range', async () => {
    await call('PUT', '/admin/customers/C5005', { body: { ...zhang, phone: '13700137000' }, role: 'admin', user: 'boss' });
    const byActor = await call('GET', '/admin/audit', { role: 'auditor', query: { actor: 'boss' } });
    expect(byActor.body.items.map((i: { entity: string }) => i.entity)).toEqual(['C5005']);
    const all = await call('GET', '/admin/audit', { role: 'auditor' });
    expect(all.body.items.length).toBe((await api.table.items()).filter((i) => i.type === 'Audit').length);
    const future = await call('GET', '/admin/audit', { role: 'auditor', query: { from: '2099-01-01T00:00:00Z' } });
    expect(future.body.items).toEqual([]);
    const limited = await call('GET', '/admin/audit', { role: 'auditor', query: { limit: '2' } });
    expect(limited.body.items).toHaveLength(2);
  });

  it('refuses bad filters and roles without audit access', async () => {
    expect((await call('GET', '/admin/audit', { role: 'auditor', query: { from: 'yesterday' } })).status).toBe(400);
    expect((await call('GET', '/admin/audit', { role: 'auditor', query: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } })).status).toBe(400);
    expect((await call('GET', '/admin/audit', { role: 'service-agent' })).status).toBe(403);
    expect((await call('GET', '/admin/audit', { role: 'product-manager' })).status).toBe(403);
  });
});
