import { describe, expect, it } from 'vitest';
import { isUndeliverable, undeliveredReason, withReceipt, type CountedReceipt } from '../../../packages/core/index.ts';

describe('undeliveredReason', () => {
  it.each([
    ['Invalid phone number', 'invalid-number'],
    ['Phone number does not exist', 'invalid-number'],
    ['Phone is currently unreachable/unavailable', 'unreachable'],
    ['Phone has blocked SMS', 'blocked'],
    ['Phone carrier has blocked this message', 'blocked'],
    ['Message has expired (TTL)', 'expired'],
    ['Unknown error attempting to reach phone', 'unknown'],
    ['', 'unknown'],
  ])('reads "%s" as %s', (text, reason) => {
    expect(undeliveredReason(text)).toBe(reason);
  });
});

describe('withReceipt / isUndeliverable', () => {
  const r = (smsId: string, minute: number, outcome: 'delivered' | 'invalid-number' | 'unreachable' | 'blocked') => ({
    smsId,
    at: `2026-11-25T03:${String(minute).padStart(2, '0')}:00.000Z`,
    status: outcome === 'delivered' ? ('delivered' as const) : ('undelivered' as const),
    ...(outcome !== 'delivered' && { reason: outcome }),
  });
  const fold = (receipts: ReturnType<typeof r>[]) => receipts.reduce<CountedReceipt[]>((recent, x) => withReceipt(recent, x) ?? recent, []);

  it('is undeliverable after two invalid-number receipts in a row, not after one', () => {
    expect(isUndeliverable(fold([r('a', 1, 'invalid-number')]))).toBe(false);
    expect(isUndeliverable(fold([r('a', 1, 'invalid-number'), r('b', 2, 'invalid-number')]))).toBe(true);
  });

  it('starts the count again after a delivered receipt, in the carrier’s time order whatever the arrival order', () => {
    expect(isUndeliverable(fold([r('a', 1, 'invalid-number'), r('b', 2, 'delivered'), r('c', 3, 'invalid-number')]))).toBe(false);
    expect(isUndeliverable(fold([r('c', 3, 'invalid-number'), r('a', 1, 'invalid-number'), r('b', 2, 'delivered')]))).toBe(false);
    expect(isUndeliverable(fold([r('b', 2, 'delivered'), r('c', 3, 'invalid-number'), r('d', 4, 'invalid-number')]))).toBe(true);
  });

  it('lets unreachable and blocked neither count nor suppress, and counts a receipt once', () => {
    expect(withReceipt([], r('a', 1, 'unreachable'))).toBeUndefined();
    expect(withReceipt([], r('a', 1, 'blocked'))).toBeUndefined();
    const once = fold([r('a', 1, 'invalid-number')]);
    expect(withReceipt(once, r('a', 1, 'invalid-number'))).toBeUndefined();
    expect(isUndeliverable(fold([r('a', 1, 'invalid-number'), r('x', 2, 'unreachable'), r('b', 3, 'invalid-number')]))).toBe(true);
  });

  it('keeps only the latest few: a receipt older than all of them changes nothing', () => {
    const recent = fold([r('a', 5, 'delivered'), r('b', 6, 'delivered'), r('c', 7, 'delivered'), r('d', 8, 'delivered')]);
    expect(withReceipt(recent, r('old', 1, 'invalid-number'))).toBeUndefined();
    expect(withReceipt(recent, r('new', 9, 'invalid-number'))!.map((x) => x.smsId)).toEqual(['b', 'c', 'd', 'new']);
  });
});
