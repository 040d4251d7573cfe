import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_TEMPLATES, alertMessageId, alertTemplates, createAlertService, renderAlert } from '../../packages/core/index.ts';
import { ulidGenerator } from '../../packages/lambda/index.ts';
import { messagePipeline } from '../support/messages.ts';
import { agent, servicesOnTestTable } from '../support/services.ts';

let p: Awaited<ReturnType<typeof servicesOnTestTable>>;
let n = 0;
const event = (customerId: string, eventId = `E-${n++}`) => ({
  customerId,
  eventId,
  type: 'trade-filled',
  data: { stockCode: '600519', side: 'buy', quantity: 100 },
  at: '2026-11-25T14:00:00Z',
});

beforeAll(async () => {
  p = await servicesOnTestTable('2026-11-25T14:00:00.000Z'); // 22:00 in Shanghai: alerts are not held
  await p.product({ code: 'ALERTS', name: '账户提醒', kind: 'account-alerts', pricing: null });
  await p.customers.putCustomer('HOLDER', { phone: '+8613800138000', assetsFen: 0, riskTolerance: 'C3' }, agent);
  await p.customers.putCustomer('NOSUB', { phone: '+8613900139000', assetsFen: 0, riskTolerance: 'C3' }, agent);
  await p.customers.putCustomer('HOLDER2', { phone: '+8613700137000', assetsFen: 0, riskTolerance: 'C3' }, agent);
  await p.sms().handleInbound({ from: '+8613800138000', text: 'DY ALERTS', inboundMessageId: 'sub-1' });
  await p.sms().handleInbound({ from: '+8613700137000', text: 'DY ALERTS', inboundMessageId: 'sub-2' });
  p.sender.sent.length = 0;
});
afterAll(async () => p.table.drop());

describe('account alerts (AlertService on DynamoDB Local)', () => {
  it('sends one transactional, personalised alert at once, even at 22:00, once per eventId', async () => {
    const alerts = p.alerts();
    const e = event('HOLDER', 'E-dup');
    const outcomes = await Promise.all([alerts.sendAccountAlert(e), alerts.sendAccountAlert(e)]);
    outcomes.push(await alerts.sendAccountAlert(e));
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'sent']);
    expect(p.sender.sent).toEqual([{ to: '+8613800138000', body: '【XX证券】您的委托已成交：600519 买入100股。', smsType: 'Transactional' }]);
  });

  it('sends nothing to a customer without an active account-alerts subscription, or to an opted-out number', async () => {
    p.sender.sent.length = 0;
    expect(await p.alerts().sendAccountAlert(event('NOSUB'))).toBe('not-subscribed');
    await p.sms().handleInbound({ from: '+8613800138000', text: 'TD', inboundMessageId: 'optout-1' });
    p.sender.sent.length = 0;
    expect(await p.alerts().sendAccountAlert(event('HOLDER'))).toBe('opted-out');
    expect(await p.alerts().sendAccountAlert(event('NOBODY'))).toBe('unknown-customer');
    expect(p.sender.sent).toEqual([]);
  });

  it('records an alert whose event lacks a field its template needs as missing-data and audits it, sending nothing', async () => {
    const sent = p.sender.sent.length;
    const outcome = await p.alerts().sendAccountAlert({ ...event('HOLDER2'), eventId: 'gap-1', type: 'margin-call', data: {} });
    expect(outcome).toBe('missing-data');
    expect(p.sender.sent.length).toBe(sent);
    const audit = (await p.audit.listAudit({ entity: 'HOLDER2' })).items;
    expect(audit[0]).toMatchObject({ action: 'alert.missing-data', after: { eventId: 'gap-1', missing: ['ratio'] } });
    expect(await p.alerts().sendAccountAlert({ ...event('HOLDER2'), eventId: 'gap-1', type: 'margin-call', data: {} })).toBe('duplicate');
  });

  it('fills templates by event type, with a neutral default for unknown types that quotes nothing of the event', () => {
    const templates = alertTemplates({ 'margin-call': '维持担保比例{ratio}', default: '提醒：{type}' });
    expect(renderAlert({ type: 'margin-call', data: { ratio: '125%' } }, templates)).toEqual({ text: '维持担保比例125%' });
    expect(renderAlert({ type: 'x'.repeat(40), data: { note: 'raw' } }, DEFAULT_ALERT_TEMPLATES)).toEqual({ text: DEFAULT_ALERT_TEMPLATES.zh.default });
    expect(renderAlert({ type: 'x'.repeat(40), data: {} }, DEFAULT_ALERT_TEMPLATES, 'en')).toEqual({ text: DEFAULT_ALERT_TEMPLATES.en.default });
  });

  it('refuses an alert whose composed SMS would exceed the segment limit, recording and sending nothing', async () => {
    const before = await p.table.items();
    const long = alertTemplates({ 'margin-call': '{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}{k}{l}' });
    const data = Object.fromEntries('abcdefghijkl'.split('').map((k) => [k, '很'.repeat(64)]));
    const alerts = createAlertService({ ...p.repos, clock: p.clock, ids: ulidGenerator, sender: p.sender, config: { signature: '【XX证券】', templates: long } });
    await expect(alerts.sendAccountAlert({ ...event('HOLDER'), eventId: 'long-1', type: 'margin-call', data })).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await p.table.items()).toEqual(before);
  });
});

describe('account alerts as messages (kind alert)', () => {
  /** The same message reads the admin API gives (list, view, recipients), on the same table. */
  const reads = () => messagePipeline(p).service;
  const alertsListed = async () => (await reads().list({ productCode: 'ALERTS', limit: 100 })).items.filter((m) => m.kind === 'alert');

  it('derives from any event id a message id every message route accepts, the same on every retry', () => {
    for (const eventId of ['E-1', 'trade/2026-11-25#00042', 'x'.repeat(128), '成交 1']) {
      expect(alertMessageId(eventId)).toMatch(/^[0-9A-Z]{1,40}$/);
      expect(alertMessageId(eventId)).toBe(alertMessageId(eventId));
    }
    expect(alertMessageId('E-1')).not.toBe(alertMessageId('E-2'));
  });

  it('records a sent alert as a message of kind alert to its one recipient: listed, viewed as sent, its SMS under the message', async () => {
    const sent = p.sender.sent.length;
    expect(await p.alerts().sendAccountAlert(event('HOLDER2', 'E-msg'))).toBe('sent');
    const sms = p.sender.sent.slice(sent);
    expect(sms).toHaveLength(1);
    const messageId = alertMessageId('E-msg');
    expect(await alertsListed()).toContainEqual(expect.objectContaining({ messageId, kind: 'alert', productCode: 'ALERTS' }));
    const view = await reads().view(messageId);
    expect(view).toMatchObject({
      kind: 'alert',
      status: 'sent',
      body: '您的委托已成交：600519 买入100股。',
      text: sms[0]!.body,
      createdBy: 'trading',
      estimate: { recipients: 1, segments: 1 },
      counts: { recipients: 1, sent: 1, failed: 0, skipped: 0, deferred: 0, awaitingReceipt: 1 },
    });
    expect((await reads().recipients(messageId, {})).items).toEqual([{ customerId: 'HOLDER2', status: 'sent', at: expect.any(String) }]);
    const audit = (await p.audit.listAudit({ entity: 'HOLDER2' })).items;
    expect(audit[0]).toMatchObject({ action: 'alert.sent', after: { eventId: 'E-msg', messageId } });
  });

  it("counts the alert's delivery receipt on its message", async () => {
    const messageId = alertMessageId('E-msg');
    const [recorded] = (await p.repos.smsLog.listForMessage(messageId, { limit: 10 })).items;
    expect(recorded).toMatchObject({ kind: 'alert', messageId, customerId: 'HOLDER2', status: 'sent' });
    await p.receipts.handleReceipts([
      { smsId: recorded!.smsId, status: 'delivered', providerResponse: 'Message has been accepted by phone carrier', priceUsd: 0.00645, destination: recorded!.phone, at: '2026-11-25T14:01:00Z' },
    ]);
    expect((await reads().view(messageId)).counts).toMatchObject({ sent: 1, delivered: 1, awaitingReceipt: 0, priceUsd: 0.00645 });
    expect((await reads().recipients(messageId, { status: 'delivered' })).items).toEqual([{ customerId: 'HOLDER2', status: 'delivered', at: '2026-11-25T14:01:00Z' }]);
  });

  it('counts an alert SNS never accepted as failed on its message, and fails the event', async () => {
    const refusing = createAlertService({
      ...p.repos,
      clock: p.clock,
      ids: ulidGenerator,
      sender: { send: async () => Promise.reject(Object.assign(new Error('Invalid parameter: PhoneNumber'), { name: 'InvalidParameterException' })) },
      sleep: async () => undefined,
      config: { signature: '【XX证券】', templates: DEFAULT_ALERT_TEMPLATES },
    });
    await expect(refusing.sendAccountAlert(event('HOLDER2', 'E-refused'))).rejects.toThrow('Invalid parameter');
    const view = await reads().view(alertMessageId('E-refused'));
    expect(view).toMatchObject({ kind: 'alert', counts: { recipients: 1, sent: 0, failed: 1, awaitingReceipt: 0 } });
    expect((await reads().recipients(alertMessageId('E-refused'), {})).items).toEqual([{ customerId: 'HOLDER2', status: 'failed', at: expect.any(String) }]);
    expect(await refusing.sendAccountAlert(event('HOLDER2', 'E-refused'))).toBe('duplicate');
  });

  it('writes no message for an alert that is not sent (not subscribed, missing data, a duplicate)', async () => {
    const before = (await alertsListed()).length;
    expect(await p.alerts().sendAccountAlert(event('NOSUB', 'E-nosub'))).toBe('not-subscribed');
    expect(await p.alerts().sendAccountAlert({ ...event('HOLDER2', 'E-gap'), type: 'margin-call', data: {} })).toBe('missing-data');
    expect(await p.alerts().sendAccountAlert(event('HOLDER2', 'E-msg'))).toBe('duplicate');
    expect(await alertsListed()).toHaveLength(before);
    await expect(reads().view(alertMessageId('E-nosub'))).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
