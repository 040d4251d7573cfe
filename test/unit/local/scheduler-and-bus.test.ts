import { describe, expect, it, vi } from 'vitest';
import { NotFoundError } from '../../../packages/core/index.ts';
import { ClockBackwardsError, LocalEventBus, LocalOutbox, LocalScheduler, standaloneClock } from '../../../packages/local/index.ts';

describe('LocalScheduler', () => {
  it('fires due schedules once, oldest first, and keeps the rest', async () => {
    const fired: string[] = [];
    const scheduler = new LocalScheduler(standaloneClock(new Date('2026-11-30T00:00:00Z')));
    const at = (iso: string, name: string) => scheduler.upsert({ name, at: new Date(iso), fire: async () => void fired.push(name) });
    at('2026-12-01T00:30:00Z', 'b');
    at('2026-12-01T00:00:00Z', 'a');
    at('2026-12-02T00:00:00Z', 'c');
    expect(await scheduler.tick(new Date('2026-12-01T01:00:00Z'))).toEqual(['a', 'b']);
    expect(await scheduler.tick(new Date('2026-12-01T01:00:00Z'))).toEqual([]);
    expect(scheduler.list().map((s) => s.name)).toEqual(['c']);
    expect(fired).toEqual(['a', 'b']);
  });

  it('replaces a schedule of the same name and forgets a deleted one', async () => {
    const scheduler = new LocalScheduler(standaloneClock(new Date('2026-11-30T00:00:00Z')));
    scheduler.upsert({ name: 'x', at: new Date('2026-12-01T00:00:00Z'), fire: async () => undefined });
    scheduler.upsert({ name: 'x', at: new Date('2026-12-05T00:00:00Z'), fire: async () => undefined });
    expect(await scheduler.tick(new Date('2026-12-02T00:00:00Z'))).toEqual([]);
    expect(scheduler.delete('x')).toBe(true);
    expect(await scheduler.tick(new Date('2026-12-31T00:00:00Z'))).toEqual([]);
  });
});

describe('LocalEventBus', () => {
  it('delivers an event to the rules whose source and detail-type match, and waits for them', async () => {
    const seen: string[] = [];
    const bus = new LocalEventBus();
    bus.addRule({ name: 'commission', pattern: { source: ['trading'], 'detail-type': ['CommissionCharged'] }, target: async () => void seen.push('commission') });
    bus.addRule({ name: 'ipo', pattern: { source: ['market'], 'detail-type': ['IpoScheduled'] }, target: async () => void seen.push('ipo') });
    const result = await bus.put({ source: 'trading', 'detail-type': 'CommissionCharged', detail: {} });
    expect(result.matchedRules).toEqual(['commission']);
    expect(seen).toEqual(['commission']);
    expect((await bus.put({ source: 'trading', 'detail-type': 'Other', detail: {} })).matchedRules).toEqual([]);
  });
});

describe('LocalOutbox', () => {
  it('lists what was sent, oldest first, filtered by recipient', async () => {
    const outbox = new LocalOutbox();
    await outbox.send({ to: '+8613800138000', body: 'one', smsType: 'Transactional' });
    await outbox.send({ to: '+8613900139000', body: 'two', smsType: 'Promotional' });
    expect(outbox.list().map((i) => i.body)).toEqual(['one', 'two']);
    expect(outbox.list('+8613900139000').map((i) => i.body)).toEqual(['two']);
  });
});

describe('LocalScheduler recurring schedules', () => {
  it('fires each daily occurrence passed by a tick once, at its time in the schedule time zone', async () => {
    const fired: string[] = [];
    const scheduler = new LocalScheduler(standaloneClock(new Date('2026-12-01T00:00:00Z')));
    scheduler.upsertRecurring({ name: 'daily', hour: 1, minute: 0, timezone: 'Asia/Shanghai', fire: async (at) => void fired.push(at.toISOString()) });
    await scheduler.tick(new Date('2026-12-03T00:00:00Z'));
    // 01:00 in Shanghai is 17:00 UTC the day before; 2026-12-01 01:00 CST was before the clock.
    expect(fired).toEqual(['2026-12-01T17:00:00.000Z', '2026-12-02T17:00:00.000Z']);
    await scheduler.tick(new Date('2026-12-03T00:00:00Z'));
    await expect(scheduler.tick(new Date('2026-11-01T00:00:00Z'))).rejects.toBeInstanceOf(ClockBackwardsError);
    expect(fired).toHaveLength(2);
  });
});

describe('LocalEventBus failures', () => {
  it('accepts the event and reports a failing target instead of throwing: a refusal as it is, an internal error by name only', async () => {
    const bus = new LocalEventBus();
    bus.addRule({ name: 'broken', pattern: { source: ['crm'], 'detail-type': ['CustomerReferred'] }, target: async () => { throw new Error('ValidationException: Item size has exceeded the maximum allowed size'); } });
    bus.addRule({ name: 'refused', pattern: { source: ['crm'], 'detail-type': ['CustomerReferred'] }, target: async () => { throw new NotFoundError('Referred customer', 'NOBODY'); } });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await bus.put({ source: 'crm', 'detail-type': 'CustomerReferred', detail: {} })).toEqual({
      matchedRules: ['broken', 'refused'],
      failures: [
        { rule: 'broken', error: 'InternalError: the target failed (see the log)' },
        { rule: 'refused', error: 'NotFoundError: Referred customer NOBODY does not exist' },
      ],
    });
    quiet.mockRestore();
  });
});
