import * as z from 'zod';
import { safeText } from './text-rules.ts';

export const TIERS = ['normal', 'silver', 'gold', 'platinum'] as const;
export const tierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof tierSchema>;

export const riskLevelSchema = z.enum(['R1', 'R2', 'R3', 'R4', 'R5']);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

export const productKindSchema = z.enum([
  'investment-tips',
  'account-alerts',
  'ipo-reminders',
  'commission-package',
  'general',
]);
export type ProductKind = z.infer<typeof productKindSchema>;

export const smsTypeSchema = z.enum(['Transactional', 'Promotional']);

/** Whether a product's messages need compliance review before they go (maker-checker). */
export const reviewPolicySchema = z.enum(['required', 'none']).describe('required: every message waits for compliance approval (default for investment-tips)');
export type ReviewPolicy = z.infer<typeof reviewPolicySchema>;
export type SmsType = z.infer<typeof smsTypeSchema>;

/** The product code is also the product's SMS keyword (`DY <CODE>`). */
export const productCodeSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,16}$/, 'must be 2–16 upper-case letters or digits');

export const pricingSchema = z
  .strictObject({
    periodDays: z.number().int().min(1).max(3660).describe('Length of one paid period (or package term) in days'),
    priceFen: z.number().int().min(0).optional().describe('Money price per period in fen (1/100 yuan)'),
    pointsPrice: z.number().int().min(1).optional().describe('Points price per period'),
  })
  .nullable()
  .describe('null for a free product');
export type Pricing = z.infer<typeof pricingSchema>;

const productFields = {
  name: safeText({ max: 100 }),
  kind: productKindSchema,
  riskLevel: riskLevelSchema,
  pricing: pricingSchema,
  eligibleTiers: z.array(tierSchema).min(1).max(TIERS.length),
  bundle: z.array(productCodeSchema).min(1).max(20).optional(),
  smsType: smsTypeSchema,
  listed: z.boolean(),
  description: safeText({ max: 1000, multiline: true }).optional(),
  review: reviewPolicySchema,
};

/** POST /admin/products. Omitted optional fields take their defaults (free, every tier, listed). */
export const createProductSchema = z
  .strictObject({
    code: productCodeSchema,
    name: productFields.name,
    kind: productFields.kind,
    riskLevel: productFields.riskLevel,
    pricing: productFields.pricing.optional(),
    eligibleTiers: productFields.eligibleTiers.optional(),
    bundle: productFields.bundle,
    smsType: productFields.smsType.optional(),
    listed: productFields.listed.optional(),
    description: productFields.description,
    review: productFields.review.optional(),
  })
  .meta({ id: 'CreateProduct' });
export type CreateProductInput = z.infer<typeof createProductSchema>;

/** PATCH /admin/products/{code}: any product field but the code; `bundle: null` removes it. */
export const patchProductSchema = z
  .strictObject({
    name: productFields.name.optional(),
    kind: productFields.kind.optional(),
    riskLevel: productFields.riskLevel.optional(),
    pricing: productFields.pricing.optional(),
    eligibleTiers: productFields.eligibleTiers.optional(),
    bundle: productFields.bundle.unwrap().nullable().optional(),
    smsType: productFields.smsType.optional(),
    listed: productFields.listed.optional(),
    description: productFields.description.unwrap().nullable().optional(),
    review: productFields.review.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'PatchProduct' });
export type PatchProductInput = z.infer<typeof patchProductSchema>;

export const listingSchema = z.strictObject({ listed: z.boolean() }).meta({ id: 'Listing' });

export const productSchema = z
  .object({
    code: productCodeSchema,
    ...productFields,
    review: productFields.review.optional().describe('required: messages wait for compliance approval; absent: the default of the kind (required for investment-tips)'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int(),
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof productSchema>;

/** Transactional for account alerts (not held by quiet hours), promotional otherwise. */
export function defaultSmsType(kind: ProductKind): SmsType {
  return kind === 'account-alerts' ? 'Transactional' : 'Promotional';
}

/** Investment advice is reviewed by compliance before it goes; other kinds only when the product says so. */
export function defaultReview(kind: ProductKind): ReviewPolicy {
  return kind === 'investment-tips' ? 'required' : 'none';
}

export function reviewPolicy(product: Pick<Product, 'kind' | 'review'>): ReviewPolicy {
  return product.review ?? defaultReview(product.kind);
}
