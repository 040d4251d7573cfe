import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformClient } from '../support/client.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';
import { daytimeZone } from '../support/time-zones.ts';

/** Client feedback by SMS and the staff side of it, through `npm start`, over HTTP only. */
let platform: RunningPlatform;
beforeAll(async () => {
  platform = await startPlatformProcess();
}, 90_000);
afterAll(async () => platform?.stop());

const client = platformClient(() => platform);
const { api, token, text } = client;
const outbox = async (to: string) => (await client.outbox(to)).map((i) => i.body);
const WANG = '+8613833330001';
const ZHAO = '+8613833330002';

describe('client feedback in the running platform', () => {
  let pm = '';
  let agent = '';

  beforeAll(async () => {
    pm = await token('product-manager');
    agent = await token('service-agent');
    expect((await api('POST', '/admin/products', { token: pm, body: { code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', riskLevel: 'R1', pricing: null } })).status).toBe(201);
    for (const [id, phone] of [['W1', WANG], ['Z1', ZHAO]] as const) {
      await api('PUT', `/admin/customers/${id}`, { token: agent, body: { phone, assetsFen: 0, riskTolerance: 'C3', timezone: daytimeZone() } });
      await text(phone, 'DY IPO');
    }
  });

  it('a complaint by SMS gets its case id and deadline; the agent closes it and the client is texted the resolution', async () => {
    await text(WANG, 'TS 提醒短信收到两次');
    const reply = (await outbox(WANG)).at(-1)!;
    const caseId = /编号([0-9A-Z]+)/.exec(reply)?.[1];
    expect(reply).toContain('24小时内答复');
    const listed = await api('GET', '/admin/cases?kind=complaint&status=open', { token: agent });
    expect(listed.body.items).toEqual([expect.objectContaining({ caseId, kind: 'complaint', customerId: 'W1', text: '提醒短信收到两次', status: 'open' })]);
    expect((await api('GET', '/admin/cases?kind=complaint', { token: pm })).status).toBe(403);
    expect((await api('POST', `/admin/cases/${caseId}/close`, { token: pm, body: { resolution: 'x' } })).status).toBe(403);
    const closed = await api('POST', `/admin/cases/${caseId}/close`, { token: agent, body: { resolution: '已修复重复发送' } });
    expect(closed.body).toMatchObject({ status: 'closed', resolutionSms: 'sent' });
    expect((await outbox(WANG)).at(-1)).toBe(`【XX证券】关于您的投诉（编号${caseId}）：已修复重复发送`);
    expect((await api('POST', `/admin/cases/${caseId}/close`, { token: agent, body: { resolution: 'x', awardSuggestionBonus: true } })).body).toMatchObject({ status: 409, reason: 'not-a-suggestion' });
  });

  it('an adopted suggestion earns the bonus once, however often the close is sent; feedback shows in the product stats', async () => {
    await text(ZHAO, 'JY 希望增加港股提醒');
    await text(ZHAO, 'FK IPO 很及时');
    const [suggestion] = (await api('GET', '/admin/cases?kind=suggestion', { token: agent })).body.items;
    for (let i = 0; i < 3; i++) {
      expect((await api('POST', `/admin/cases/${suggestion.caseId}/close`, { token: agent, body: { resolution: '已采纳', awardSuggestionBonus: true } })).status).toBe(200);
    }
    const ledger = await api('GET', '/admin/customers/Z1/points/ledger', { token: agent });
    expect(ledger.body.items.filter((e: { reason: string }) => e.reason === 'suggestion')).toHaveLength(1);
    expect((await api('GET', '/admin/cases?kind=feedback&productCode=IPO', { token: pm })).body.items).toEqual([expect.objectContaining({ text: '很及时', productCode: 'IPO' })]);
    expect((await api('GET', '/admin/products/IPO/stats', { token: pm })).body).toMatchObject({ feedback: 1 });
  });

  it('a survey goes out, takes each first score, opens a follow-up for a low one, and stops taking scores when its window ends', async () => {
    const created = await api('POST', '/admin/surveys', { token: pm, body: { productCode: 'IPO', question: '您对IPO提醒满意吗？', windowHours: 1 } });
    expect(created.status).toBe(202);
    const { surveyId } = created.body;
    expect((await outbox(ZHAO)).at(-1)).toContain('您对IPO提醒满意吗？（请回复1-5评分，5分为最满意）');
    await text(ZHAO, '1');
    await text(ZHAO, '5');
    expect((await outbox(ZHAO)).slice(-2)).toEqual(['【XX证券】感谢您的评分！', '【XX证券】感谢您！您已评过分，以第一次评分为准。']);
    const results = await api('GET', `/admin/surveys/${surveyId}`, { token: agent });
    expect(results.body).toMatchObject({ surveyId, sent: 2, responses: 1, responseRate: 0.5, distribution: { '1': 1, '2': 0, '3': 0, '4': 0, '5': 0 }, average: 1 });
    expect((await api('GET', '/admin/cases?kind=follow-up', { token: agent })).body.items).toEqual([expect.objectContaining({ customerId: 'Z1', score: 1, surveyId })]);
    expect((await api('GET', '/admin/products/IPO/stats', { token: pm })).body.latestSurvey).toEqual({ surveyId, average: 1 });

    // Refused surveys leave nothing behind, not even the schedule of their close.
    expect((await api('POST', '/admin/surveys', { token: pm, body: { productCode: 'NOPE', question: '满意吗？', windowHours: 1 } })).status).toBe(404);
    expect((await api('POST', '/admin/surveys', { token: pm, body: { productCode: 'IPO', question: '稳赚不赔满意吗？', windowHours: 1 } })).status).toBe(422);

    const { now } = (await (await fetch(`${platform.url}/local/clock`)).json()) as { now: string };
    const later = new Date(Date.parse(now) + 2 * 3_600_000).toISOString();
    const tick = (await api('POST', '/local/scheduler/tick', { body: { now: later } })).body as { fired: string[] };
    expect(tick.fired.filter((name) => name.startsWith('survey-'))).toEqual([`survey-${surveyId}`]);
    expect((await api('GET', `/admin/surveys/${surveyId}`, { token: agent })).body.status).toBe('closed');
    await text(WANG, '4');
    expect((await outbox(WANG)).at(-1)).toContain('短信指令');
  });
});
