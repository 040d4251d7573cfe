import type { Schemas } from './api/client.ts';

/**
 * The values the API's product fields take, for the console's selects. The types come from the
 * generated client: `satisfies` and the Missing checks fail to compile when the API's enums change.
 */
type Product = Schemas['Product'];

export const KINDS = ['investment-tips', 'account-alerts', 'ipo-reminders', 'commission-package', 'general'] as const satisfies readonly Product['kind'][];
export const RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const satisfies readonly Product['riskLevel'][];
export const TIERS = ['normal', 'silver', 'gold', 'platinum'] as const satisfies readonly Product['eligibleTiers'][number][];
export const SMS_TYPES = ['Transactional', 'Promotional'] as const satisfies readonly Product['smsType'][];
export const MESSAGE_STATUSES = ['pending-review', 'rejected', 'queued', 'scheduled', 'sending', 'sent', 'cancelled'] as const satisfies readonly Schemas['MessageView']['status'][];

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : { missing: Exclude<All, Listed> };
export const everyValueListed: [
  Missing<Product['kind'], (typeof KINDS)[number]>,
  Missing<Product['riskLevel'], (typeof RISK_LEVELS)[number]>,
  Missing<Product['eligibleTiers'][number], (typeof TIERS)[number]>,
  Missing<Product['smsType'], (typeof SMS_TYPES)[number]>,
  Missing<Schemas['MessageView']['status'], (typeof MESSAGE_STATUSES)[number]>,
] = [true, true, true, true, true];

/** Whether a product's messages wait for compliance review (the API's default: investment tips do). */
export function reviewRequired(product: Pick<Product, 'kind' | 'review'>): boolean {
  return product.review ? product.review === 'required' : product.kind === 'investment-tips';
}

/** Messages that have not gone out yet can still be cancelled. */
export const CANCELLABLE: ReadonlySet<string> = new Set(['pending-review', 'rejected', 'scheduled', 'queued']);
