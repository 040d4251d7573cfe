import { auditRecord } from '../audit.ts';
import { composeSms } from '../delivery-rules.ts';
import { OperationAlreadyAppliedError } from '../errors.ts';
import { sleep as realSleep } from '../retry.ts';
import { subscriptionState } from '../subscription.ts';
import { canonicalJson } from './apply-once.ts';
import type { ClientSmsDeps } from './client-sms-deps.ts';
import { REPLY_RETRIES, RetryingSmsSender } from './retrying-sms-sender.ts';
import { assertWithinSegments } from './messages/text.ts';
import { renderAlert, type AlertTemplates } from '../alert-templates.ts';

export interface AccountEvent {
  customerId: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  at: string;
}

/** `missing-data`: the event lacks a field its template needs: recorded and audited, not sent (never an SMS with a blank). */
export type AlertOutcome = 'sent' | 'duplicate' | 'not-subscribed' | 'opted-out' | 'undeliverable' | 'unknown-customer' | 'missing-data';

/**
 * trading/AccountEvent: one personalised, transactional alert (not held by quiet hours) to
 * the customer if they hold an active account-alerts subscription and have not opted out;
 * once per eventId.
 */
export function createAlertService(deps: ClientSmsDeps & { config: { signature: string; templates: AlertTemplates; maxSegments?: number } }) {
  const { products, customers, phones, operations, unitOfWork, clock, ids, config } = deps;
  const sender = new RetryingSmsSender(deps.sender, REPLY_RETRIES, deps.sleep ?? realSleep);

  async function sendAccountAlert(event: AccountEvent): Promise<AlertOutcome> {
    const key = `ALERT#${event.eventId}`;
    if (await operations.get(key)) return 'duplicate';
    const state = await customers.getState(event.customerId);
    if (!state) return 'unknown-customer';
    const now = clock.now();
    // Composed before anything is recorded: an alert too long to send is refused, not recorded as sent.
    const rendered = renderAlert(event, config.templates, state.customer.language ?? 'zh');
    const body = 'text' in rendered ? composeSms(rendered.text, { signature: config.signature, promotional: false }) : undefined;
    if (body) assertWithinSegments(body, config.maxSegments, 'data');
    let subscribed: string | undefined;
    for (const sub of state.subscriptions) {
      if (subscriptionState(sub, now).status !== 'active') continue;
      if ((await products.get(sub.productCode))?.kind === 'account-alerts') subscribed ??= sub.productCode;
    }
    const phone = await phones.getState(state.customer.phone);
    const outcome: AlertOutcome = !subscribed
      ? 'not-subscribed'
      : phone.optedOut
        ? 'opted-out'
        : phone.undeliverable
          ? 'undeliverable'
          : !body
            ? 'missing-data'
            : 'sent';
    try {
      await unitOfWork.commit([
        { kind: 'operation', key, request: canonicalJson(event), result: { outcome }, at: now.toISOString() },
        {
          kind: 'audit',
          record: auditRecord(
            { actor: 'trading', role: 'system', channel: 'event' },
            { action: `alert.${outcome}`, entityType: 'customer', entity: event.customerId, before: null, after: { eventId: event.eventId, type: event.type, ...('missing' in rendered && { missing: rendered.missing }) } },
            ids.next(),
            now.toISOString(),
          ),
        },
      ]);
    } catch (error) {
      if (error instanceof OperationAlreadyAppliedError) return 'duplicate';
      throw error;
    }
    if (outcome !== 'sent' || !body) return outcome;
    const { messageId } = await sender.send({ to: state.customer.phone, body, smsType: 'Transactional' });
    await deps.smsLog.record([
      { smsId: messageId, kind: 'alert', productCode: subscribed, customerId: event.customerId, phone: state.customer.phone, body, status: 'sent', sentAt: clock.now().toISOString() },
    ]);
    return 'sent';
  }

  return { sendAccountAlert };
}

export type AlertService = ReturnType<typeof createAlertService>;
