import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../packages/core/index.ts';
import { messagePipeline } from '../support/messages.ts';
import { pm, servicesOnTestTable, type TestServices } from '../support/services.ts';

/**
 * Compliance review (maker-checker) on DynamoDB Local: held until approved, approval bound to the
 * exact text, decided by conditional writes under concurrency, no self-review, a second approver
 * from the threshold, content rules, and the adviser line with the risk warning.
 */
let p: TestServices;
let n = 0;
const text = (from: string, body: string) => p.sms().handleInbound({ from, text: body, inboundMessageId: `rv-${n++}` });
const reviewer = (name: string): Actor => ({ actor: name, role: 'compliance', channel: 'admin-api' });
const adviser = { name: '王敏', registrationCode: 'S1234567890123' };
const phones: string[] = [];

beforeAll(async () => {
  p = await servicesOnTestTable();
  await p.product({ code: 'ADVICE', name: '投资参考', kind: 'investment-tips', pricing: null, smsType: 'Promotional' });
  for (const id of ['R1', 'R2', 'R3']) {
    const c = await p.customer(id); // Shanghai, where the test clock's 02:00 UTC is 10:00: outside quiet hours
    phones.push(c.phone);
    await text(c.phone, 'DY ADVICE');
  }
});
afterAll(async () => p.table.drop());

describe('compliance review', () => {
  it('holds a message for review: nothing goes until approved, then it goes once, with the adviser line and risk warning', async () => {
    const { service, sent, drain, queued } = messagePipeline(p);
    const published = await service.publish({ productCode: 'ADVICE', body: '关注半导体龙头。', adviser }, pm);
    expect(published.status).toBe('pending-review');
    expect(published.text).toBe('【XX证券】关注半导体龙头。投资顾问：王敏（执业编号S1234567890123）投资有风险，入市需谨慎。回TD退订');
    expect(published.estimate.segments).toBe(1);
    await drain();
    expect({ sent: sent.length, queued: queued.length }).toEqual({ sent: 0, queued: 0 });
    // The dispatcher, if asked anyway (a stray schedule), sends nothing for a held message.
    expect(await service.dispatch(published.messageId)).toEqual({ recipients: 0, batches: 0 });
    const approved = await service.review(published.messageId, { decision: 'approve' }, reviewer('compliance.li'));
    expect(approved.reviews).toEqual([expect.objectContaining({ reviewer: 'compliance.li', decision: 'approve', contentHash: published.contentHash })]);
    await drain();
    expect(sent.map((s) => s.body)).toEqual([published.text, published.text, published.text]);
    expect((await service.view(published.messageId)).status).toBe('sent');
    const audit = (await p.audit.listAudit({ entity: published.messageId })).items;
    expect(audit.map((a) => a.action)).toEqual(['message.approved', 'message.published']);
    expect(audit[0]!.after).toMatchObject({ contentHash: published.contentHash });
  });

  it('refuses self-review, a second decision by the same reviewer, and a review of a message not pending, writing nothing', async () => {
    const { service } = messagePipeline(p, { twoApproversFrom: 1 });
    const published = await service.publish({ productCode: 'ADVICE', body: '两人审批。', adviser }, pm);
    await expect(service.review(published.messageId, { decision: 'approve' }, { ...pm, role: 'admin' })).rejects.toMatchObject({ reason: 'self-review' });
    await service.review(published.messageId, { decision: 'approve' }, reviewer('a'));
    const before = await p.table.items();
    await expect(service.review(published.messageId, { decision: 'approve' }, reviewer('a'))).rejects.toMatchObject({ reason: 'already-reviewed' });
    await expect(service.review(published.messageId, { decision: 'reject' }, reviewer('a'))).rejects.toMatchObject({ reason: 'already-reviewed' });
    expect(await p.table.items()).toEqual(before);
    await service.review(published.messageId, { decision: 'reject', note: '措辞' }, reviewer('b'));
    const after = await p.table.items();
    await expect(service.review(published.messageId, { decision: 'approve' }, reviewer('c'))).rejects.toMatchObject({ reason: 'not-pending-review' });
    // Those who decided this text are told so, though it is no longer pending.
    await expect(service.review(published.messageId, { decision: 'approve' }, reviewer('b'))).rejects.toMatchObject({ reason: 'already-reviewed' });
    await expect(service.review(published.messageId, { decision: 'approve' }, reviewer('a'))).rejects.toMatchObject({ reason: 'already-reviewed' });
    await expect(service.review('01NOSUCHMESSAGE000000000000', { decision: 'approve' }, reviewer('c'))).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(await p.table.items()).toEqual(after);
    expect((await service.view(published.messageId)).status).toBe('rejected');
  });

  it('tells a reviewer whose one approval sent the message that they already decided it, when they approve again', async () => {
    const { service, drain } = messagePipeline(p);
    const published = await service.publish({ productCode: 'ADVICE', body: '一人审批后再点一次。', adviser }, pm);
    await service.review(published.messageId, { decision: 'approve' }, reviewer('once'));
    await drain();
    const before = await p.table.items();
    await expect(service.review(published.messageId, { decision: 'approve' }, reviewer('once'))).rejects.toMatchObject({ reason: 'already-reviewed' });
    await expect(service.review(published.messageId, { decision: 'approve' }, reviewer('other'))).rejects.toMatchObject({ reason: 'not-pending-review' });
    expect(await p.table.items()).toEqual(before);
  });

  it('needs a second approver from the threshold, by a different reviewer; two approving at once make exactly one transition', async () => {
    const { service, drain, sent } = messagePipeline(p, { twoApproversFrom: 3 });
    const published = await service.publish({ productCode: 'ADVICE', body: '大额受众。', adviser }, pm);
    expect(published.review).toEqual({ required: true, approvals: [], approvalsRequired: 2 });
    const [one, two] = await Promise.all([
      service.review(published.messageId, { decision: 'approve' }, reviewer('x')),
      service.review(published.messageId, { decision: 'approve' }, reviewer('y')),
    ]);
    expect([one.status, two.status].sort()).toEqual(['pending-review', 'sending']);
    const view = await service.view(published.messageId);
    expect(view.review?.approvals.sort()).toEqual(['x', 'y']);
    await drain();
    expect(sent.filter((s) => s.body.includes('大额受众')).length).toBe(3);
    const transitions = (await p.audit.listAudit({ entity: published.messageId })).items.filter((a) => a.after?.status === 'sending');
    expect(transitions).toHaveLength(1);
  });

  it('with one approval needed, two reviewers at once: one transition, the other told it is no longer pending', async () => {
    const { service, drain, sent } = messagePipeline(p);
    const published = await service.publish({ productCode: 'ADVICE', body: '并发审批。', adviser }, pm);
    const results = await Promise.allSettled([
      service.review(published.messageId, { decision: 'approve' }, reviewer('m')),
      service.review(published.messageId, { decision: 'approve' }, reviewer('n')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { reason: 'not-pending-review' } });
    await drain();
    expect(sent.filter((s) => s.body.includes('并发审批')).length).toBe(3);
  });

  it('an edit racing an approval leaves either the approved text sent or the edit pending, never a mix', async () => {
    for (let round = 0; round < 6; round++) {
      const { service, drain, sent } = messagePipeline(p);
      const original = await service.publish({ productCode: 'ADVICE', body: `原文${round}。`, adviser }, pm);
      const [edit, approve] = await Promise.allSettled([
        service.edit(original.messageId, { body: `改写${round}。` }, pm),
        service.review(original.messageId, { decision: 'approve' }, reviewer('z')),
      ]);
      await drain();
      const view = await service.view(original.messageId);
      if (view.status === 'pending-review') {
        // The edit won (or came after the review was refused): the new text waits, nothing went.
        expect(edit.status).toBe('fulfilled');
        expect(view.body).toBe(`改写${round}。`);
        expect(view.review?.approvals).toEqual([]);
        expect(sent).toEqual([]);
      } else {
        // The approval won: exactly the approved text went, and the edit was refused.
        expect(approve.status).toBe('fulfilled');
        expect(edit).toMatchObject({ status: 'rejected', reason: { reason: 'sending-began' } });
        expect(new Set(sent.map((s) => s.body))).toEqual(new Set([original.text]));
        expect(sent).toHaveLength(3);
      }
    }
  });

  it('an edit puts a rejected or approved-and-scheduled message back under review, voiding its approvals: the schedule then sends nothing', async () => {
    const { service, drain, sent, schedules, fire } = messagePipeline(p);
    const sendAt = new Date(Date.parse('2026-11-25T02:00:00.000Z') + 3_600_000).toISOString();
    const published = await service.publish({ productCode: 'ADVICE', body: '定时建议。', adviser, sendAt }, pm);
    const approved = await service.review(published.messageId, { decision: 'approve' }, reviewer('q'));
    expect(approved.status).toBe('scheduled');
    expect(schedules.get(published.messageId)).toBe(sendAt);
    const edited = await service.edit(published.messageId, { body: '定时建议（修订）。' }, pm);
    expect(edited).toMatchObject({ status: 'pending-review', review: { approvals: [] } });
    expect(edited.contentHash).not.toBe(published.contentHash);
    expect(schedules.has(published.messageId)).toBe(false);
    await fire(published.messageId); // a schedule that fired anyway
    await drain();
    expect(sent).toEqual([]);
  });

  it('refuses promised returns and insider claims with the rule and the text that matched, storing nothing; and an investment tip without its adviser', async () => {
    const { service } = messagePipeline(p);
    const before = await p.table.items();
    await expect(service.publish({ productCode: 'ADVICE', body: '本策略稳 赚不赔，据内幕消息必涨', adviser }, pm)).rejects.toMatchObject({
      name: 'ContentViolationError',
      violations: [
        { rule: 'promised-returns', match: '稳 赚不赔' },
        { rule: 'insider-claims', match: '内幕消息' },
        { rule: 'promised-returns', match: '必涨' },
      ],
    });
    await expect(service.publish({ productCode: 'ADVICE', body: '没有顾问' }, pm)).rejects.toMatchObject({ name: 'ValidationError', fieldErrors: [{ field: 'adviser' }] });
    expect(await p.table.items()).toEqual(before);
  });
});
