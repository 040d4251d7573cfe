import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformClient } from '../support/client.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';

/** Compliance review and the consent ledger through `npm start`, as staff would use them over HTTP. */
let platform: RunningPlatform;
beforeAll(async () => {
  platform = await startPlatformProcess();
}, 90_000);
afterAll(async () => platform?.stop());

const { api } = platformClient(() => platform);
const tokenOf = async (role: string, user: string) => ((await (await fetch(`${platform.url}/local/dev-token?role=${role}&user=${user}`)).json()) as { token: string }).token;
const text = (from: string, body: string) => fetch(`${platform.url}/local/sms/inbound`, { method: 'POST', body: JSON.stringify({ from, text: body }) });
const outbox = async (to: string) => ((await (await fetch(`${platform.url}/local/sms/outbox?to=${encodeURIComponent(to)}`)).json()) as { items: Array<{ body: string }> }).items;
const adviser = { name: '王敏', registrationCode: 'S1234567890123' };
const PHONE = '+8613811112222';

describe('compliance review in the running platform', () => {
  let pm = '';
  let li = '';
  let zhou = '';

  beforeAll(async () => {
    pm = await tokenOf('product-manager', 'pm.wang');
    li = await tokenOf('compliance', 'compliance.li');
    zhou = await tokenOf('compliance', 'compliance.zhou');
    const admin = await tokenOf('admin', 'ops');
    expect((await api('POST', '/admin/products', { token: pm, body: { code: 'TIPS', name: '投资参考', kind: 'investment-tips', riskLevel: 'R1', pricing: null, smsType: 'Transactional' } })).status).toBe(201);
    await api('PUT', '/admin/customers/C1', { token: admin, body: { phone: PHONE, assetsFen: 0, riskTolerance: 'C3' } });
    await text(PHONE, 'DY TIPS');
  });

  it('publish -> pending -> reject -> edit -> approve -> sent once, with the adviser line', async () => {
    const before = (await outbox(PHONE)).length;
    const published = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'TIPS', body: '关注低估值蓝筹。', adviser } });
    expect(published.status).toBe(202);
    expect(published.body).toMatchObject({ status: 'pending-review', review: { required: true, approvals: [], approvalsRequired: 1 } });
    const id = published.body.messageId as string;
    const queue = await api('GET', '/admin/messages?status=pending-review', { token: li });
    expect(queue.body.items.map((m: { messageId: string }) => m.messageId)).toContain(id);
    expect((await api('POST', `/admin/messages/${id}/reviews`, { token: pm, body: { decision: 'approve' } })).status).toBe(403);
    const rejected = await api('POST', `/admin/messages/${id}/reviews`, { token: li, body: { decision: 'reject', note: '请补充风险提示' } });
    expect(rejected.body.status).toBe('rejected');
    const edited = await api('PATCH', `/admin/messages/${id}`, { token: pm, body: { body: '关注低估值蓝筹，注意分散配置。' } });
    expect(edited.body).toMatchObject({ status: 'pending-review', review: { approvals: [] } });
    expect(edited.body.contentHash).not.toBe(published.body.contentHash);
    const approved = await api('POST', `/admin/messages/${id}/reviews`, { token: li, body: { decision: 'approve' } });
    expect(approved.status).toBe(200);
    const sent = (await outbox(PHONE)).slice(before);
    expect(sent.map((s) => s.body)).toEqual(['【XX证券】关注低估值蓝筹，注意分散配置。投资顾问：王敏（执业编号S1234567890123）投资有风险，入市需谨慎。']);
    const view = await api('GET', `/admin/messages/${id}`, { token: zhou });
    expect(view.body.reviews.map((r: { decision: string; contentHash: string }) => [r.decision, r.contentHash])).toEqual([
      ['reject', published.body.contentHash],
      ['approve', edited.body.contentHash],
    ]);
    expect(view.body.status).toBe('sent');
    expect((await api('PATCH', `/admin/messages/${id}`, { token: pm, body: { body: '太迟了' } })).body).toMatchObject({ status: 409, reason: 'sending-began' });
  });

  it('a scheduled, approved message edited before its time sends nothing', async () => {
    const before = (await outbox(PHONE)).length;
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const published = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'TIPS', body: '盘前提示。', adviser, sendAt } });
    const id = published.body.messageId as string;
    expect((await api('POST', `/admin/messages/${id}/reviews`, { token: zhou, body: { decision: 'approve' } })).body.status).toBe('scheduled');
    expect((await api('PATCH', `/admin/messages/${id}`, { token: pm, body: { body: '盘前提示（已改）。' } })).body.status).toBe('pending-review');
    await api('POST', '/local/scheduler/tick', { body: { now: new Date(Date.now() + 2 * 3_600_000).toISOString() } });
    expect((await outbox(PHONE)).length).toBe(before);
    expect((await api('GET', `/admin/messages/${id}`, { token: pm })).body.status).toBe('pending-review');
  });

  it('refuses bad input with the field named and writes nothing: content rules 422, adviser 400, decision 400, self-review and not-pending 409', async () => {
    const violation = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'TIPS', body: '本基金稳-赚，保本！', adviser } });
    expect(violation.status).toBe(422);
    expect(violation.type).toBe('application/problem+json');
    expect(violation.body).toMatchObject({ type: 'urn:sms-platform:problem:content-violation', violations: [{ rule: 'promised-returns', match: '稳-赚' }, { rule: 'promised-returns', match: '保本' }] });
    const badCode = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'TIPS', body: '正常文本', adviser: { name: '王敏', registrationCode: 'S123' } } });
    expect(badCode.body.errors).toEqual([{ field: 'adviser.registrationCode', message: 'must be S followed by 13 digits (执业编号)' }]);
    const noAdviser = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'TIPS', body: '正常文本' } });
    expect(noAdviser.body.errors).toEqual([expect.objectContaining({ field: 'adviser' })]);
    const held = await api('POST', '/admin/messages', { token: pm, body: { productCode: 'TIPS', body: '待审。', adviser } });
    const id = held.body.messageId as string;
    expect((await api('POST', `/admin/messages/${id}/reviews`, { token: li, body: { decision: 'maybe' } })).body.errors).toEqual([expect.objectContaining({ field: 'decision' })]);
    const pmAdmin = await tokenOf('admin', 'pm.wang');
    expect((await api('POST', `/admin/messages/${id}/reviews`, { token: pmAdmin, body: { decision: 'approve' } })).body).toMatchObject({ status: 409, reason: 'self-review' });
    expect((await api('DELETE', `/admin/messages/${id}`, { token: pm })).status).toBe(204);
    expect((await api('POST', `/admin/messages/${id}/reviews`, { token: li, body: { decision: 'approve' } })).body).toMatchObject({ status: 409, reason: 'not-pending-review' });
    const audit = await api('GET', `/admin/audit?entity=${id}`, { token: li });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['message.cancelled', 'message.published']);
  });

  it('shows a number its consent ledger to compliance, whatever the format of the number asked for', async () => {
    const ledger = await api('GET', `/admin/consents?phone=${encodeURIComponent('138 1111 2222')}`, { token: li });
    expect(ledger.status).toBe(200);
    expect(ledger.body.items).toEqual([expect.objectContaining({ action: 'subscribe', productCode: 'TIPS', text: 'DY TIPS', channel: 'sms', phone: PHONE })]);
    expect((await api('GET', '/admin/consents?phone=not-a-number', { token: li })).status).toBe(400);
    expect((await api('GET', '/admin/consents?phone=13811112222', { token: pm })).status).toBe(403);
  });
});
