import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  DEFAULT_POINTS_RULES,
  DEFAULT_TIER_THRESHOLDS,
  IdempotencyKeyReuseError,
  NotFoundError,
  canonicalJson,
  commissionPoints,
} from '../../packages/core/index.ts';
import { agent, servicesOnTestTable, trading } from '../support/services.ts';

let p: Awaited<ReturnType<typeof servicesOnTestTable>>;

beforeAll(async () => {
  p = await servicesOnTestTable();
  await p.product({ code: 'TIPS', pricing: { periodDays: 30, pointsPrice: 100 } });
  await p.product({ code: 'IPO', kind: 'ipo-reminders', pricing: { periodDays: 10, pointsPrice: 20 } });
  await p.product({ code: 'VIP', kind: 'commission-package', pricing: { periodDays: 90 }, bundle: ['TIPS', 'IPO'], eligibleTiers: ['gold', 'platinum'] });
});
afterAll(async () => p.table.drop());

type Op =
  | { kind: 'commission'; trade: number; fen: number }
  | { kind: 'redeem'; product: 'TIPS' | 'IPO'; key: number }
  | { kind: 'adjust'; delta: number; key: number }
  | { kind: 'grant' }
  | { kind: 'end' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('commission' as const), trade: fc.nat(4), fen: fc.integer({ min: 0, max: 50_000 }) }),
  fc.record({ kind: fc.constant('redeem' as const), product: fc.constantFrom('TIPS' as const, 'IPO' as const), key: fc.nat(4) }),
  fc.record({ kind: fc.constant('adjust' as const), delta: fc.integer({ min: -400, max: 400 }).filter((d) => d !== 0), key: fc.nat(4) }),
  fc.constant({ kind: 'grant' as const }),
  fc.constant({ kind: 'end' as const }),
);

let run = 0;

/** The stored invariants: balance = sum of the ledger, never negative, each operation once, a gap-free chain. */
async function checkInvariants(customerId: string, expectedBalance: number) {
  const view = await p.customers.getCustomerView(customerId);
  const ledger = (await p.points.listLedger(customerId, { limit: 1000 })).items.reverse();
  const sum = ledger.reduce((total, e) => total + e.delta, 0);
  expect(view.points.balance).toBe(sum);
  expect(view.points.balance).toBe(expectedBalance);
  expect(view.points.balance).toBeGreaterThanOrEqual(0);
  expect(new Set(ledger.map((e) => e.operationId)).size).toBe(ledger.length);
  let running = 0;
  ledger.forEach((entry, i) => {
    running += entry.delta;
    expect(entry.seq).toBe(i + 1);
    expect(entry.balanceAfter).toBe(running);
    expect(entry.balanceAfter).toBeGreaterThanOrEqual(0);
  });
  return view;
}

describe('points invariants (property-based, DynamoDB Local)', () => {
  it('hold after every step of random earn / redeem / adjust / package sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
        const id = `PROP${run++}`;
        await p.customer(id, { assetsFen: DEFAULT_TIER_THRESHOLDS.gold.assetsFen });
        // The model: what the balance must be, which keys and trades were applied, whether the package is held.
        let balance = 0;
        const adjustments = new Map<number, string>();
        const redemptions = new Map<number, string>();
        const trades = new Set<number>();
        let packageHeld = false;
        const paid = new Set<string>();

        for (const op of ops) {
          if (op.kind === 'commission') {
            await p.points.creditCommission({ customerId: id, tradeId: `${id}-T${op.trade}`, commissionFen: op.fen }, trading);
            if (!trades.has(op.trade)) {
              const points = commissionPoints(op.fen, 'gold', DEFAULT_POINTS_RULES);
              if (points > 0) {
                trades.add(op.trade);
                balance += points;
              }
            }
          } else if (op.kind === 'adjust') {
            const body = canonicalJson({ customerId: id, delta: op.delta, reason: 'prop' });
            const attempt = p.points.adjust(id, { delta: op.delta, reason: 'prop' }, `a${op.key}`, agent);
            if (adjustments.has(op.key)) {
              if (adjustments.get(op.key) === body) await attempt;
              else await expect(attempt).rejects.toBeInstanceOf(IdempotencyKeyReuseError);
            } else if (balance + op.delta < 0) {
              await expect(attempt).rejects.toMatchObject({ reason: 'insufficient-points' });
            } else {
              await attempt;
              adjustments.set(op.key, body);
              balance += op.delta;
            }
          } else if (op.kind === 'redeem') {
            const price = op.product === 'TIPS' ? 100 : 20;
            const body = canonicalJson({ customerId: id, productCode: op.product });
            const attempt = p.points.redeemWithPoints(id, op.product, `r${op.key}`, agent);
            if (redemptions.has(op.key)) {
              if (redemptions.get(op.key) === body) await attempt;
              else await expect(attempt).rejects.toBeInstanceOf(IdempotencyKeyReuseError);
            } else if (balance < price) {
              await expect(attempt).rejects.toBeInstanceOf(ConflictError);
            } else {
              await attempt;
              redemptions.set(op.key, body);
              balance -= price;
              paid.add(op.product);
            }
          } else if (op.kind === 'grant') {
            const attempt = p.packages.grantPackage(id, 'VIP', agent);
            if (packageHeld) await expect(attempt).rejects.toMatchObject({ reason: 'package-already-held' });
            else await attempt;
            packageHeld = true;
          } else {
            const attempt = p.packages.endPackage(id, 'VIP', agent);
            if (packageHeld) await attempt;
            else await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
            packageHeld = false;
          }

          const view = await checkInvariants(id, balance);
          // Subscriptions: active exactly when paid for or gifted by a held package.
          for (const code of ['TIPS', 'IPO']) {
            const sub = view.subscriptions.find((s) => s.productCode === code);
            const shouldBeActive = paid.has(code) || packageHeld;
            expect(sub?.status ?? 'none').toBe(shouldBeActive ? 'active' : sub ? 'ended' : 'none');
            if (paid.has(code)) expect(sub?.source).toBe('points');
          }
          expect(view.packages.map((pk) => pk.productCode)).toEqual(packageHeld ? ['VIP'] : []);
        }
      }),
      { numRuns: 30 },
    );
  }, 180_000);
});
