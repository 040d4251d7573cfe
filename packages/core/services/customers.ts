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
import type { CustomerRepository, MessageRepository, Page, PhoneRepository, SmsLogRepository, UnitOfWork } from '../ports/repositories.ts';
import type { SentSms } from '../receipts.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import { packageIsActive, subscriptionState } from '../subscription.ts';
import { messageText, type MessageTextConfig } from './messages/text.ts';

export interface CustomerDeps {
  customers: CustomerRepository;
  phones: PhoneRepository;
  smsLog: SmsLogRepository;
  messages: MessageRepository;
  unitOfWork: UnitOfWork;
  clock: Clock;
  ids: IdGenerator;
  tierThresholds: TierThresholds;
  /** Region for numbers written without a country code. */
  defaultRegion: CountryCode;
  defaultTimezone: string;
  /** How a stored message's SMS reads (signature, footer...): a history shows what the client got. */
  text: MessageTextConfig;
}

/** One SMS in a client's history (GET /admin/customers/{id}/messages). */
export interface SmsHistoryItem {
  at: string;
  kind: SentSms['kind'];
  messageId?: string;
  productCode?: string;
  body: string;
  status: SentSms['status'];
  reason?: string;
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
    const phone = await deps.phones.getState(state.customer.phone);
    const now = clock.now();
    const tier = effectiveTier(state.customer, deps.tierThresholds, now);
    return {
      customer: { ...state.customer, tier },
      tier,
      phoneStatus: phone.undeliverable ? 'undeliverable' : 'ok',
      points: { balance: state.points.balance },
      subscriptions: state.subscriptions.map((s) => ({ productCode: s.productCode, ...subscriptionState(s, now) })),
      packages: state.packages
        .filter((p) => packageIsActive(p, now))
        .map((p) => ({ productCode: p.productCode, expiresAt: p.expiresAt, bundle: p.bundle })),
    };
  }

  /**
   * Every SMS sent to the customer, newest first, with its kind and status: broadcasts and
   * reminders read their text from their message (one batched read a page), the rest carry it.
   */
  async function listMessagesSent(customerId: string, options: { limit?: number; cursor?: string }): Promise<{ items: SmsHistoryItem[]; cursor?: string }> {
    if (!(await customers.get(customerId))) throw new NotFoundError('Customer', customerId);
    const page: Page<SentSms> = await deps.smsLog.listForCustomer(customerId, { limit: options.limit ?? 50, ...(options.cursor && { cursor: options.cursor }) });
    const ids = [...new Set(page.items.flatMap((s) => (s.messageId && !s.body ? [s.messageId] : [])))];
    const bodies = new Map((await Promise.all(ids.map((id) => deps.messages.get(id)))).flatMap((m) => (m ? [[m.messageId, messageText(m, deps.text)] as const] : [])));
    return {
      items: page.items.map((s) => ({
        at: s.sentAt,
        kind: s.kind,
        ...(s.messageId && { messageId: s.messageId }),
        ...(s.productCode && { productCode: s.productCode }),
        body: s.body ?? bodies.get(s.messageId ?? '') ?? '',
        status: s.status,
        ...(s.reason && { reason: s.reason }),
      })),
      ...(page.nextCursor && { cursor: page.nextCursor }),
    };
  }

  return { putCustomer, getCustomerView, listMessagesSent };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
