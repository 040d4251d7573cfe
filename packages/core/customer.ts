import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import * as z from 'zod';
import { ValidationError } from './errors.ts';
import { safeText } from './text-rules.ts';
import { TIERS, tierSchema, type Tier } from './product.ts';
import { localDate } from './time.ts';

export const customerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"');

export const riskToleranceSchema = z.enum(['C1', 'C2', 'C3', 'C4', 'C5']);
export type RiskTolerance = z.infer<typeof riskToleranceSchema>;

const timezoneSchema = z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai');
const dateSchema = z.union([z.iso.date(), z.iso.datetime()]);

/** PUT /admin/customers/{customerId}: the whole customer record (PUT replaces). */
export const putCustomerSchema = z
  .strictObject({
    customerId: customerIdSchema.optional().describe('If given, must equal the path parameter'),
    phone: z.string().min(3).max(32).describe('Any common format; stored as E.164'),
    name: safeText({ max: 100 }).optional(),
    assetsFen: z.number().int().min(0),
    annualCommissionFen: z.number().int().min(0).optional(),
    riskTolerance: riskToleranceSchema,
    timezone: timezoneSchema.optional(),
    referrerId: customerIdSchema.optional(),
    openedAt: dateSchema.optional().describe('Date the account was opened; default: when first stored'),
    language: z.enum(['zh', 'en']).optional().describe('The language of alerts and messages to the client (default zh)'),
  })
  .meta({ id: 'PutCustomer' });
export type PutCustomerInput = z.infer<typeof putCustomerSchema>;

export const customerSchema = z
  .object({
    customerId: customerIdSchema,
    phone: z.string(),
    name: z.string().optional(),
    assetsFen: z.number().int(),
    annualCommissionFen: z.number().int().optional(),
    riskTolerance: riskToleranceSchema,
    timezone: z.string(),
    referrerId: z.string().optional(),
    openedAt: z.string(),
    tier: tierSchema.describe('Effective tier: the computed one, or a points upgrade while its term runs'),
    purchasedTier: tierSchema.optional().describe('Tier bought with points'),
    purchasedTierUntil: z.iso.datetime().optional(),
    language: z.enum(['zh', 'en']).optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int(),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof customerSchema>;

export const subscriptionStatusSchema = z.enum(['active', 'pending', 'ended']);
export const subscriptionSourceSchema = z.enum(['free', 'paid', 'points', 'gift']);

export const customerViewSchema = z
  .object({
    customer: customerSchema,
    tier: tierSchema,
    phoneStatus: z.enum(['ok', 'undeliverable']).describe('undeliverable: two invalid-number receipts in a row; broadcasts and alerts skip the number'),
    points: z.object({ balance: z.number().int() }),
    subscriptions: z.array(
      z.object({
        productCode: z.string(),
        status: subscriptionStatusSchema,
        source: subscriptionSourceSchema,
        expiresAt: z.string().optional(),
      }),
    ),
    packages: z.array(z.object({ productCode: z.string(), expiresAt: z.string(), bundle: z.array(z.string()) })),
  })
  .meta({ id: 'CustomerView' });
export type CustomerView = z.infer<typeof customerViewSchema>;

/** Minimum figures for each tier above `normal`; a customer qualifies by either figure. */
export const tierThresholdsSchema = z.strictObject({
  silver: z.strictObject({ assetsFen: z.number().int().min(0), annualCommissionFen: z.number().int().min(0) }),
  gold: z.strictObject({ assetsFen: z.number().int().min(0), annualCommissionFen: z.number().int().min(0) }),
  platinum: z.strictObject({ assetsFen: z.number().int().min(0), annualCommissionFen: z.number().int().min(0) }),
});
export type TierThresholds = z.infer<typeof tierThresholdsSchema>;

/** Defaults: 50万 / 200万 / 1000万 yuan of assets, or 1万 / 5万 / 20万 yuan of annual commission. */
export const DEFAULT_TIER_THRESHOLDS: TierThresholds = {
  silver: { assetsFen: 50_000_000, annualCommissionFen: 1_000_000 },
  gold: { assetsFen: 200_000_000, annualCommissionFen: 5_000_000 },
  platinum: { assetsFen: 1_000_000_000, annualCommissionFen: 20_000_000 },
};

/** The highest tier whose assets or commission threshold the customer reaches. */
export function computeTier(
  figures: { assetsFen: number; annualCommissionFen?: number | undefined },
  thresholds: TierThresholds,
): Tier {
  const commission = figures.annualCommissionFen ?? 0;
  for (const tier of [...TIERS].reverse()) {
    if (tier === 'normal') break;
    const t = thresholds[tier];
    if (figures.assetsFen >= t.assetsFen || commission >= t.annualCommissionFen) return tier;
  }
  return 'normal';
}

/**
 * The tier in force: the one computed from the figures, unless a tier bought with points is
 * higher and its term has not ended (a fall in assets never demotes a purchased upgrade early).
 */
export function effectiveTier(
  customer: Pick<Customer, 'assetsFen' | 'annualCommissionFen' | 'purchasedTier' | 'purchasedTierUntil'>,
  thresholds: TierThresholds,
  now: Date,
): Tier {
  const computed = computeTier(customer, thresholds);
  const bought = customer.purchasedTier && customer.purchasedTierUntil && customer.purchasedTierUntil > now.toISOString()
    ? customer.purchasedTier
    : undefined;
  return bought && TIERS.indexOf(bought) > TIERS.indexOf(computed) ? bought : computed;
}

/** The date the account was opened, `YYYY-MM-DD`, in the customer's time zone. */
export function openedDate(customer: Pick<Customer, 'openedAt' | 'timezone'>): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(customer.openedAt) ? customer.openedAt : localDate(new Date(customer.openedAt), customer.timezone);
}

/** What a phone number may be written with: digits, one leading +, spaces and the usual separators. */
const PHONE_CHARACTERS = /^\+?[0-9][0-9 ()\-.]*$/;

/**
 * Normalise to E.164; numbers without a country code are read in `defaultRegion`. Anything but
 * digits and separators is refused, never "repaired" into another number (`+861380013800a`).
 */
export function normalisePhone(raw: string, defaultRegion: CountryCode = 'CN'): string {
  const text = raw.trim();
  const parsed = PHONE_CHARACTERS.test(text) ? parsePhoneNumberFromString(text, defaultRegion) : undefined;
  if (!parsed || !parsed.isValid()) {
    throw new ValidationError('Invalid phone number', [{ field: 'phone', message: 'is not a valid phone number' }]);
  }
  return parsed.number;
}

/**
 * For logs: the number normalised first, then all but its country code, first three and last
 * four digits hidden (`13800138000` and `+86 138 0013 8000` both `+86138****8000`); a number
 * that does not parse is hidden whole.
 */
export function maskPhone(raw: string, defaultRegion: CountryCode = 'CN'): string {
  let e164: string;
  try {
    e164 = normalisePhone(raw, defaultRegion);
  } catch {
    return '****';
  }
  if (e164.length <= 8) return '****';
  return `${e164.slice(0, 6)}****${e164.slice(-4)}`;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
