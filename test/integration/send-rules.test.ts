import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPT_OUT_CONFIRMATION_DELAY_MS, SEND_STATE_MAX_AGE_MS, type SmsSender } from '../../packages/core/index.ts';
import { DynamoSendBudget } from '../../packages/dynamo/index.ts';
import { messagePipeline, type PipelineOptions } from '../support/messages.ts';
import { pm, servicesOnTestTable } from '../support/services.ts';

/**
 * The rules a sender applies at send time, on DynamoDB Local: quiet hours (held, then released
 * once), the daily promotional cap, the shared MPS budget and the opt-out fence.
 */
let p: Awaited<ReturnType<typeof servicesOnTestTable>>;
let n = 0;
const text = (from: string, body: string) => p.sms().handleInbound({ from, text: body, inboundMessageId: `r-${n++}` });

// 2026-11-25T14:00Z is 22:00 in Shanghai (quiet) and 14:00 in London (not).
const NIGHT_IN_SHANGHAI = '2026-11-25T14:00:00.000Z';
const EIGHT_NEXT_MORNING = '2026-11-26T00:00:00.000Z';

function messages(options: PipelineOptions = {}) {
  return messagePipeline(p, options);
}

beforeAll(async () => {
  p = await servicesOnTestTable(NIGHT_IN_SHANGHAI, { OPT_OUT_CONFIRMATION_DELAY_MS: '0' });
  await p.product({ code: 'TIPS', name: '投资参考', pricing: null, smsType: 'Promotional' });
  await p.product({ code: 'NOTICE', name: '公告', pricing: null, smsType: 'Transactional' });
  await p.product({ code: 'BULK', name: '批量', pricing: null, smsType: 'Transactional' });
  for (const [id, timezone] of [['SH', 'Asia/Shanghai'], ['LDN', 'Europe/London']] as const) {
    const c = await p.customer(id, { timezone });
    await text(c.phone, 'DY TIPS');
    await text(c.phone, 'DY NOTICE');
  }
});
afterAll(async () => p.table.drop());

describe('quiet hours at send time', () => {
  it('holds a promotional message at 22:00 client time until 08:00, sends it once then, and counts it as deferred meanwhile', async () => {
    p.clock.set(NIGHT_IN_SHANGHAI);
    const { service, queued, releases, sent, drain } = messages();
    const message = await service.publish({ productCode: 'TIPS', body: '早盘策略' }, pm);
    await drain();
    const sh = (await p.repos.customers.get('SH'))!.phone;
    const ldn = (await p.repos.customers.get('LDN'))!.phone;
    expect(sent.map((s) => s.to)).toEqual([ldn]); // 14:00 in London
    expect(releases).toEqual([{ messageId: message.messageId, at: EIGHT_NEXT_MORNING }]);
    let view = await service.view(message.messageId);
    expect(view).toMatchObject({ status: 'sending', counts: { recipients: 2, sent: 1, deferred: 1, skipped: 0, failed: 0 } });

    // The release schedule fires at 08:00 Shanghai; SQS may deliver its batch twice.
    p.clock.set(EIGHT_NEXT_MORNING);
    await service.dispatch(message.messageId, EIGHT_NEXT_MORNING);
    queued.push(...queued.map((b) => ({ ...b })));
    await drain();
    expect(sent.map((s) => s.to)).toEqual([ldn, sh]);
    view = await service.view(message.messageId);
    expect(view).toMatchObject({ status: 'sent', counts: { recipients: 2, sent: 2, deferred: 0, skipped: 0, failed: 0 } });
  });

  it('sends a transactional message at 22:00 at once', async () => {
    p.clock.set(NIGHT_IN_SHANGHAI);
    const { service, releases, sent, drain } = messages();
    await service.publish({ productCode: 'NOTICE', body: '系统维护通知' }, pm);
    await drain();
    expect(sent).toHaveLength(2);
    expect(releases).toEqual([]);
  });

  it('skips at release a client who opted out while held, and still accounts for everyone', async () => {
    p.clock.set(NIGHT_IN_SHANGHAI);
    const { service, sent, drain } = messages();
    const message = await service.publish({ productCode: 'TIPS', body: '夜间发布' }, pm);
    await drain();
    const sh = (await p.repos.customers.get('SH'))!.phone;
    await text(sh, 'TD');
    p.clock.set(EIGHT_NEXT_MORNING);
    await service.dispatch(message.messageId, EIGHT_NEXT_MORNING);
    await drain();
    expect(sent.map((s) => s.to)).not.toContain(sh);
    expect((await service.view(message.messageId)).counts).toMatchObject({ recipients: 2, sent: 1, skipped: 1, deferred: 0, skippedByReason: { 'opted-out': 1 } });
    await text(sh, 'START');
  });
});

describe('product slots', () => {
  it('queues a message for the slot, skips a non-trading day, sends at the next occurrence, and never sends a cancelled one', async () => {
    p.clock.set('2026-11-30T02:00:00.000Z'); // Monday 10:00 in Shanghai
    const { service, sent, drain } = messages({ holidays: ['2026-12-01'] });
    const queued = await service.publish({ productCode: 'NOTICE', body: '晨会纪要', slot: 'morning' }, pm);
    const cancelled = await service.publish({ productCode: 'NOTICE', body: '撤回', slot: 'morning' }, pm);
    expect(queued).toMatchObject({ status: 'queued', slot: 'morning' });
    await service.cancel(cancelled.messageId, pm);
    await drain();
    expect(sent).toEqual([]);
    await expect(service.publish({ productCode: 'NOTICE', body: 'x', slot: 'evening' }, pm)).rejects.toMatchObject({ name: 'ValidationError' });

    // Tuesday 08:45 is a holiday: nothing goes, the queue waits.
    expect(await service.releaseSlot('morning', new Date('2026-12-01T00:45:00.000Z'))).toMatchObject({ day: '2026-12-01', holiday: true, released: [] });
    await drain();
    expect(sent).toEqual([]);
    expect((await service.view(queued.messageId)).status).toBe('queued');

    // Wednesday 08:45: it goes, once, and the next occurrence finds the queue empty.
    expect(await service.releaseSlot('morning', new Date('2026-12-02T00:45:00.000Z'))).toMatchObject({ holiday: false, released: [queued.messageId] });
    await drain();
    expect(sent.map((s) => s.body)).toEqual(['【XX证券】晨会纪要', '【XX证券】晨会纪要']);
    expect(await service.releaseSlot('morning', new Date('2026-12-03T00:45:00.000Z'))).toMatchObject({ released: [] });
    expect((await service.view(cancelled.messageId)).status).toBe('cancelled');
  });
});

describe('daily promotional cap', () => {
  it('sends at most the cap of promotional SMS per client and local day, gives the count back for whoever got nothing, and starts again the next day', async () => {
    p.clock.set('2026-11-27T02:00:00.000Z'); // 10:00 in Shanghai, 02:00 in London (quiet): only SH
    const { service, sent, drain } = messages({ dailyCap: 2 });
    const sh = (await p.repos.customers.get('SH'))!.phone;
    await text(sh, 'TD');
    const optedOut = await service.publish({ productCode: 'TIPS', body: 'opted out' }, pm);
    await drain();
    expect((await service.view(optedOut.messageId)).counts.skippedByReason).toEqual({ 'opted-out': 1 });
    await text(sh, 'START');
    const ids = [];
    for (const body of ['one', 'two', 'three']) {
      ids.push((await service.publish({ productCode: 'TIPS', body }, pm)).messageId);
      await drain();
    }
    expect(sent.filter((s) => s.to === sh).map((s) => s.body)).toEqual(['【XX证券】one回TD退订', '【XX证券】two回TD退订']);
    expect((await service.view(ids[2]!)).counts).toMatchObject({ skipped: 1, skippedByReason: { capped: 1 } });
    // Transactional messages are not capped.
    await service.publish({ productCode: 'NOTICE', body: 'notice' }, pm);
    await drain();
    expect(sent.filter((s) => s.to === sh)).toHaveLength(3);

    p.clock.set('2026-11-28T02:00:00.000Z');
    await service.publish({ productCode: 'TIPS', body: 'next day' }, pm);
    await drain();
    expect(sent.filter((s) => s.to === sh).at(-1)!.body).toBe('【XX证券】next day回TD退订');
  });
});

describe('DynamoSendBudget', () => {
  it('books send slots for concurrent senders without overlap, at the budgeted rate', async () => {
    const budget = new DynamoSendBudget(p.table.doc, p.table.tableName, 200, 'budget-test');
    const starts = await Promise.all(Array.from({ length: 20 }, () => budget.reserve(10)));
    const sorted = [...starts].sort((a, b) => a - b);
    // 20 bookings of 10 slots at 200/s: each 50 ms after the one before, one second in all.
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBe(50);
    expect(sorted.at(-1)! - sorted[0]!).toBe(950);
  });

  it('keeps a message within the budget: no more than perSecond publishes in any second', async () => {
    const ids = [];
    for (let i = 0; i < 60; i++) {
      const c = await p.customer(`MPS${i}`);
      await text(c.phone, 'DY BULK');
      ids.push(c.customerId);
    }
    const budget = new DynamoSendBudget(p.table.doc, p.table.tableName, 40, 'mps-test');
    const { service, sent, drain } = messages({ budget });
    const started = Date.now();
    await service.publish({ productCode: 'BULK', body: 'paced' }, pm);
    await drain();
    expect(sent).toHaveLength(60);
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    // 60 at 40/s take at least 1.475 s; a window of one second holds about 40 (timers fire a few ms late, so a late
    // publish and the punctual ones after it can share a window: a tolerance of 10%).
    expect(times.at(-1)! - started).toBeGreaterThanOrEqual(1400);
    for (let i = 0; i < times.length; i++) expect(times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length).toBeLessThanOrEqual(44);
  });
});

describe('the opt-out fence', () => {
  it('reads again before a publish that starts long after the read, so an opt-out in between is honoured', async () => {
    p.clock.set('2026-11-27T02:00:00.000Z');
    let fakeNow = 1_000_000;
    const ldn = (await p.repos.customers.get('LDN'))!.phone;
    const sh = (await p.repos.customers.get('SH'))!.phone;
    const delivered: string[] = [];
    const slowSender: SmsSender = {
      send: async (sms) => {
        delivered.push(sms.to);
        if (delivered.length === 1) {
          // While the first publish is in flight (for longer than the fence), the other client texts TD.
          await text(delivered[0] === sh ? ldn : sh, 'TD');
          fakeNow += 5_000;
        }
        return { messageId: randomUUID() };
      },
    };
    const { service, drain } = messages({ sender: slowSender, realTime: () => fakeNow, publishConcurrency: 1 });
    const message = await service.publish({ productCode: 'NOTICE', body: 'fenced' }, pm);
    await drain();
    expect(delivered).toHaveLength(1);
    expect((await service.view(message.messageId)).counts).toMatchObject({ sent: 1, skipped: 1, skippedByReason: { 'opted-out': 1 } });
    await text(ldn, 'START');
    await text(sh, 'START');
  });
});

describe('the opt-out confirmation', () => {
  it('is sent only after the fence has passed since the opt-out was recorded', async () => {
    const q = await servicesOnTestTable(NIGHT_IN_SHANGHAI); // the default delay (OPT_OUT_CONFIRMATION_DELAY_MS)
    try {
      const c = await q.customer('FENCE');
      let repliedAt = 0;
      const sent = q.sender.send;
      q.sender.send = async (sms) => ((repliedAt = Date.now()), sent(sms));
      // The moment the opt-out is recorded: when the commit that records it has returned.
      let optedOutAt = 0;
      const commit = q.repos.unitOfWork.commit.bind(q.repos.unitOfWork);
      q.repos.unitOfWork.commit = async (changes) => {
        await commit(changes);
        if (changes.some((change) => change.kind === 'opt-out')) optedOutAt = Date.now();
      };
      await q.sms().handleInbound({ from: c.phone, text: 'TD', inboundMessageId: 'fence-1' });
      expect((await q.repos.phones.getState(c.phone)).optedOut).toBe(true);
      expect(repliedAt - optedOutAt).toBeGreaterThanOrEqual(OPT_OUT_CONFIRMATION_DELAY_MS - 50);
      expect(OPT_OUT_CONFIRMATION_DELAY_MS).toBeGreaterThan(SEND_STATE_MAX_AGE_MS);
    } finally {
      await q.table.drop();
    }
  });
});
