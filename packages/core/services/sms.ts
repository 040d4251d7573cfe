import type { CountryCode } from 'libphonenumber-js';
import type { Actor } from '../access.ts';
import { auditRecord } from '../audit.ts';
import { effectiveTier, normalisePhone, type TierThresholds } from '../customer.ts';
import { OPT_OUT_CONFIRMATION_DELAY_MS, composeSms } from '../delivery-rules.ts';
import { ConcurrentModificationError, ConflictError, OperationAlreadyAppliedError, SurveyAlreadyAnsweredError } from '../errors.ts';
import type { Command, Language } from '../keywords.ts';
import { consentChange, type ConsentAction } from '../consent.ts';
import type { Change } from '../ports/changes.ts';
import type { CustomerState, PhoneState } from '../ports/repositories.ts';
import { retry, sleep as realSleep } from '../retry.ts';
import type { Product } from '../product.ts';
import { smsTexts } from '../sms-texts.ts';
import { saleRefusal, subscriptionState, type Subscription } from '../subscription.ts';
import { addDays, localDate } from '../time.ts';
import { canonicalJson, loadCustomerState } from './apply-once.ts';
import type { PointsService } from './points.ts';
import { createReplySender } from './retrying-sms-sender.ts';
import type { ClientSmsDeps } from './client-sms-deps.ts';
import { createFeedbackPlanner, type FeedbackConfig } from './sms-feedback.ts';

export interface SmsConfig {
  /** Prepended to every SMS, e.g. 【XX证券】. */
  signature: string;
  /** The reply to a number that belongs to no customer. */
  registerText: string;
  /** How long a `Y` confirms a disclosed paid action. */
  confirmWindowMinutes: number;
  defaultRegion: CountryCode;
  /** How long an opt-out's confirmation waits (default OPT_OUT_CONFIRMATION_DELAY_MS: the opt-out fence). */
  optOutConfirmationDelayMs?: number;
  /** Complaint response time and follow-up due time. */
  feedback: FeedbackConfig;
}

export interface SmsDeps extends ClientSmsDeps {
  points: PointsService;
  parse: (text: string) => Command;
  tierThresholds: TierThresholds;
  config: SmsConfig;
}

export interface InboundSms {
  from: string;
  to?: string;
  text: string;
  inboundMessageId: string;
}

export type InboundOutcome =
  | { outcome: 'replied'; command: Command['kind'] }
  | { outcome: 'silent'; command: Command['kind']; why: 'opted-out' | 'invalid-number' }
  | { outcome: 'duplicate' };

/** What one inbound message does: the changes to commit with it, and the reply. */
interface Plan {
  changes: Change[];
  reply?: string;
  /** The plan committed its own changes (a confirmed redemption). */
  committed?: boolean;
  /** It stops messages (opt-out, unsubscribe): its confirmation waits out the opt-out fence. */
  stopsMessages?: boolean;
}

/** Messages racing for the same items (a used confirmation, a balance) plan again, quickly. */
const INBOUND_RETRIES = { maxAttempts: 20, baseMs: 5, capMs: 200 };

/**
 * Two-way SMS: every inbound message is parsed to a command, applied once (by its
 * inboundMessageId, in the same transaction as its effect) and answered with exactly one
 * reply — except for an opted-out number, which hears nothing but the answer to START.
 */
/** What a client tells us (a case, a score): recorded even from an opted-out number, which hears nothing. */
function isFeedback(command: Command): boolean {
  return command.kind === 'feedback' || command.kind === 'suggestion' || command.kind === 'complaint' || command.kind === 'score';
}

export function createSmsService(deps: SmsDeps) {
  const { products, customers, phones, operations, unitOfWork, clock, ids, config } = deps;
  const sleep = deps.sleep ?? realSleep;
  // Recorded before it is sent (a redelivery must not act twice), so a throttled reply is retried
  // here: once the service returns or throws, no redelivery will send it.
  const reply = createReplySender({ sender: deps.sender, smsLog: deps.smsLog, clock, sleep, signature: config.signature });
  const loadState = (customerId: string) => loadCustomerState(customers, customerId);
  // Replies are transactional: signed, without the promotional footer.
  const sign = (text: string) => composeSms(text, { signature: config.signature, promotional: false });
  const feedback = createFeedbackPlanner({ products, clock, ids, config: config.feedback });

  async function handleInbound(message: InboundSms): Promise<InboundOutcome> {
    const inboundKey = `INBOUND#${message.inboundMessageId}`;
    if (await operations.get(inboundKey)) return { outcome: 'duplicate' };
    const command = deps.parse(message.text);
    let phone: string;
    try {
      phone = normalisePhone(message.from, config.defaultRegion);
    } catch {
      return { outcome: 'silent', command: command.kind, why: 'invalid-number' };
    }
    const inboundRecord: Change = {
      kind: 'operation',
      key: inboundKey,
      request: canonicalJson({ from: phone, text: message.text }),
      result: { command: command.kind },
      at: clock.now().toISOString(),
    };

    const attempt = async (): Promise<InboundOutcome> => {
      const phoneState = await phones.getState(phone);
      // A number that texts us is alive: it is tried again, whatever its receipts said.
      const alive: Change[] = phoneState.undeliverable || phoneState.recentReceipts ? [{ kind: 'deliverability-cleared', phone }] : [];
      if (phoneState.optedOut && command.kind !== 'opt-in') {
        // Opted out: nothing is sent, not even an answer; the message is still recorded and audited,
        // and what the client told us (feedback, a suggestion, a complaint, a score) still counts.
        const recorded = phoneState.customerId && isFeedback(command) ? (await planCommand(command, phoneState, inboundRecord, message)).changes : undefined;
        const audit = phoneState.customerId && !recorded ? [smsAudit(phoneState.customerId, command, { ignored: 'opted-out' })] : [];
        await unitOfWork.commit([...(recorded ?? []), ...audit, ...alive, inboundRecord]);
        return { outcome: 'silent', command: command.kind, why: 'opted-out' };
      }
      const plan = await planCommand(command, phoneState, inboundRecord, message);
      // An opt-out or opt-in writes the number's item and forgets its receipts itself (one write per item).
      const revived = plan.changes.some((change) => change.kind === 'opt-out') ? [] : alive;
      if (!plan.committed) await unitOfWork.commit([...plan.changes, ...revived, inboundRecord]);
      else if (alive.length) await unitOfWork.commit(alive);
      // A broadcast publish cleared just before the commit may still be on its way; the
      // confirmation goes after it, so nothing arrives once the client has read "unsubscribed".
      if (plan.stopsMessages) await sleep(config.optOutConfirmationDelayMs ?? OPT_OUT_CONFIRMATION_DELAY_MS);
      if (plan.reply) await reply({ to: phone, text: plan.reply, ...(phoneState.customerId && { customerId: phoneState.customerId }) });
      return { outcome: 'replied', command: command.kind };
    };
    // A second score racing the first is planned again, and then thanked as already recorded.
    const raced = (error: unknown) => error instanceof OperationAlreadyAppliedError || error instanceof ConcurrentModificationError || error instanceof SurveyAlreadyAnsweredError;
    return retry(
      async () => {
        try {
          return await attempt();
        } catch (error) {
          // Either this very message was handled meanwhile (a concurrent redelivery), or what it
          // acted on changed (another message, a used confirmation): check, then plan again.
          if (raced(error) && (await operations.get(inboundKey))) return { outcome: 'duplicate' } as const;
          throw error;
        }
      },
      { ...INBOUND_RETRIES, retryable: raced, sleep },
    );
  }

  function smsAudit(customerId: string, command: Command, after: Record<string, unknown>): Change {
    const at = clock.now().toISOString();
    return {
      kind: 'audit',
      record: auditRecord(
        { actor: customerId, role: 'client', channel: 'sms' },
        { action: `sms.${command.kind}`, entityType: 'customer', entity: customerId, before: null, after: { ...('productCode' in command && { productCode: command.productCode }), ...after } },
        ids.next(),
        at,
      ),
    };
  }

  async function planCommand(command: Command, phoneState: PhoneState, inboundRecord: Change, message: InboundSms): Promise<Plan> {
    const l = command.language;
    const now = clock.now();
    // The consent ledger entry of this message's consent change, with the client's own words.
    const consent = (action: ConsentAction, productCode?: string): Change =>
      consentChange(
        { phone: phoneState.phone, customerId: phoneState.customerId, productCode, action, channel: 'sms', actor: phoneState.customerId ?? phoneState.phone, inboundMessageId: message.inboundMessageId, text: message.text },
        ids.next(),
        now.toISOString(),
      );
    if (!phoneState.customerId) {
      // Strict about opt-out: even a number we do not know is never texted again after STOP.
      if (command.kind === 'opt-out') {
        return { changes: [{ kind: 'opt-out', phone: phoneState.phone, optedOut: true, at: now.toISOString() }, consent('opt-out')], reply: smsTexts.optedOut(l) };
      }
      // And the number that opted out may opt back in, customer or not (it may become one later).
      if (command.kind === 'opt-in' && phoneState.optedOut) {
        return { changes: [{ kind: 'opt-out', phone: phoneState.phone, optedOut: false, at: now.toISOString() }, consent('opt-in')], reply: smsTexts.optedIn(smsTexts.list([], l), l) };
      }
      return { changes: [], reply: config.registerText };
    }
    const customerId = phoneState.customerId;
    const audit = (after: Record<string, unknown> = {}) => smsAudit(customerId, command, after);

    switch (command.kind) {
      case 'help':
        return { changes: [audit()], reply: smsTexts.help(l) };
      case 'unknown':
        return { changes: [audit()], reply: smsTexts.notUnderstood(l) };
      case 'opt-out':
        return { changes: [{ kind: 'opt-out', phone: phoneState.phone, optedOut: true, at: now.toISOString() }, consent('opt-out'), audit()], reply: smsTexts.optedOut(l), stopsMessages: true };
      case 'opt-in': {
        const state = await loadState(customerId);
        const changes: Change[] = [audit({ wasOptedOut: phoneState.optedOut })];
        if (phoneState.optedOut) changes.unshift({ kind: 'opt-out', phone: phoneState.phone, optedOut: false, at: now.toISOString() }, consent('opt-in'));
        return { changes, reply: smsTexts.optedIn(await listText(state, l), l) };
      }
      case 'list': {
        const state = await loadState(customerId);
        return { changes: [audit()], reply: await listText(state, l) };
      }
      case 'points': {
        const state = await loadState(customerId);
        return { changes: [audit({ balance: state.points.balance })], reply: smsTexts.balance(state.points.balance, l) };
      }
      case 'subscribe':
        return subscribe(customerId, command.productCode, l, audit, consent);
      case 'unsubscribe':
        return unsubscribe(customerId, command.productCode, l, audit, consent);
      case 'redeem':
        return requestRedemption(customerId, phoneState, command.productCode, l, audit);
      case 'confirm':
        return confirm(customerId, phoneState, l, audit, inboundRecord, message);
      case 'feedback':
      case 'suggestion':
      case 'complaint':
        return feedback.planCase(command, { ...phoneState, customerId }, l, audit);
      case 'score':
        return feedback.planScore(command.score, { ...phoneState, customerId }, l, audit);
    }
  }

  async function listText(state: CustomerState, l: Language): Promise<string> {
    const now = clock.now();
    const items: Array<{ name: string; until?: string }> = [];
    for (const sub of state.subscriptions) {
      const view = subscriptionState(sub, now);
      if (view.status !== 'active') continue;
      const product = await products.get(sub.productCode);
      items.push({ name: product?.name ?? sub.productCode, ...(view.expiresAt && { until: localDate(new Date(view.expiresAt), state.customer.timezone) }) });
    }
    return smsTexts.list(items, l);
  }

  /** The reply for a product the client may not have, or undefined when they may. */
  function refusalText(product: Product, state: CustomerState, l: Language): string | undefined {
    const tier = effectiveTier(state.customer, deps.tierThresholds, clock.now());
    const refusal = saleRefusal(product, state.customer, tier);
    if (!refusal) return undefined;
    if (refusal.reason === 'product-not-listed') return smsTexts.notListed(product, l);
    if (refusal.reason === 'tier-not-eligible') return smsTexts.notForTier(product, tier, l);
    return smsTexts.unsuitable(product, state.customer.riskTolerance, l);
  }

  function subscriptionChange(state: CustomerState, current: Subscription | undefined, productCode: string, patch: Partial<Subscription>): Change {
    const now = clock.now();
    const subscription: Subscription = {
      customerId: state.customer.customerId,
      productCode,
      gifts: {},
      startedAt: now.toISOString(),
      ...current,
      ...patch,
      updatedAt: now.toISOString(),
      version: (current?.version ?? 0) + 1,
    };
    return { kind: 'subscription', subscription, expectedVersion: current?.version ?? 0, active: subscriptionState(subscription, now).status === 'active' };
  }

  async function subscribe(customerId: string, code: string, l: Language, audit: (after?: Record<string, unknown>) => Change, consent: (action: ConsentAction, productCode?: string) => Change): Promise<Plan> {
    const product = await products.get(code);
    if (!product) return { changes: [audit({ refused: 'no-such-product' })], reply: smsTexts.noSuchProduct(code, l) };
    if (product.kind === 'commission-package') return { changes: [audit({ refused: 'package' })], reply: smsTexts.notAvailableBySms(product, l) };
    const state = await loadState(customerId);
    const refused = refusalText(product, state, l);
    if (refused) return { changes: [audit({ refused: true })], reply: refused };
    const now = clock.now();
    const current = state.subscriptions.find((s) => s.productCode === code);
    const view = current && subscriptionState(current, now);
    const until = (iso?: string) => (iso ? localDate(new Date(iso), state.customer.timezone) : undefined);
    if (view?.status === 'active') return { changes: [audit({ already: true })], reply: smsTexts.alreadySubscribed(product, until(view.expiresAt), l) };
    const entitled = current && subscriptionState({ ...current, cancelled: false }, now);
    if (entitled?.status === 'active' || !product.pricing) {
      // Free, or paid/gifted and only unsubscribed: (re)start delivery.
      const change = subscriptionChange(state, current, code, { cancelled: false, ...(!product.pricing && { free: true }) });
      const expiresAt = entitled?.status === 'active' ? entitled.expiresAt : undefined;
      return {
        changes: [change, { kind: 'product-counter', productCode: code, counter: 'subscribes' }, consent('subscribe', code), audit({ subscribed: true })],
        reply: smsTexts.subscribed(product, until(expiresAt), l),
      };
    }
    return { changes: [audit({ offered: true })], reply: smsTexts.paidOffer(product, l) };
  }

  async function unsubscribe(customerId: string, code: string, l: Language, audit: (after?: Record<string, unknown>) => Change, consent: (action: ConsentAction, productCode?: string) => Change): Promise<Plan> {
    const product = await products.get(code);
    if (!product) return { changes: [audit({ refused: 'no-such-product' })], reply: smsTexts.noSuchProduct(code, l) };
    const state = await loadState(customerId);
    const current = state.subscriptions.find((s) => s.productCode === code);
    if (!current || subscriptionState(current, clock.now()).status !== 'active') {
      return { changes: [audit({ notSubscribed: true })], reply: smsTexts.notSubscribed(product, l) };
    }
    return {
      changes: [
        subscriptionChange(state, current, code, { cancelled: true, free: false }),
        { kind: 'product-counter', productCode: code, counter: 'unsubscribes' },
        consent('unsubscribe', code),
        audit({ unsubscribed: true }),
      ],
      reply: smsTexts.unsubscribed(product, l),
      stopsMessages: true,
    };
  }

  /** `DH <CODE>`: the same checks as a purchase, then the disclosure and a pending confirmation. */
  async function requestRedemption(customerId: string, phoneState: PhoneState, code: string, l: Language, audit: (after?: Record<string, unknown>) => Change): Promise<Plan> {
    const product = await products.get(code);
    if (!product) return { changes: [audit({ refused: 'no-such-product' })], reply: smsTexts.noSuchProduct(code, l) };
    try {
      const quote = await deps.points.quoteRedemption(customerId, code);
      const now = clock.now();
      const disclosure = smsTexts.redeemDisclosure(product, quote.pointsPrice, quote.periodDays, config.confirmWindowMinutes, l);
      return {
        changes: [
          {
            kind: 'pending',
            pending: {
              pendingId: ids.next(),
              phone: phoneState.phone,
              customerId,
              action: 'redeem',
              productCode: code,
              language: l,
              createdAt: now.toISOString(),
              expiresAt: addDays(now, config.confirmWindowMinutes / 1440).toISOString(),
              // What the client's Y will confirm, as they read it.
              disclosure: sign(disclosure),
            },
          },
          audit({ disclosed: true, pointsPrice: quote.pointsPrice }),
        ],
        reply: disclosure,
      };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const state = await loadState(customerId);
      return { changes: [audit({ refused: error.reason })], reply: redemptionRefusalText(error, product, state, l) };
    }
  }

  function redemptionRefusalText(error: ConflictError, product: Product, state: CustomerState, l: Language): string {
    if (error.reason === 'insufficient-points') {
      return smsTexts.insufficientPoints(product, Number(error.details?.required), Number(error.details?.balance), l);
    }
    if (error.reason === 'not-redeemable-with-points') return smsTexts.notRedeemable(product, l);
    return refusalText(product, state, l) ?? smsTexts.notListed(product, l);
  }

  /** `Y`: only a live pending action is bought, once; the purchase, the used confirmation and the message are one transaction. */
  async function confirm(customerId: string, phoneState: PhoneState, l: Language, audit: (after?: Record<string, unknown>) => Change, inboundRecord: Change, message: InboundSms): Promise<Plan> {
    const pending = phoneState.pending;
    const now = clock.now();
    if (!pending || pending.customerId !== customerId || pending.expiresAt <= now.toISOString()) {
      return { changes: [audit({ nothingPending: true })], reply: smsTexts.nothingToConfirm(config.confirmWindowMinutes, l) };
    }
    const language = pending.language;
    const consumed: Change = { kind: 'pending-consumed', phone: phoneState.phone, pendingId: pending.pendingId };
    const product = await products.get(pending.productCode);
    const by: Actor = { actor: customerId, role: 'client', channel: 'sms' };
    try {
      const result = await deps.points.redeemWithPoints(customerId, pending.productCode, pending.pendingId, by, {
        extraChanges: [consumed, inboundRecord],
        consent: { inboundMessageId: message.inboundMessageId, text: message.text, ...(pending.disclosure && { disclosure: pending.disclosure }) },
      });
      if (result.replayed) throw new OperationAlreadyAppliedError(`REDEMPTION#${pending.pendingId}`);
      const state = await loadState(customerId);
      const until = localDate(new Date(result.subscription.expiresAt!), state.customer.timezone);
      return { changes: [], committed: true, reply: smsTexts.redeemed(product!, until, -result.entry.delta, result.entry.balanceAfter, language) };
    } catch (error) {
      if (!(error instanceof ConflictError) || !product) throw error;
      // Refused now (e.g. the points were spent meanwhile): the confirmation is used up, nothing is bought.
      const state = await loadState(customerId);
      return { changes: [consumed, audit({ refused: error.reason })], reply: redemptionRefusalText(error, product, state, language) };
    }
  }

  return { handleInbound };
}

export type SmsService = ReturnType<typeof createSmsService>;
