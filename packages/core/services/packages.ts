import type { Actor } from '../access.ts';
import { auditRecord } from '../audit.ts';
import { effectiveTier, type TierThresholds } from '../customer.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { consentChange } from '../consent.ts';
import type { Change } from '../ports/changes.ts';
import type { CustomerRepository, CustomerState, ProductRepository, UnitOfWork } from '../ports/repositories.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import type { Product } from '../product.ts';
import { packageIsActive, saleRefusal, subscriptionState, type CustomerPackage, type Subscription } from '../subscription.ts';
import { addDays } from '../time.ts';
import { loadCustomerState, withRetry } from './apply-once.ts';

export interface PackageDeps {
  products: ProductRepository;
  customers: CustomerRepository;
  unitOfWork: UnitOfWork;
  clock: Clock;
  ids: IdGenerator;
  tierThresholds: TierThresholds;
}

const PACKAGE_TIERS = ['gold', 'platinum'];

/**
 * Commission-value packages (佣金增值产品): gold/platinum only; granting one gives gift
 * subscriptions to its whole bundle for the package term, ending it ends those gifts
 * (and nothing the customer paid for).
 */
export function createPackageService(deps: PackageDeps) {
  const { products, customers, unitOfWork, clock, ids } = deps;

  const loadState = (customerId: string) => loadCustomerState(customers, customerId);

  function giftChange(state: CustomerState, productCode: string, packageCode: string, until: string | undefined, now: Date): Change {
    const current = state.subscriptions.find((s) => s.productCode === productCode);
    // Ending a gift cuts it short to now (kept, so the subscription still shows where it came from).
    const gifts = { ...current?.gifts, [packageCode]: until ?? now.toISOString() };
    const subscription: Subscription = {
      customerId: state.customer.customerId,
      productCode,
      startedAt: now.toISOString(),
      ...current,
      gifts,
      // A new grant is a new entitlement: it delivers even if the client had unsubscribed before.
      ...(until && { cancelled: false }),
      updatedAt: now.toISOString(),
      version: (current?.version ?? 0) + 1,
    };
    return {
      kind: 'subscription',
      subscription,
      expectedVersion: current?.version ?? 0,
      active: subscriptionState(subscription, now).status === 'active',
    };
  }

  /** A gift granted or ended with a package is a consent change of the client's number. */
  function giftConsent(state: CustomerState, productCode: string, action: 'gift-granted' | 'gift-ended', by: Actor, now: Date): Change {
    return consentChange({ phone: state.customer.phone, customerId: state.customer.customerId, productCode, action, channel: by.channel, actor: by.actor }, ids.next(), now.toISOString());
  }

  async function grantPackage(customerId: string, productCode: string, by: Actor): Promise<CustomerPackage> {
    const product = await products.get(productCode);
    if (!product) throw new NotFoundError('Product', productCode);
    if (product.kind !== 'commission-package' || !product.bundle?.length || !product.pricing) {
      throw new ConflictError('not-a-package', `${productCode} is not a commission package`);
    }
    const bundle: Product[] = [];
    for (const code of product.bundle) {
      const member = await products.get(code);
      if (!member) throw new NotFoundError('Product', code);
      bundle.push(member);
    }
    return withRetry(async () => {
      const state = await loadState(customerId);
      const now = clock.now();
      const tier = effectiveTier(state.customer, deps.tierThresholds, now);
      if (!PACKAGE_TIERS.includes(tier)) {
        throw new ConflictError('tier-not-eligible', `Commission packages are for gold and platinum clients; this client is ${tier}`);
      }
      const refusal = saleRefusal(product, state.customer, tier);
      if (refusal) throw new ConflictError(refusal.reason, refusal.message);
      for (const member of bundle) {
        const unsuitable = saleRefusal({ ...member, listed: true, eligibleTiers: [tier] }, state.customer, tier);
        if (unsuitable) throw new ConflictError(unsuitable.reason, `Bundled product: ${unsuitable.message}`);
      }
      const existing = state.packages.find((p) => p.productCode === productCode);
      if (existing && packageIsActive(existing, now)) {
        throw new ConflictError('package-already-held', `The customer already holds ${productCode} until ${existing.expiresAt}`);
      }
      const pkg: CustomerPackage = {
        customerId,
        productCode,
        bundle: bundle.map((b) => b.code),
        grantedAt: now.toISOString(),
        expiresAt: addDays(now, product.pricing!.periodDays).toISOString(),
        version: (existing?.version ?? 0) + 1,
      };
      const changes: Change[] = [
        { kind: 'package', pkg, expectedVersion: existing?.version ?? 0 },
        ...pkg.bundle.map((code) => giftChange(state, code, productCode, pkg.expiresAt, now)),
        ...pkg.bundle.map((code) => giftConsent(state, code, 'gift-granted', by, now)),
        {
          kind: 'audit',
          record: auditRecord(
            by,
            { action: 'package.granted', entityType: 'customer', entity: customerId, before: null, after: { productCode, bundle: pkg.bundle, expiresAt: pkg.expiresAt } },
            ids.next(),
            now.toISOString(),
          ),
        },
      ];
      await unitOfWork.commit(changes);
      return pkg;
    });
  }

  async function endPackage(customerId: string, productCode: string, by: Actor): Promise<void> {
    await withRetry(async () => {
      const state = await loadState(customerId);
      const now = clock.now();
      const pkg = state.packages.find((p) => p.productCode === productCode);
      if (!pkg || !packageIsActive(pkg, now)) throw new NotFoundError('Package', `${productCode} of customer ${customerId}`);
      const ended: CustomerPackage = { ...pkg, endedAt: now.toISOString(), version: pkg.version + 1 };
      await unitOfWork.commit([
        { kind: 'package', pkg: ended, expectedVersion: pkg.version },
        ...pkg.bundle.map((code) => giftChange(state, code, productCode, undefined, now)),
        ...pkg.bundle.map((code) => giftConsent(state, code, 'gift-ended', by, now)),
        {
          kind: 'audit',
          record: auditRecord(
            by,
            { action: 'package.ended', entityType: 'customer', entity: customerId, before: { productCode, expiresAt: pkg.expiresAt }, after: { productCode, endedAt: ended.endedAt } },
            ids.next(),
            now.toISOString(),
          ),
        },
      ]);
    });
  }

  return { grantPackage, endPackage };
}

export type PackageService = ReturnType<typeof createPackageService>;
