import type { Actor } from '../access.ts';
import { auditRecord } from '../audit.ts';
import { effectiveTier, openedDate, type TierThresholds } from '../customer.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import {
  SUGGESTION_REASON,
  commissionPoints,
  nextTier,
  type AdjustmentInput,
  type LedgerEntry,
  type LedgerKind,
  type PointsRules,
} from '../points.ts';
import { consentChange } from '../consent.ts';
import type { Change } from '../ports/changes.ts';
import type { CustomerRepository, CustomerState, LedgerRepository, OperationRepository, Page, ProductRepository, UnitOfWork } from '../ports/repositories.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import type { Product, Tier } from '../product.ts';
import { saleRefusal, subscriptionState, type Subscription, type SubscriptionState } from '../subscription.ts';
import { addCalendarDays, addDays, fullYearsBetween, isLeap, localDate } from '../time.ts';
import { applyOnce, loadCustomerState } from './apply-once.ts';
import { ledgerMoves } from './points-ledger.ts';

export interface PointsDeps {
  products: ProductRepository;
  customers: CustomerRepository;
  ledgers: LedgerRepository;
  operations: OperationRepository;
  unitOfWork: UnitOfWork;
  clock: Clock;
  ids: IdGenerator;
  rules: PointsRules;
  tierThresholds: TierThresholds;
  /** Time zone in which loyalty anniversaries are counted. */
  defaultTimezone: string;
}

/** Days back a loyalty run looks, so that a missed daily run is made up later. */
export const LOYALTY_LOOKBACK_DAYS = 7;

export interface RedemptionResult {
  entry: LedgerEntry;
  subscription: { productCode: string } & SubscriptionState;
}

export interface TierUpgradeResult {
  previousTier: Tier;
  tier: Tier;
  until: string;
  entry: LedgerEntry;
}

/**
 * Points (积分): an append-only ledger and a balance per customer, changed only together, each
 * operation applied at most once (by its idempotency key), never below zero.
 */
export function createPointsService(deps: PointsDeps) {
  const { products, customers, ledgers, operations, unitOfWork, clock, ids, rules } = deps;
  const applyOptions = (onMismatch: 'reject' | 'ignore') => ({ operations, unitOfWork, clock, onMismatch });

  const loadState = (customerId: string) => loadCustomerState(customers, customerId);

  const { movePoints, pointsAudit } = ledgerMoves({ clock, ids });

  /** Credit (or, for staff, debit) a customer's points once per operation key. */
  async function earn(op: {
    key: string;
    request: unknown;
    customerId: string;
    points: (state: CustomerState) => number;
    kind: LedgerKind;
    reason: string;
    by: Actor;
    reference?: LedgerEntry['reference'];
    onMismatch: 'reject' | 'ignore';
    /** Changes committed with the credit, planned again on each attempt (e.g. the case it rewards). */
    alongside?: () => Promise<Change[]>;
  }) {
    return applyOnce<LedgerEntry>(
      op.key,
      op.request,
      async () => {
        const state = await loadState(op.customerId);
        const delta = op.points(state);
        if (delta === 0) return undefined;
        if (op.kind !== 'adjustment' && delta > rules.maxPointsPerEvent) {
          throw new ConflictError('points-ceiling', `One event may credit at most ${rules.maxPointsPerEvent} points; this one would credit ${delta}`, {
            details: { ceiling: rules.maxPointsPerEvent, points: delta },
          });
        }
        const { change, entry } = movePoints(state, delta, op.kind, op.reason, op.key, op.by, op.reference);
        const action = op.kind === 'adjustment' ? 'points.adjusted' : 'points.earned';
        const alongside = op.alongside ? await op.alongside() : [];
        return { changes: [change, pointsAudit(op.by, action, entry, state.points.balance), ...alongside], result: entry };
      },
      applyOptions(op.onMismatch),
    );
  }

  /** Staff adjustment: reason required; `suggestion` without a delta awards the configured bonus. */
  async function adjust(customerId: string, input: AdjustmentInput, idempotencyKey: string, by: Actor) {
    const delta = input.delta ?? (input.reason === SUGGESTION_REASON ? rules.suggestionBonus : undefined);
    if (delta === undefined) {
      throw new ValidationError('delta is required', [{ field: 'delta', message: `required unless reason is "${SUGGESTION_REASON}"` }]);
    }
    const { result, replayed } = await earn({
      key: `ADJUSTMENT#${customerId}#${idempotencyKey}`,
      request: { customerId, ...input },
      customerId,
      points: () => delta,
      kind: 'adjustment',
      reason: input.reason,
      by,
      ...(input.note && { reference: { note: input.note } }),
      onMismatch: 'reject',
    });
    return { entry: result!, replayed };
  }

  /** trading/CommissionCharged: floor(commission x rate x tier multiplier), once per tradeId. */
  /**
   * The suggestion bonus for an adopted suggestion, once per case however often it is asked for,
   * committed with `alongside` (the case's close) in one transaction.
   */
  async function creditSuggestionBonus(customerId: string, caseId: string, by: Actor, alongside: () => Promise<Change[]>) {
    const { result, replayed } = await earn({
      key: `SUGGESTION#${caseId}`,
      request: { customerId, caseId },
      customerId,
      points: () => rules.suggestionBonus,
      kind: 'adjustment',
      reason: SUGGESTION_REASON,
      by,
      reference: { note: `case ${caseId}` },
      onMismatch: 'ignore',
      alongside,
    });
    return { entry: result, replayed };
  }

  async function creditCommission(detail: { customerId: string; tradeId: string; commissionFen: number }, by: Actor) {
    const { result } = await earn({
      key: `COMMISSION#${detail.tradeId}`,
      request: detail,
      customerId: detail.customerId,
      points: (state) => commissionPoints(detail.commissionFen, effectiveTier(state.customer, deps.tierThresholds, clock.now()), rules),
      kind: 'commission',
      reason: 'commission',
      by,
      reference: { tradeId: detail.tradeId, commissionFen: detail.commissionFen },
      onMismatch: 'ignore',
    });
    return result;
  }

  /** crm/CustomerReferred: the referrer's bonus, once per referred customer. */
  async function creditReferral(detail: { referrerId: string; referredId: string }, by: Actor) {
    if (detail.referrerId === detail.referredId) {
      throw new ValidationError('A customer cannot refer themselves', [{ field: 'referredId', message: 'equals referrerId' }]);
    }
    // The bonus is for a client who exists here (else the event is refused: EventBridge retries
    // it for a day, time for the new client to be stored, then keeps it in the DLQ), and whose
    // own record, when it names a referrer, names this one.
    const referred = await customers.get(detail.referredId);
    if (!referred) throw new NotFoundError('Referred customer', detail.referredId);
    if (referred.referrerId !== undefined && referred.referrerId !== detail.referrerId) {
      throw new ConflictError('referrer-mismatch', `Customer ${detail.referredId} was referred by ${referred.referrerId}, not ${detail.referrerId}`);
    }
    const { result } = await earn({
      key: `REFERRAL#${detail.referredId}`,
      request: detail,
      customerId: detail.referrerId,
      points: () => rules.referralBonus,
      kind: 'referral',
      reason: 'referral',
      by,
      reference: { referredId: detail.referredId },
      onMismatch: 'ignore',
    });
    return result;
  }

  /**
   * Daily loyalty run: every customer whose n-th account anniversary fell on one of the last
   * LOYALTY_LOOKBACK_DAYS days gets the bonus for year n, never twice for the same year.
   */
  async function awardLoyalty(at: Date, by: Actor): Promise<{ awarded: number }> {
    let awarded = 0;
    const today = localDate(at, deps.defaultTimezone);
    for (let back = 0; back < LOYALTY_LOOKBACK_DAYS; back++) {
      const day = addCalendarDays(today, -back);
      const monthDays = [day.slice(5)];
      // Accounts opened on Feb 29 celebrate on Feb 28 in common years.
      if (day.endsWith('02-28') && !isLeap(Number(day.slice(0, 4)))) monthDays.push('02-29');
      for (const monthDay of monthDays) {
        for (const customerId of await customers.idsByAnniversary(monthDay)) {
          const customer = await customers.get(customerId);
          if (!customer) continue;
          const opened = openedDate(customer);
          const years = fullYearsBetween(opened, day);
          // Only the anniversary that falls on `day` itself (not one of an earlier year).
          if (years < 1 || fullYearsBetween(opened, addCalendarDays(day, -1)) === years) continue;
          const { result, replayed } = await earn({
            key: `LOYALTY#${customerId}#${years}`,
            request: { customerId, year: years },
            customerId,
            points: () => rules.loyaltyBonusPerYear,
            kind: 'loyalty',
            reason: `loyalty year ${years}`,
            by,
            reference: { year: years },
            onMismatch: 'ignore',
          });
          if (result && !replayed) awarded++;
        }
      }
    }
    return { awarded };
  }

  /** The checks before any debit: listed, tier, suitability, a points price, enough points. */
  function checkRedemption(product: Product, state: CustomerState, now: Date): { pointsPrice: number; periodDays: number } {
    const tier = effectiveTier(state.customer, deps.tierThresholds, now);
    const refusal = saleRefusal(product, state.customer, tier);
    if (refusal) throw new ConflictError(refusal.reason, refusal.message);
    const pointsPrice = product.pricing?.pointsPrice;
    if (product.kind === 'commission-package' || !product.pricing || pointsPrice === undefined) {
      throw new ConflictError('not-redeemable-with-points', `${product.code} has no points price`);
    }
    if (state.points.balance < pointsPrice) {
      throw new ConflictError('insufficient-points', `This needs ${pointsPrice} points; the balance is ${state.points.balance}`, {
        details: { balance: state.points.balance, required: pointsPrice, missingPoints: pointsPrice - state.points.balance },
      });
    }
    return { pointsPrice, periodDays: product.pricing.periodDays };
  }

  async function loadProduct(productCode: string): Promise<Product> {
    const product = await products.get(productCode);
    if (!product) throw new NotFoundError('Product', productCode);
    return product;
  }

  /** Would a redemption go through now? The product and the price, or the refusal (a ConflictError). */
  async function quoteRedemption(customerId: string, productCode: string) {
    const product = await loadProduct(productCode);
    const state = await loadState(customerId);
    const { pointsPrice, periodDays } = checkRedemption(product, state, clock.now());
    return { product, pointsPrice, periodDays, balance: state.points.balance };
  }

  /**
   * Buy one period of a paid product with points: checks (listed, tier, suitability, points),
   * then the debit and the new or extended subscription in one transaction, together with
   * `extraChanges` (e.g. the SMS confirmation it consumes).
   */
  async function redeemWithPoints(
    customerId: string,
    productCode: string,
    idempotencyKey: string,
    by: Actor,
    options: { extraChanges?: Change[]; consent?: { inboundMessageId?: string; text?: string; disclosure?: string } } = {},
  ) {
    const product = await loadProduct(productCode);
    const key = `REDEMPTION#${customerId}#${idempotencyKey}`;
    const { result, replayed } = await applyOnce<RedemptionResult>(
      key,
      { customerId, productCode },
      async () => {
        const state = await loadState(customerId);
        const now = clock.now();
        const { pointsPrice, periodDays } = checkRedemption(product, state, now);
        const { change, entry } = movePoints(state, -pointsPrice, 'redemption', `redeem ${product.code}`, key, by, {
          productCode: product.code,
          periodDays,
        });
        const current = state.subscriptions.find((s) => s.productCode === product.code);
        const paidFrom = current?.paid && current.paid.expiresAt > now.toISOString() ? new Date(current.paid.expiresAt) : now;
        const subscription: Subscription = {
          customerId,
          productCode: product.code,
          gifts: {},
          startedAt: now.toISOString(),
          ...current,
          paid: { source: 'points', expiresAt: addDays(paidFrom, periodDays).toISOString() },
          cancelled: false,
          updatedAt: now.toISOString(),
          version: (current?.version ?? 0) + 1,
        };
        const view = { productCode: product.code, ...subscriptionState(subscription, now) };
        const audit = pointsAudit(by, 'points.redeemed', entry, state.points.balance, { productCode: product.code, expiresAt: view.expiresAt });
        return {
          changes: [
            change,
            { kind: 'subscription', subscription, expectedVersion: current?.version ?? 0, active: view.status === 'active' },
            audit,
            // The purchase is a consent to receive the product: kept in the ledger, with the disclosure confirmed.
            consentChange(
              { phone: state.customer.phone, customerId, productCode: product.code, action: 'purchase-confirmed', channel: by.channel, actor: by.actor, ...options.consent },
              ids.next(),
              now.toISOString(),
            ),
            ...(options.extraChanges ?? []),
          ],
          result: { entry, subscription: view },
        };
      },
      applyOptions('reject'),
    );
    return { ...result!, replayed };
  }

  /** Spend points to move up one tier for the configured term (never above platinum). */
  async function upgradeTier(customerId: string, idempotencyKey: string, by: Actor) {
    const key = `TIER-UPGRADE#${customerId}#${idempotencyKey}`;
    const { result, replayed } = await applyOnce<TierUpgradeResult>(
      key,
      { customerId },
      async () => {
        const state = await loadState(customerId);
        const now = clock.now();
        const previousTier = effectiveTier(state.customer, deps.tierThresholds, now);
        const target = nextTier(previousTier);
        if (!target) throw new ConflictError('already-top-tier', 'The customer is already platinum');
        const { change, entry } = movePoints(state, -rules.tierUpgradeCost[target], 'tier-upgrade', `upgrade to ${target}`, key, by, {
          from: previousTier,
          to: target,
        });
        const until = addDays(now, rules.tierUpgradeTermDays).toISOString();
        const customer = {
          ...state.customer,
          purchasedTier: target,
          purchasedTierUntil: until,
          tier: target,
          updatedAt: now.toISOString(),
          version: state.customer.version + 1,
        };
        const audit: Change = {
          kind: 'audit',
          record: auditRecord(
            by,
            {
              action: 'customer.tier-upgraded',
              entityType: 'customer',
              entity: customerId,
              before: { tier: previousTier, balance: state.points.balance },
              after: { tier: target, purchasedTierUntil: until, balance: entry.balanceAfter },
              reason: entry.reason,
            },
            ids.next(),
            entry.at,
          ),
        };
        return {
          changes: [change, { kind: 'customer', customer, previous: state.customer }, audit],
          result: { previousTier, tier: target, until, entry },
        };
      },
      applyOptions('reject'),
    );
    return { ...result!, replayed };
  }

  async function listLedger(customerId: string, options: { limit?: number; cursor?: string }): Promise<Page<LedgerEntry>> {
    if (!(await customers.get(customerId))) throw new NotFoundError('Customer', customerId);
    return ledgers.page(customerId, { limit: options.limit ?? 50, ...(options.cursor && { cursor: options.cursor }) });
  }

  return { adjust, creditSuggestionBonus, suggestionBonus: () => rules.suggestionBonus, creditCommission, creditReferral, awardLoyalty, quoteRedemption, redeemWithPoints, upgradeTier, listLedger };
}

export type PointsService = ReturnType<typeof createPointsService>;
