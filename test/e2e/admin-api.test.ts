import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ISSUER } from '../../packages/local/index.ts';
import { platformClient } from '../support/client.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';

const SECRET = 'e2e-secret-0123456789abcdef0123456789abcdef';
let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatformProcess({ LOCAL_JWT_SECRET: SECRET });
}, 90_000);
afterAll(async () => platform?.stop());

const { token, api } = platformClient(() => platform);

const product = { code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', riskLevel: 'R1', pricing: null };

describe('npm start (the embedded platform)', () => {
  it('serves /local/health 200 within 60 s and prints how to get a dev token', () => {
    expect(platform.startupMs).toBeLessThan(60_000);
    expect(platform.output()).toMatch(/SMS platform running at http:\/\/127\.0\.0\.1:\d+/);
    expect(platform.output()).toContain('/local/dev-token?role=admin');
  });

  it('creates, reads, patches, delists and lists a product over HTTP', async () => {
    const pm = await token('product-manager');
    expect((await api('POST', '/admin/products', { token: pm, body: product })).status).toBe(201);
    expect((await api('POST', '/admin/products', { token: pm, body: product })).status).toBe(409);
    expect((await api('GET', '/admin/products/IPO', { token: pm })).body).toMatchObject({ code: 'IPO', pricing: null, listed: true });
    expect((await api('PATCH', '/admin/products/IPO', { token: pm, body: { description: '新股申购与上市提醒' } })).status).toBe(200);
    expect((await api('POST', '/admin/products/IPO/listing', { token: pm, body: { listed: false } })).body.listed).toBe(false);
    const list = await api('GET', '/admin/products', { token: pm });
    expect(list.body.items).toEqual([expect.objectContaining({ code: 'IPO', listed: false, description: '新股申购与上市提醒' })]);
  });

  it('answers problem+json 400 naming each bad field', async () => {
    const pm = await token('product-manager');
    const res = await api('POST', '/admin/products', { token: pm, body: { ...product, code: 'ABCDEFGHIJKLMNOPQ', riskLevel: 'R9', surprise: 1 } });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'riskLevel', 'surprise']);
    expect((await api('GET', '/admin/products', { token: pm })).body.items).toHaveLength(1);
  });

  it('401 without a token, with an expired one or a wrongly signed one; 403 for the wrong role', async () => {
    expect((await api('GET', '/admin/products')).status).toBe(401);
    const key = new TextEncoder().encode(SECRET);
    const claims = { 'cognito:groups': ['admin'], 'cognito:username': 'mallory' };
    const expired = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(LOCAL_ISSUER)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600).sign(key);
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(LOCAL_ISSUER)
      .setExpirationTime('1h').sign(new TextEncoder().encode('not-the-secret-not-the-secret-000'));
    for (const bad of [expired, forged, 'garbage']) {
      const res = await api('GET', '/admin/products', { token: bad });
      expect(res.status).toBe(401);
      expect(res.type).toBe('application/problem+json');
    }
    const pm = await token('product-manager');
    const customer = { phone: '13800138000', assetsFen: 0, riskTolerance: 'C2' };
    expect((await api('PUT', '/admin/customers/C1', { token: pm, body: customer })).status).toBe(403);
    const agent = await token('service-agent');
    expect((await api('PUT', '/admin/customers/C1', { token: agent, body: customer })).status).toBe(201);
    expect((await api('GET', '/admin/customers/C1', { token: agent })).body).toMatchObject({ tier: 'normal', points: { balance: 0 } });
  });

  it('records every change in the audit log, readable by an auditor', async () => {
    const auditor = await token('auditor');
    const res = await api('GET', '/admin/audit?entity=IPO', { token: auditor });
    expect(res.body.items.map((i: { action: string }) => i.action)).toEqual(['product.delisted', 'product.updated', 'product.created']);
    expect(res.body.items[0]).toMatchObject({ actor: 'local-product-manager', role: 'product-manager', channel: 'admin-api', entity: 'IPO' });
  });

  it('publishes the OpenAPI document of every admin route without auth', async () => {
    const res = await api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/admin/audit',
      '/admin/cases',
      '/admin/cases/{caseId}',
      '/admin/cases/{caseId}/close',
      '/admin/consents',
      '/admin/customers/{customerId}',
      '/admin/customers/{customerId}/messages',
      '/admin/customers/{customerId}/packages',
      '/admin/customers/{customerId}/packages/{productCode}',
      '/admin/customers/{customerId}/points/adjustments',
      '/admin/customers/{customerId}/points/ledger',
      '/admin/customers/{customerId}/redemptions',
      '/admin/customers/{customerId}/tier-upgrades',
      '/admin/messages',
      '/admin/messages/{messageId}',
      '/admin/messages/{messageId}/recipients',
      '/admin/messages/{messageId}/reviews',
      '/admin/products',
      '/admin/products/{code}',
      '/admin/products/{code}/listing',
      '/admin/products/{code}/stats',
      '/admin/surveys',
      '/admin/surveys/{surveyId}',
      '/openapi.json',
    ]);
    expect(res.body.components.schemas.CreateProduct.properties.riskLevel.enum).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
  });

  it('offers the local endpoints: outbox, events, scheduler tick', async () => {
    expect((await api('GET', '/local/sms/outbox')).body).toEqual({ items: [] });
    const sample = { source: 'trading', 'detail-type': 'CommissionCharged', detail: { customerId: 'C1', tradeId: 'T1', commissionFen: 100, at: '2026-11-25T00:00:00Z' } };
    expect((await api('POST', '/local/events', { body: sample })).status).toBe(202);
    expect((await api('POST', '/local/events', { body: { source: 'other', 'detail-type': 'Unrelated', detail: {} } })).body).toEqual({ matchedRules: [], failures: [] });
    const bad = await api('POST', '/local/events', { body: { ...sample, detail: { customerId: 'C1' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('detail.tradeId');
    expect((await api('POST', '/local/scheduler/tick', { body: { now: new Date(Date.now() + 60_000).toISOString() } })).status).toBe(200);
    expect((await api('POST', '/local/scheduler/tick', { body: { now: 'soon' } })).status).toBe(400);
    expect((await api('GET', '/local/dev-token?role=root')).status).toBe(400);
  });
});
