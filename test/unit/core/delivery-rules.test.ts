import { describe, expect, it } from 'vitest';
import { composeSms, deliveryBlock, estimateSegments, quietHoursRelease, type Subscription } from '../../../packages/core/index.ts';

describe('estimateSegments', () => {
  it('counts GSM-7 text in 160 / 153 septets, extension characters twice', () => {
    expect(estimateSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(estimateSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(estimateSegments('a'.repeat(306)).segments).toBe(2);
    expect(estimateSegments('a'.repeat(307)).segments).toBe(3);
    expect(estimateSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(estimateSegments('€'.repeat(81)).segments).toBe(2);
  });

  it('counts text with any Chinese character as UCS-2 in 70 / 67 units', () => {
    expect(estimateSegments('中'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(estimateSegments('中'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(estimateSegments('【XX证券】' + 'a'.repeat(134)).segments).toBe(3);
    expect(estimateSegments('a'.repeat(159) + '中').encoding).toBe('UCS-2');
  });
});

describe('quietHoursRelease', () => {
  const tz = 'Asia/Shanghai';
  it('holds a promotional message at 22:00 local until 08:00 the next morning', () => {
    // 22:00 in Shanghai is 14:00 UTC
    expect(quietHoursRelease(new Date('2026-11-25T14:00:00Z'), tz)?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('holds one at 03:00 until 08:00 the same morning, and lets 08:00 and 20:59 through', () => {
    expect(quietHoursRelease(new Date('2026-11-25T19:00:00Z'), tz)?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(quietHoursRelease(new Date('2026-11-26T00:00:00Z'), tz)).toBeUndefined();
    expect(quietHoursRelease(new Date('2026-11-26T12:59:00Z'), tz)).toBeUndefined();
  });

  it('uses the client time zone and configured hours', () => {
    // 22:00 in New York (EST) is 03:00 UTC the next day; release at 08:00 EST = 13:00 UTC
    expect(quietHoursRelease(new Date('2026-11-26T03:00:00Z'), 'America/New_York')?.toISOString()).toBe('2026-11-26T13:00:00.000Z');
    expect(quietHoursRelease(new Date('2026-11-25T05:00:00Z'), tz, { start: '12:00', end: '14:00' })?.toISOString()).toBe('2026-11-25T06:00:00.000Z');
  });
});

describe('deliveryBlock', () => {
  const now = new Date('2026-11-25T02:00:00Z');
  const sub = (patch: Partial<Subscription>): Subscription => ({
    customerId: 'C', productCode: 'TIPS', gifts: {}, startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', version: 1, ...patch,
  });
  it('skips an opted-out number before anything else, then an ended subscription', () => {
    expect(deliveryBlock({ phone: '+86', optedOut: true }, sub({ free: true }), now)).toBe('opted-out');
    expect(deliveryBlock({ phone: '+86', optedOut: false }, sub({ paid: { source: 'points', expiresAt: '2026-11-25T01:59:59Z' } }), now)).toBe('expired');
    expect(deliveryBlock({ phone: '+86', optedOut: false }, sub({ free: true, cancelled: true }), now)).toBe('expired');
    expect(deliveryBlock({ phone: '+86', optedOut: false }, undefined, now)).toBe('not-subscribed');
    expect(deliveryBlock({ phone: '+86', optedOut: false }, sub({ gifts: { VIP: '2027-01-01T00:00:00Z' } }), now)).toBeUndefined();
  });
});

describe('composeSms', () => {
  it('signs every message and adds the unsubscribe footer to promotional ones', () => {
    expect(composeSms('今日早盘参考', { signature: '【XX证券】', promotional: true })).toBe('【XX证券】今日早盘参考回TD退订');
    expect(composeSms('您的委托已成交', { signature: '【XX证券】', promotional: false })).toBe('【XX证券】您的委托已成交');
  });
});
