import * as z from 'zod';
import { TIERS, type Tier } from './product.ts';
import { safeText } from './text-rules.ts';

export const LEDGER_KINDS = ['commission', 'referral', 'loyalty', 'adjustment', 'redemption', 'tier-upgrade'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** One line of a customer's append-only points ledger. `seq` is 1, 2, 3... per customer. */
export const ledgerEntrySchema = z
  .object({
    entryId: z.string(),
    customerId: z.string(),
    seq: z.number().int().min(1),
    delta: z.number().int(),
    balanceAfter: z.number().int().min(0),
    kind: z.enum(LEDGER_KINDS),
    reason: z.string(),
    at: z.iso.datetime(),
    operationId: z.string().describe('The idempotency key this entry was applied under (applied at most once)'),
    actor: z.string(),
    role: z.string(),
    channel: z.string(),
    reference: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .meta({ id: 'LedgerEntry' });
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export interface PointsAccount {
  balance: number;
  /** Number of ledger entries so far; every change is conditioned on it (optimistic locking). */
  version: number;
}

export const SUGGESTION_REASON = 'suggestion';

/** POST /admin/customers/{id}/points/adjustments. With reason `suggestion`, delta defaults to the configured bonus. */
export const adjustmentSchema = z
  .strictObject({
    delta: z
      .number()
      .int()
      .min(-10_000_000)
      .max(10_000_000)
      .refine((d) => d !== 0, 'must not be 0')
      .optional()
      .describe('Points to credit (positive) or debit (negative); optional only for reason "suggestion"'),
    reason: safeText({ max: 200 }).describe('Why; "suggestion" awards the configured suggestion bonus'),
    note: safeText({ max: 500, multiline: true }).optional(),
  })
  .meta({ id: 'PointsAdjustment' });
export type AdjustmentInput = z.infer<typeof adjustmentSchema>;

export const idempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

const tierRecord = <T extends z.ZodType>(value: T) =>
  z.strictObject({ normal: value, silver: value, gold: value, platinum: value });

export const pointsRulesSchema = z.strictObject({
  /** Commission converts at `points` per `perFen` fen, floored (integers: no float rounding). */
  commission: z.strictObject({ points: z.number().int().min(0), perFen: z.number().int().min(1) }),
  /** Multiplier per tier in percent (100 = x1). */
  tierMultiplierPercent: tierRecord(z.number().int().min(0).max(1000)),
  referralBonus: z.number().int().min(0),
  loyaltyBonusPerYear: z.number().int().min(0),
  suggestionBonus: z.number().int().min(1),
  /** Points to move up to each tier (normal is never a target). */
  tierUpgradeCost: z.strictObject({ silver: z.number().int().min(1), gold: z.number().int().min(1), platinum: z.number().int().min(1) }),
  tierUpgradeTermDays: z.number().int().min(1).max(3660),
  /** The most points one event (a trade, a referral, a loyalty year) may credit: more is refused, not credited. */
  maxPointsPerEvent: z.number().int().min(1).default(1_000_000),
});
export type PointsRules = z.infer<typeof pointsRulesSchema>;

export const DEFAULT_POINTS_RULES: PointsRules = {
  commission: { points: 1, perFen: 100 }, // 1 point per yuan of commission
  tierMultiplierPercent: { normal: 100, silver: 110, gold: 125, platinum: 150 },
  referralBonus: 500,
  loyaltyBonusPerYear: 1000,
  suggestionBonus: 200,
  tierUpgradeCost: { silver: 5_000, gold: 20_000, platinum: 50_000 },
  tierUpgradeTermDays: 365,
  maxPointsPerEvent: 1_000_000,
};

/** floor(commissionFen x rate x tier multiplier), in integer arithmetic. */
export function commissionPoints(commissionFen: number, tier: Tier, rules: PointsRules): number {
  const numerator = BigInt(commissionFen) * BigInt(rules.commission.points) * BigInt(rules.tierMultiplierPercent[tier]);
  return Number(numerator / (BigInt(rules.commission.perFen) * 100n));
}

export function nextTier(tier: Tier): Exclude<Tier, 'normal'> | undefined {
  const next = TIERS[TIERS.indexOf(tier) + 1];
  return next as Exclude<Tier, 'normal'> | undefined;
}

export function higherTier(a: Tier, b: Tier): Tier {
  return TIERS.indexOf(a) >= TIERS.indexOf(b) ? a : b;
}
