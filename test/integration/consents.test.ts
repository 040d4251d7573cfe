import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIER_THRESHOLDS, createConsentService } from '../../packages/core/index.ts';
import { agent, pm, servicesOnTestTable, type TestServices } from '../support/services.ts';

/** The consent ledger on DynamoDB Local: every consent change appended with its change, by any channel. */
let p: TestServices;
let n = 0;
const text = (from: string, body: string, id = `cs-${n++}`) => p.sms().handleInbound({ from, text: body, inboundMessageId: id });
const ledger = (phone: string) => createConsentService({ consents: p.repos.consents, defaultRegion: 'CN' }).listConsents(phone);

beforeAll(async () => {
  p = await servicesOnTestTable('2026-11-25T02:00:00.000Z', { OPT_OUT_CONFIRMATION_DELAY_MS: '0' });
  await p.product({ code: 'NEWS', name: '资讯', pricing: null });
  await p.product({ code: 'TIPS', name: '投资参考', pricing: { periodDays: 30, pointsPrice: 100 } });
  await p.product({ code: 'VIP', name: '佣金包', kind: 'commission-package', pricing: { periodDays: 365 }, bundle: ['NEWS'], eligibleTiers: ['gold', 'platinum'] }, );
});
afterAll(async () => p.table.drop());

describe('the consent ledger', () => {
  it('appends subscribe, unsubscribe, opt-out, opt-in and a confirmed purchase, with the words and id of each SMS, and the disclosure confirmed', async () => {
    const c = await p.customer('LEDGER', { assetsFen: DEFAULT_TIER_THRESHOLDS.gold.assetsFen });
    await p.points.adjust('LEDGER', { delta: 500, reason: 'seed' }, 'seed-ledger', agent);
    await text(c.phone, 'DY NEWS', 'in-1');
    await text(c.phone, 'DY NOPE', 'in-2'); // refused: no consent change
    await text(c.phone, 'td news', 'in-3');
    await text(c.phone, 'STOP', 'in-4');
    await text(c.phone, 'START', 'in-5');
    await text(c.phone, 'START', 'in-6'); // already in: no change
    await text(c.phone, 'DH TIPS', 'in-7');
    await text(c.phone, 'Y', 'in-8');
    const entries = await ledger(c.phone);
    expect(entries.map((e) => [e.action, e.productCode, e.inboundMessageId, e.text, e.channel])).toEqual([
      ['subscribe', 'NEWS', 'in-1', 'DY NEWS', 'sms'],
      ['unsubscribe', 'NEWS', 'in-3', 'td news', 'sms'],
      ['opt-out', undefined, 'in-4', 'STOP', 'sms'],
      ['opt-in', undefined, 'in-5', 'START', 'sms'],
      ['purchase-confirmed', 'TIPS', 'in-8', 'Y', 'sms'],
    ]);
    const purchase = entries.at(-1)!;
    expect(purchase.disclosure).toContain('100积分');
    expect(purchase.disclosure).toMatch(/^【XX证券】/);
    expect(purchase.customerId).toBe('LEDGER');
    // The phone written as a client might write it finds the same ledger.
    expect(await ledger(c.phone.replace('+86', ''))).toEqual(entries);
  });

  it('records package gifts granted and ended by staff, and an opt-out from a number of no customer', async () => {
    const c = await p.customer('GIFTED', { assetsFen: DEFAULT_TIER_THRESHOLDS.gold.assetsFen });
    await p.packages.grantPackage('GIFTED', 'VIP', agent);
    await p.packages.endPackage('GIFTED', 'VIP', agent);
    expect((await ledger(c.phone)).map((e) => [e.action, e.productCode, e.channel, e.actor])).toEqual([
      ['gift-granted', 'NEWS', 'admin-api', agent.actor],
      ['gift-ended', 'NEWS', 'admin-api', agent.actor],
    ]);
    await text('+8613311112222', 'TD', 'stranger-1');
    expect(await ledger('+8613311112222')).toEqual([expect.objectContaining({ action: 'opt-out', text: 'TD', inboundMessageId: 'stranger-1' })]);
    expect((await ledger('+8613311112222'))[0]!.customerId).toBeUndefined();
  });

  it('writes no entry for a redelivered message, and keeps the ledger when the product changes', async () => {
    const c = await p.customer('ONCE');
    await text(c.phone, 'DY NEWS', 'dup-1');
    await text(c.phone, 'DY NEWS', 'dup-1');
    await p.catalog.updateProduct('NEWS', { name: '资讯（新）' }, pm);
    expect((await ledger(c.phone)).map((e) => e.inboundMessageId)).toEqual(['dup-1']);
  });
});
