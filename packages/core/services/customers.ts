import type { CountryCode } from 'libphonenumber-js';
import type { Actor } from '../access.ts';
import { auditRecord, summariseChange } from '../audit.ts';
import {
  effectiveTier,
  normalisePhone,
  type Customer,
  type CustomerView,
  type PutCustomerInput,
  type TierThresholds,
} from '../customer.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { CustomerRepository, UnitOfWork } from '../ports/repositories.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import { packageIsActive, subscriptionState } from '../subscription.ts';

export interface CustomerDeps {
  customers: CustomerRepository;
  unitOfWork: UnitOfWork;
  clock: Clock;
  ids: IdGenerator;
  tierThresholds: TierThresholds;
  /** Region for numbers written without a country code. */
  defaultRegion: CountryCode;
  defaultTimezone: string;
}

export function createCustomerService(deps: CustomerDeps) {
  const { customers, unitOfWork, clock, ids } = deps;

  /** Creates or replaces a customer; the tier is recomputed from the figures every time. */
  async function putCustomer(
    customerId: string,
    input: PutCustomerInput,
    by: Actor,
  ): Promise<{ customer: Customer; created: boolean }> {
    if (input.customerId !== undefined && input.customerId !== customerId) {
      throw new ValidationError('customerId in the body differs from the path', [
        { field: 'customerId', message: `must equal the path parameter "${customerId}"` },
      ]);
    }
    if (input.referrerId === customerId) {
      throw new ValidationError('A customer cannot refer themselves', [
        { field: 'referrerId', message: 'must differ from customerId' },
      ]);
    }
    const phone = normalisePhone(input.phone, deps.defaultRegion);
    const previous = await customers.get(customerId);
    const now = clock.now().toISOString();
    const customer: Customer = {
      customerId,
      phone,
      ...(input.name !== undefined && { name: input.name }),
      assetsFen: input.assetsFen,
      ...(input.annualCommissionFen !== undefined && { annualCommissionFen: input.annualCommissionFen }),
      riskTolerance: input.riskTolerance,
      timezone: input.timezone ?? previous?.timezone ?? deps.defaultTimezone,
      ...(input.referrerId !== undefined && { referrerId: input.referrerId }),
      ...(input.language !== undefined && { language: input.language }),
      openedAt: input.openedAt ?? previous?.openedAt ?? now,
      ...(previous?.purchasedTier && { purchasedTier: previous.purchasedTier }),
      ...(previous?.purchasedTierUntil && { purchasedTierUntil: previous.purchasedTierUntil }),
      tier: 'normal',
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      version: (previous?.version ?? 0) + 1,
    };
    customer.tier = effectiveTier(customer, deps.tierThresholds, clock.now());
    const audit = auditRecord(
      by,
      {
        action: previous ? 'customer.updated' : 'customer.created',
        entityType: 'customer',
        entity: customerId,
        ...summariseChange(previous ?? null, customer),
      },
      ids.next(),
      now,
    );
    await unitOfWork.commit([{ kind: 'customer', customer, previous }, { kind: 'audit', record: audit }]);
    return { customer, created: !previous };
  }

  /** The whole picture at this moment: tier, balance, subscriptions (status from expiry), active packages. */
  async function getCustomerView(customerId: string): Promise<CustomerView> {
    const state = await customers.getState(customerId);
    if (!state) throw new NotFoundError('Customer', customerId);
    const now = clock.now();
    const tier = effectiveTier(state.customer, deps.tierThresholds, now);
    return {
      customer: { ...state.customer, tier },
      tier,
      points: { balance: state.points.balance },
      subscriptions: state.subscriptions.map((s) => ({ productCode: s.productCode, ...subscriptionState(s, now) })),
      packages: state.packages
        .filter((p) => packageIsActive(p, now))
        .map((p) => ({ productCode: p.productCode, expiresAt: p.expiresAt, bundle: p.bundle })),
    };
  }

  return { putCustomer, getCustomerView };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
