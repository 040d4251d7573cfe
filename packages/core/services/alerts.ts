import { createHash } from 'node:crypto';
import { auditRecord } from '../audit.ts';
import { composeSms } from '../delivery-rules.ts';
import { OperationAlreadyAppliedError } from '../errors.ts';
import type { Message } from '../message.ts';
import type { DeliveryRepository } from '../ports/repositories.ts';
import { sleep as realSleep } from '../retry.ts';
import { subscriptionState } from '../subscription.ts';
import { canonicalJson } from './apply-once.ts';
import type { ClientSmsDeps } from './client-sms-deps.ts';
import { REPLY_RETRIES, RetryingSmsSender } from './retrying-sms-sender.ts';
import { assertWithinSegments, contentHash } from './messages/text.ts';
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
 * The message id of the alert for `eventId`: `ALERT` and 128 bits of its SHA-256 in hex, so it is
 * a valid id on every message route (upper-case letters and digits) and the same on every retry.
 * (The event id itself may hold any printable character.)
 */
export function alertMessageId(eventId: string): string {
  return `ALERT${createHash('sha256').update(eventId, 'utf8').digest('hex').slice(0, 32).toUpperCase()}`;
}

/** The one recipient's outcome, as a batch record of the alert's message (its counts are summed from these). */
const ALERT_RECORD_ID = 'alert';

/**
 * trading/AccountEvent: one personalised, transactional alert (not held by quiet hours) to
 * the customer if they hold an active account-alerts subscription and have not opted out;
 * once per eventId. A sent alert is a message of kind `alert` (one recipient), read like any other.
 */
export function createAlertService(deps: ClientSmsDeps & { deliveries: DeliveryRepository; config: { signature: string; templates: AlertTemplates; maxSegments?: number } }) {
  const { products, customers, phones, operations, unitOfWork, deliveries, clock, ids, config } = deps;
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
    const segments = body ? assertWithinSegments(body, config.maxSegments, 'data') : 0;
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
    // Recorded with the outcome, before the send: the message is `sending` to its one recipient until its outcome record says sent or failed.
    const message: Message | undefined =
      outcome === 'sent' && body && subscribed && 'text' in rendered
        ? {
            messageId: alertMessageId(event.eventId),
            kind: 'alert',
            productCode: subscribed,
            body: rendered.text,
            smsType: 'Transactional',
            status: 'sending',
            contentHash: contentHash(body),
            createdAt: now.toISOString(),
            createdBy: 'trading',
            estimate: { recipients: 1, segments },
            recipients: 1,
            version: 1,
          }
        : undefined;
    try {
      await unitOfWork.commit([
        { kind: 'operation', key, request: canonicalJson(event), result: { outcome }, at: now.toISOString() },
        ...(message ? [{ kind: 'message' as const, message, expectedVersion: 0 }] : []),
        {
          kind: 'audit',
          record: auditRecord(
            { actor: 'trading', role: 'system', channel: 'event' },
            {
              action: `alert.${outcome}`,
              entityType: 'customer',
              entity: event.customerId,
              before: null,
              after: { eventId: event.eventId, type: event.type, ...(message && { messageId: message.messageId }), ...('missing' in rendered && { missing: rendered.missing }) },
            },
            ids.next(),
            now.toISOString(),
          ),
        },
      ]);
    } catch (error) {
      if (error instanceof OperationAlreadyAppliedError) return 'duplicate';
      throw error;
    }
    if (!message || !body) return outcome;
    const sms = { kind: 'alert' as const, messageId: message.messageId, productCode: message.productCode, customerId: event.customerId, phone: state.customer.phone, body };
    let smsId: string;
    try {
      smsId = (await sender.send({ to: state.customer.phone, body, smsType: 'Transactional' })).messageId;
    } catch (error) {
      // Never accepted: the message counts it failed, and the event fails as before (its retry finds the alert recorded).
      const at = clock.now().toISOString();
      await deps.smsLog.record([{ ...sms, smsId: `F${ids.next()}`, status: 'failed', sentAt: at }]);
      await deliveries.recordOutcome(message.messageId, ALERT_RECORD_ID, { sent: 0, failed: 1, skipped: {}, deferred: 0 }, { at, giveBackCap: [] });
      throw error;
    }
    const at = clock.now().toISOString();
    // Under its messageId, so that its receipt counts on the message.
    await deps.smsLog.record([{ ...sms, smsId, status: 'sent', sentAt: at }]);
    await deliveries.recordOutcome(message.messageId, ALERT_RECORD_ID, { sent: 1, failed: 0, skipped: {}, deferred: 0 }, { at, giveBackCap: [] });
    return 'sent';
  }

  return { sendAccountAlert };
}

export type AlertService = ReturnType<typeof createAlertService>;
