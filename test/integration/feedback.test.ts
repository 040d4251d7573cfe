import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, type Actor } from '../../packages/core/index.ts';
import { caseWatchFromEnv } from '../../packages/lambda/index.ts';
import { messagePipeline } from '../support/messages.ts';
import { agent, pm, servicesOnTestTable } from '../support/services.ts';

let p: Awaited<ReturnType<typeof servicesOnTestTable>>;
let n = 0;
const text = (from: string, body: string, inboundMessageId = `f-${n++}`) => p.sms().handleInbound({ from, text: body, inboundMessageId });
const phoneOf = (i: number) => `+8613700${String(137000 + i).padStart(6, '0')}`;
const repliesTo = (phone: string) => p.sender.sent.filter((s) => s.to === phone).map((s) => s.body);
const lastReply = (phone: string) => repliesTo(phone).at(-1);
const admin: Actor = { actor: 'ops', role: 'admin', channel: 'admin-api' };

beforeAll(async () => {
  p = await servicesOnTestTable('2026-11-25T02:00:00.000Z');
  await p.product({ code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', pricing: null });
  await p.product({ code: 'TIPS', name: '投资参考', pricing: null });
  for (let i = 0; i < 8; i++) {
    await p.customers.putCustomer(`F${i}`, { phone: phoneOf(i), assetsFen: 0, riskTolerance: 'C3' }, agent);
    await text(phoneOf(i), 'DY IPO');
  }
});
afterAll(async () => p.table.drop());

describe('cases by SMS (FK, JY, TS on DynamoDB Local)', () => {
  it('opens one case per message however often it is delivered, with one reply; a complaint reply gives the case id and the response time', async () => {
    const outcomes = await Promise.all([1, 2, 3].map(() => text(phoneOf(0), 'TS 提醒短信重复发送', 'complaint-once')));
    expect(outcomes.filter((o) => o.outcome === 'replied')).toHaveLength(1);
    const { items } = await p.cases().listCases({ kind: 'complaint' }, agent);
    expect(items).toHaveLength(1);
    const [complaint] = items;
    expect(complaint).toMatchObject({ kind: 'complaint', customerId: 'F0', phone: phoneOf(0), text: '提醒短信重复发送', status: 'open', dueAt: '2026-11-26T02:00:00.000Z' });
    expect(complaint!.caseId).toMatch(/^[0-9A-Z]{10}$/);
    expect(repliesTo(phoneOf(0)).filter((r) => r.includes('投诉'))).toEqual([`【XX证券】您的投诉已受理，编号${complaint!.caseId}，我们将在24小时内答复您。`]);
  });

  it('records feedback on a product (counted in its stats) and a suggestion, cutting a long text at 500 characters', async () => {
    await text(phoneOf(1), 'FK IPO 提醒很及时');
    expect(lastReply(phoneOf(1))).toBe('【XX证券】感谢您对「IPO提醒」的反馈，我们会认真改进。');
    await text(phoneOf(1), `JY ${'港'.repeat(600)}`);
    const suggestion = (await p.cases().listCases({ kind: 'suggestion' }, agent)).items[0]!;
    expect([...suggestion.text!]).toHaveLength(500);
    // The eight clients who texted DY IPO are its subscribers now.
    expect(await p.catalog.getStatistics('IPO')).toMatchObject({ feedback: 1, subscribers: 8 });
    const feedback = (await p.cases().listCases({ kind: 'feedback', productCode: 'IPO' }, agent)).items;
    expect(feedback.map((c) => c.text)).toEqual(['提醒很及时']);
  });

  it('explains the format and opens nothing for an unknown product or an empty text; a number of no customer gets the register reply', async () => {
    const before = (await p.cases().listCases({}, admin)).items.length;
    await text(phoneOf(2), 'FK NOPE 很好');
    expect(lastReply(phoneOf(2))).toContain('FK+产品代码+反馈内容');
    await text(phoneOf(2), 'TS');
    expect(lastReply(phoneOf(2))).toContain('TS+投诉内容');
    await text('+8613999999999', 'TS 没人理我');
    expect(lastReply('+8613999999999')).toContain('尚未在我司登记');
    expect((await p.cases().listCases({}, admin)).items).toHaveLength(before);
  });

  it('records what an opted-out number tells us without any reply', async () => {
    await text(phoneOf(3), 'TD');
    const sent = repliesTo(phoneOf(3)).length;
    expect(await text(phoneOf(3), 'TS 退订了还在发')).toMatchObject({ outcome: 'silent', why: 'opted-out' });
    expect(repliesTo(phoneOf(3))).toHaveLength(sent);
    const [c] = (await p.cases().listCases({ kind: 'complaint' }, agent)).items.filter((x) => x.customerId === 'F3');
    expect(c).toMatchObject({ text: '退订了还在发', status: 'open' });
  });
});

describe('closing cases (CaseService on DynamoDB Local)', () => {
  it('texts a complaint its resolution once, however often the close is sent; another resolution afterwards is 409', async () => {
    const c = (await p.cases().listCases({ kind: 'complaint' }, agent)).items.find((x) => x.customerId === 'F0')!;
    const closes = await Promise.all([1, 2, 3].map(() => p.cases().closeCase(c.caseId, { resolution: '已修复重复发送问题' }, agent)));
    expect(closes.every((x) => x.status === 'closed' && x.resolutionSms === 'sent')).toBe(true);
    expect(repliesTo(phoneOf(0)).filter((r) => r.includes('已修复'))).toEqual([`【XX证券】关于您的投诉（编号${c.caseId}）：已修复重复发送问题`]);
    await expect(p.cases().closeCase(c.caseId, { resolution: '另一个答复' }, agent)).rejects.toMatchObject({ reason: 'already-closed' });
    const history = (await p.customers.listMessagesSent('F0', {})).items;
    expect(history.filter((h) => h.body.includes('已修复'))).toEqual([expect.objectContaining({ kind: 'reply', status: 'sent' })]);
  });

  it('does not text the resolution to an opted-out number, and the case says so', async () => {
    const c = (await p.cases().listCases({ kind: 'complaint' }, agent)).items.find((x) => x.customerId === 'F3')!;
    const sent = repliesTo(phoneOf(3)).length;
    expect(await p.cases().closeCase(c.caseId, { resolution: '已处理' }, agent)).toMatchObject({ status: 'closed', resolutionSms: 'opted-out' });
    expect(repliesTo(phoneOf(3))).toHaveLength(sent);
  });

  it('credits the suggestion bonus exactly once under concurrent closes, and refuses it on another kind (409 not-a-suggestion)', async () => {
    const s = (await p.cases().listCases({ kind: 'suggestion' }, agent)).items[0]!;
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => p.cases().closeCase(s.caseId, { resolution: '已采纳', awardSuggestionBonus: true }, agent)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const ledger = await p.points.listLedger('F1', {});
    expect(ledger.items.filter((e) => e.reason === 'suggestion')).toEqual([expect.objectContaining({ delta: 200, reference: { note: `case ${s.caseId}` } })]);
    expect(await p.cases().getCase(s.caseId)).toMatchObject({ status: 'closed', bonusAwarded: 200 });
    const feedback = (await p.cases().listCases({ kind: 'feedback' }, agent)).items[0]!;
    await expect(p.cases().closeCase(feedback.caseId, { resolution: 'x', awardSuggestionBonus: true }, agent)).rejects.toMatchObject({ reason: 'not-a-suggestion' });
    expect(await p.cases().getCase(feedback.caseId)).toMatchObject({ status: 'open' });
  });

  it('lists by kind, status and product, a page at a time; product managers see feedback only', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await p.cases().listCases({ limit: 2, ...(cursor && { cursor }) }, admin);
      seen.push(...page.items.map((c) => c.caseId));
      cursor = page.cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(4);
    expect((await p.cases().listCases({ status: 'closed' }, admin)).items.map((c) => c.status)).toEqual(['closed', 'closed', 'closed']);
    const [feedback] = (await p.cases().listCases({}, pm)).items;
    expect([feedback!.kind]).toEqual(['feedback']);
    await expect(p.cases().listCases({ kind: 'complaint' }, pm)).rejects.toBeInstanceOf(ForbiddenError);
    // One case alike: the feedback a product manager lists, they may open; a complaint, not.
    expect(await p.cases().readCase(feedback!.caseId, pm)).toEqual(feedback);
    const complaint = (await p.cases().listCases({ kind: 'complaint' }, admin)).items[0]!;
    await expect(p.cases().readCase(complaint.caseId, pm)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await p.cases().readCase(complaint.caseId, agent)).toEqual(complaint);
  });

  it("lists one client's cases newest first, a page at a time, narrowed by the other filters", async () => {
    const start = p.clock.now().toISOString();
    await p.customers.putCustomer('F9', { phone: phoneOf(9), assetsFen: 0, riskTolerance: 'C3' }, agent);
    const texts = ['FK IPO 很及时', 'JY 希望增加港股', 'TS 收到两次'];
    try {
      for (const [i, body] of texts.entries()) {
        p.clock.set(new Date(Date.parse(start) + (i + 1) * 60_000).toISOString());
        await text(phoneOf(9), body);
      }
    } finally {
      p.clock.set(start);
    }
    const first = await p.cases().listCases({ customerId: 'F9', limit: 2 }, admin);
    expect(first.items.map((c) => c.kind)).toEqual(['complaint', 'suggestion']);
    const second = await p.cases().listCases({ customerId: 'F9', limit: 2, cursor: first.cursor! }, admin);
    expect(second.items.map((c) => c.kind)).toEqual(['feedback']);
    expect(second.cursor).toBeUndefined();
    expect((await p.cases().listCases({ customerId: 'F9', kind: 'suggestion' }, admin)).items.map((c) => c.text)).toEqual(['希望增加港股']);
    expect((await p.cases().listCases({ customerId: 'F9', productCode: 'IPO' }, admin)).items.map((c) => c.kind)).toEqual(['feedback']);
    expect((await p.cases().listCases({ customerId: 'F9' }, pm)).items.map((c) => c.kind)).toEqual(['feedback']);
    expect((await p.cases().listCases({ customerId: 'F0' }, admin)).items.every((c) => c.customerId === 'F0')).toBe(true);
    // Closed, it is still the client's (and no longer counts as open for the tests below).
    await p.cases().closeCase(first.items[0]!.caseId, { resolution: '已处理' }, agent);
    expect((await p.cases().listCases({ customerId: 'F9', status: 'closed' }, admin)).items.map((c) => c.kind)).toEqual(['complaint']);
  });
});

describe('satisfaction surveys (SurveyService on DynamoDB Local)', () => {
  it('sends the question with how to answer; takes each number’s first score; a low one opens a follow-up; results add up', async () => {
    const { surveys, drain, surveyCloses } = messagePipeline(p, { sender: p.sender });
    const { surveyId, messageId } = await surveys.createSurvey({ productCode: 'IPO', question: '您对IPO提醒满意吗？' }, pm);
    await drain();
    expect(surveyCloses.get(surveyId)).toBe('2026-11-28T02:00:00.000Z');
    expect(lastReply(phoneOf(4))).toBe('【XX证券】您对IPO提醒满意吗？（请回复1-5评分，5分为最满意）回TD退订');

    await text(phoneOf(4), '5');
    await text(phoneOf(4), '1');
    expect(repliesTo(phoneOf(4)).slice(-2)).toEqual(['【XX证券】感谢您的评分！', '【XX证券】感谢您！您已评过分，以第一次评分为准。']);
    await text(phoneOf(5), '２');
    // Two scores from one number at once: one counts.
    await Promise.all([text(phoneOf(6), '四'), text(phoneOf(6), '4')]);
    const followUps = (await p.cases().listCases({ kind: 'follow-up' }, agent)).items;
    expect(followUps).toEqual([expect.objectContaining({ customerId: 'F5', score: 2, surveyId, productCode: 'IPO', dueAt: '2026-11-28T02:00:00.000Z', status: 'open' })]);

    const results = await surveys.results(surveyId);
    expect(results).toEqual({
      surveyId,
      productCode: 'IPO',
      question: '您对IPO提醒满意吗？',
      status: 'open',
      closesAt: '2026-11-28T02:00:00.000Z',
      messageId,
      sent: 7,
      responses: 3,
      responseRate: 0.4286,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 1, '5': 1 },
      average: 3.67,
    });
    expect(await surveys.latestAverage('IPO')).toEqual({ surveyId, average: results.average });
  });

  it('gives a score to the most recently sent open survey; after its window, or with none open, the help reply', async () => {
    await text(phoneOf(7), 'DY TIPS');
    // After the window of the survey above.
    p.clock.set('2026-11-28T03:00:00.000Z');
    const { surveys, drain, surveyWindows } = messagePipeline(p, { sender: p.sender });
    const first = await surveys.createSurvey({ productCode: 'IPO', question: '第一问', windowHours: 2 }, pm);
    await drain();
    p.clock.set('2026-11-28T03:30:00.000Z');
    const second = await surveys.createSurvey({ productCode: 'TIPS', question: '第二问', windowHours: 1 }, pm);
    await drain();
    await text(phoneOf(7), '3');
    expect((await surveys.results(second.surveyId)).responses).toBe(1);
    expect((await surveys.results(first.surveyId)).responses).toBe(0);

    // The second's window ends: the first (still open) takes the next number's score.
    p.clock.set('2026-11-28T04:40:00.000Z');
    expect(await surveyWindows.closeSurvey(second.surveyId)).toBe('closed');
    expect(await surveyWindows.closeSurvey(second.surveyId)).toBe('already-closed');
    expect((await surveys.results(second.surveyId)).status).toBe('closed');
    await text(phoneOf(7), '4');
    expect((await surveys.results(first.surveyId)).distribution['4']).toBe(1);

    // Both windows over: a score gets the help reply and counts nowhere.
    p.clock.set('2026-11-28T06:00:00.000Z');
    await text(phoneOf(6), '5');
    expect(lastReply(phoneOf(6))).toContain('短信指令');
    expect((await surveys.results(first.surveyId)).responses).toBe(1);
    p.clock.set('2026-11-25T02:00:00.000Z');
  });

  it('refuses a question that breaks a content rule, sending nothing', async () => {
    const { surveys, queued } = messagePipeline(p, { sender: p.sender });
    await expect(surveys.createSurvey({ productCode: 'IPO', question: '跟我们买稳赚不赔吗？' }, pm)).rejects.toMatchObject({ name: 'ContentViolationError' });
    expect(queued).toHaveLength(0);
  });

  it('refuses a survey of a product that does not exist, leaving neither the survey nor the schedule of its close', async () => {
    const { surveys, surveyCloses } = messagePipeline(p, { sender: p.sender });
    const before = await p.table.items();
    await expect(surveys.createSurvey({ productCode: 'NOPE', question: '满意吗？' }, pm)).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(surveyCloses.size).toBe(0);
    expect(await p.table.items()).toEqual(before);
  });

  it("lists surveys newest first, all or one product's, a page at a time, each closed once its window ended", async () => {
    p.clock.set('2026-11-28T04:00:00.000Z');
    const { surveys } = messagePipeline(p, { sender: p.sender });
    const all = await surveys.listSurveys({});
    expect(all.items.map((s) => [s.question, s.productCode, s.status])).toEqual([
      ['第二问', 'TIPS', 'closed'],
      ['第一问', 'IPO', 'open'],
      ['您对IPO提醒满意吗？', 'IPO', 'closed'], // its window ended at 02:00; its schedule has not run here
    ]);
    expect(all.cursor).toBeUndefined();

    const first = await surveys.listSurveys({ productCode: 'IPO', limit: 1 });
    const second = await surveys.listSurveys({ productCode: 'IPO', limit: 1, cursor: first.cursor! });
    const third = second.cursor ? await surveys.listSurveys({ productCode: 'IPO', limit: 1, cursor: second.cursor }) : { items: [] };
    expect([...first.items, ...second.items, ...third.items].map((s) => s.question)).toEqual(['第一问', '您对IPO提醒满意吗？']);
    expect(first.items[0]).toEqual({ surveyId: expect.any(String), productCode: 'IPO', question: '第一问', status: 'open', createdAt: '2026-11-28T03:00:00.000Z', createdBy: pm.actor, closesAt: '2026-11-28T05:00:00.000Z', messageId: expect.any(String) });

    await expect(surveys.listSurveys({ productCode: 'TIPS', cursor: first.cursor! })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(surveys.listSurveys({ cursor: first.cursor! })).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await surveys.listSurveys({ productCode: 'NOPE' })).toEqual({ items: [] });
    p.clock.set('2026-11-25T02:00:00.000Z');
  });
});

describe('overdue cases', () => {
  it('lists open complaints and follow-ups past their due time, and counts them for the alarm', async () => {
    const watch = caseWatchFromEnv(p.repos, { clock: p.clock, ids: { next: () => 'x' } });
    expect(await watch.countOverdue()).toEqual({ complaint: 0, 'follow-up': 0 });
    await text(phoneOf(2), 'TS 还没人回复');
    p.clock.set('2026-11-29T00:00:00.000Z');
    expect(await watch.countOverdue()).toEqual({ complaint: 1, 'follow-up': 1 });
    const overdue = await p.cases().listCases({ overdue: true }, agent);
    expect(overdue.items.map((c) => c.kind).sort()).toEqual(['complaint', 'follow-up']);
    await p.cases().closeCase(overdue.items.find((c) => c.kind === 'complaint')!.caseId, { resolution: '已回复' }, agent);
    expect(await watch.countOverdue()).toEqual({ complaint: 0, 'follow-up': 1 });
    p.clock.set('2026-11-25T02:00:00.000Z');
  });

  it('answers a close of a case that does not exist with NotFoundError (404)', async () => {
    await expect(p.cases().closeCase('NOSUCHCASE', { resolution: 'x' }, agent)).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('closing a closed case again', () => {
  it('answers a close sent again with another bonus decision with 409 already-closed, paying nothing', async () => {
    await text(phoneOf(3), 'JY 希望增加夜间行情提醒');
    const s = (await p.cases().listCases({ kind: 'suggestion', status: 'open' }, agent)).items.find((c) => c.customerId === 'F3')!;
    await p.cases().closeCase(s.caseId, { resolution: '暂不采纳' }, agent);
    const before = await p.table.items();
    await expect(p.cases().closeCase(s.caseId, { resolution: '暂不采纳', awardSuggestionBonus: true }, agent)).rejects.toMatchObject({ reason: 'already-closed' });
    expect(await p.table.items()).toEqual(before);
    expect(await p.cases().closeCase(s.caseId, { resolution: '暂不采纳' }, agent)).toMatchObject({ status: 'closed', resolution: '暂不采纳' });
    expect((await p.cases().getCase(s.caseId)).bonusAwarded).toBeUndefined();
  });
});
