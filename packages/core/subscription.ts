import type { Customer, RiskTolerance } from './customer.ts';
import type { Product, RiskLevel, Tier } from './product.ts';

export type SubscriptionSource = 'free' | 'paid' | 'points' | 'gift';
export type SubscriptionStatus = 'active' | 'pending' | 'ended';

/**
 * A customer's relation to one product. Entitlements are kept apart so that ending one
 * (a package's gift) leaves the others (what the customer paid for) intact.
 */
export interface Subscription {
  customerId: string;
  productCode: string;
  /** Bought periods (money or points), valid until `expiresAt`. */
  paid?: { source: 'paid' | 'points'; expiresAt: string };
  /** Gifts by package code -> until when. */
  gifts: Record<string, string>;
  /** Subscribed to a free product (no end until unsubscribed). */
  free?: boolean;
  /** The client unsubscribed (`TD <CODE>`): nothing is delivered whatever the entitlements, until `DY <CODE>`. */
  cancelled?: boolean;
  startedAt: string;
  updatedAt: string;
  version: number;
}

export interface CustomerPackage {
  customerId: string;
  productCode: string;
  /** The bundle as granted (a later change of the product does not change a granted package). */
  bundle: string[];
  grantedAt: string;
  expiresAt: string;
  endedAt?: string;
  version: number;
}

export interface SubscriptionState {
  status: SubscriptionStatus;
  source: SubscriptionSource;
  expiresAt?: string;
}

/** Status, source and expiry of a subscription at `now`: paid beats gift beats free as the source shown. */
export function subscriptionState(sub: Subscription, now: Date): SubscriptionState {
  const at = now.toISOString();
  if (sub.cancelled) return endedState(sub);
  const paidActive = sub.paid && sub.paid.expiresAt > at;
  const gifts = Object.values(sub.gifts).filter((until) => until > at);
  const giftUntil = gifts.sort().at(-1);
  if (paidActive || giftUntil) {
    const expiresAt = [sub.paid?.expiresAt, giftUntil].filter((x): x is string => !!x && x > at).sort().at(-1)!;
    return { status: 'active', source: paidActive ? sub.paid!.source : 'gift', expiresAt };
  }
  if (sub.free) return { status: 'active', source: 'free' };
  return endedState(sub);
}

function endedState(sub: Subscription): SubscriptionState {
  const lastUntil = [sub.paid?.expiresAt, ...Object.values(sub.gifts)].filter((x): x is string => !!x).sort().at(-1);
  return { status: 'ended', source: sub.paid?.source ?? (Object.keys(sub.gifts).length ? 'gift' : 'free'), ...(lastUntil && { expiresAt: lastUntil }) };
}

export function packageIsActive(pkg: CustomerPackage, now: Date): boolean {
  return !pkg.endedAt && pkg.expiresAt > now.toISOString();
}

/** Suitability (适当性): tolerance Cn may hold risk Rk only when k <= n. */
export function isSuitable(risk: RiskLevel, tolerance: RiskTolerance): boolean {
  return Number(risk.slice(1)) <= Number(tolerance.slice(1));
}

/** Reason codes for refusing a product to a customer; each is a 409 with that `reason`. */
export type RefusalReason =
  | 'product-not-listed'
  | 'tier-not-eligible'
  | 'unsuitable-risk'
  | 'insufficient-points'
  | 'not-redeemable-with-points'
  | 'not-a-package'
  | 'package-already-held'
  | 'already-top-tier';

/** The checks every sale or grant of `product` to `customer` must pass, in order. */
export function saleRefusal(product: Product, customer: Customer, tier: Tier): { reason: RefusalReason; message: string } | undefined {
  if (!product.listed) return { reason: 'product-not-listed', message: `${product.code} is not on sale (下架)` };
  if (!product.eligibleTiers.includes(tier)) {
    return { reason: 'tier-not-eligible', message: `${product.code} is for ${product.eligibleTiers.join('/')} clients; this client is ${tier}` };
  }
  if (!isSuitable(product.riskLevel, customer.riskTolerance)) {
    return {
      reason: 'unsuitable-risk',
      message: `${product.code} is risk ${product.riskLevel}; a ${customer.riskTolerance} client may hold up to R${customer.riskTolerance.slice(1)}`,
    };
  }
  return undefined;
}
