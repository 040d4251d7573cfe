import { describe, expect, it } from 'vitest';
import { adminApiOnTestTable } from '../support/dynamo.ts';

const api = adminApiOnTestTable();
const call: typeof api.call = (...args) => api.call(...args);
const pm = { role: 'product-manager' as const, user: 'pm.wang' };
const tips = {
  code: 'TIPS',
  name: '每日投资参考',
  kind: 'investment-tips',
  riskLevel: 'R2',
  pricing: { periodDays: 30, priceFen: 1000, pointsPrice: 100 },
};

async function auditFor(entity: string) {
  return (await api.table.items()).filter((i) => i.type === 'Audit' && i.entity === entity);
}

describe('product catalog (admin API on DynamoDB Local)', () => {
  it('creates a product, reads it back and lists it', async () => {
    const created = await call('POST', '/admin/products', { body: tips, ...pm });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...tips, listed: true, smsType: 'Promotional', version: 1 });
    expect((await call('GET', '/admin/products/TIPS', pm)).body).toEqual(created.body);
    expect((await call('GET', '/admin/products', pm)).body.items.map((p: { code: string }) => p.code)).toContain('TIPS');
    expect(await auditFor('TIPS')).toHaveLength(1);
  });

  it('answers 409 to a second create of the same code and writes nothing', async () => {
    const before = await api.table.items();
    const again = await call('POST', '/admin/products', { body: { ...tips, name: 'other' }, ...pm });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: 'product-exists', type: 'urn:sms-platform:problem:conflict' });
    expect(await api.table.items()).toEqual(before);
  });

  it.each([
    ['an unknown risk level', { ...tips, code: 'BAD1', riskLevel: 'R9' }, 'riskLevel'],
    ['a 17-letter code', { ...tips, code: 'ABCDEFGHIJKLMNOPQ' }, 'code'],
    ['a negative price', { ...tips, code: 'BAD2', pricing: { periodDays: 30, priceFen: -1 } }, 'pricing.priceFen'],
    ['an unknown field', { ...tips, code: 'BAD3', colour: 'red' }, 'colour'],
    ['a lower-case code', { ...tips, code: 'tips2' }, 'code'],
    ['a bundle on a non-package', { ...tips, code: 'BAD4', bundle: ['TIPS'] }, 'bundle'],
    ['a paid product without a price', { ...tips, code: 'BAD5', pricing: { periodDays: 30 } }, 'pricing'],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_label, body, field) => {
    const before = await api.table.items();
    const res = await call('POST', '/admin/products', { body, ...pm });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await api.table.items()).toEqual(before);
  });

  it('patches fields, bumps the version and audits only what changed', async () => {
    const res = await call('PATCH', '/admin/products/TIPS', { body: { name: '早盘参考', riskLevel: 'R3' }, ...pm });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 'TIPS', name: '早盘参考', riskLevel: 'R3', version: 2 });
    const audits = await auditFor('TIPS');
    expect(audits).toHaveLength(2);
    const patch = audits.find((a) => a.action === 'product.updated')!;
    expect(patch.before).toEqual({ name: '每日投资参考', riskLevel: 'R2' });
    expect(patch.after).toEqual({ name: '早盘参考', riskLevel: 'R3' });
  });

  it('refuses a patch that changes the code or breaks a rule, changing nothing', async () => {
    const before = await api.table.items();
    expect((await call('PATCH', '/admin/products/TIPS', { body: { code: 'NEW' }, ...pm })).status).toBe(400);
    expect((await call('PATCH', '/admin/products/TIPS', { body: { pricing: { periodDays: 0 } }, ...pm })).status).toBe(400);
    expect((await call('PATCH', '/admin/products/NOPE', { body: { name: 'x' }, ...pm })).status).toBe(404);
    expect(await api.table.items()).toEqual(before);
  });

  it('refuses an empty patch (400) and writes nothing for a patch that changes nothing', async () => {
    const before = await api.table.items();
    const empty = await call('PATCH', '/admin/products/TIPS', { body: {}, ...pm });
    expect(empty.status).toBe(400);
    const current = (await call('GET', '/admin/products/TIPS', pm)).body;
    const same = await call('PATCH', '/admin/products/TIPS', { body: { name: current.name }, ...pm });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(current.version);
    expect(await api.table.items()).toEqual(before);
  });

  it('delists (下架) and lists (上架) a product, one audit record each', async () => {
    const off = await call('POST', '/admin/products/TIPS/listing', { body: { listed: false }, ...pm });
    expect(off.body.listed).toBe(false);
    const on = await call('POST', '/admin/products/TIPS/listing', { body: { listed: true }, ...pm });
    expect(on.body.listed).toBe(true);
    const actions = (await auditFor('TIPS')).map((a) => a.action);
    expect(actions.filter((a) => a === 'product.delisted')).toHaveLength(1);
    expect(actions.filter((a) => a === 'product.listed')).toHaveLength(1);
  });

  it('creates a commission package only for gold/platinum with a bundle of existing products', async () => {
    const pkg = { code: 'VIP', name: '佣金增值包', kind: 'commission-package', riskLevel: 'R1', pricing: { periodDays: 365 }, eligibleTiers: ['gold', 'platinum'] };
    expect((await call('POST', '/admin/products', { body: { ...pkg, bundle: ['TIPS', 'NOPE'] }, ...pm })).body.errors).toEqual([
      { field: 'bundle.1', message: 'product NOPE does not exist' },
    ]);
    expect((await call('POST', '/admin/products', { body: { ...pkg, bundle: ['TIPS'], eligibleTiers: ['silver'] }, ...pm })).status).toBe(400);
    const ok = await call('POST', '/admin/products', { body: { ...pkg, bundle: ['TIPS'] }, ...pm });
    expect(ok.status).toBe(201);
    expect(ok.body.bundle).toEqual(['TIPS']);
  });

  it('lets a service agent read but not write products', async () => {
    expect((await call('GET', '/admin/products/TIPS', { role: 'service-agent' })).status).toBe(200);
    expect((await call('POST', '/admin/products', { body: { ...tips, code: 'AGENT' }, role: 'service-agent' })).status).toBe(403);
  });

  it('lets exactly one of two concurrent patches of the same version win', async () => {
    const results = await Promise.all([
      call('PATCH', '/admin/products/TIPS', { body: { description: 'a' }, ...pm }),
      call('PATCH', '/admin/products/TIPS', { body: { description: 'b' }, ...pm }),
      call('PATCH', '/admin/products/TIPS', { body: { description: 'c' }, ...pm }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const product = (await call('GET', '/admin/products/TIPS', pm)).body;
    const audits = (await auditFor('TIPS')).filter((a) => a.action === 'product.updated');
    // one audit record per successful write, and the stored version counts exactly those writes
    expect(audits).toHaveLength(1 + statuses.filter((s) => s === 200).length);
    expect(product.version).toBe(1 + audits.length + 2);
  });
});
