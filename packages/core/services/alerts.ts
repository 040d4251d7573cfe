import { auditRecord } from '../audit.ts';
import { composeSms } from '../delivery-rules.ts';
import { OperationAlreadyAppliedError } from '../errors.ts';
import { sleep as realSleep } from '../retry.ts';
import { subscriptionState } from '../subscription.ts';
import { canonicalJson } from './apply-once.ts';
import type { ClientSmsDeps } from './client-sms-deps.ts';
import { REPLY_RETRIES, RetryingSmsSender } from './retrying-sms-sender.ts';
import { assertWithinSegments } from './messages/text.ts';

/**
 * Templates by event type; `{name}` is replaced by `data.name` (a missing value by an empty
 * string). An event type without a template gets `default`, which quotes nothing of the event:
 * upstream text reaches a client's phone only through a template made for it.
 */
export const DEFAULT_ALERT_TEMPLATES: Record<string, string> = {
  'trade-filled': '您的委托已成交：{stockCode} {side} {quantity}股。',
  'funds-moved': '您的资金账户发生变动：{amount}元，{direction}。',
  'margin-call': '您的信用账户维持担保比例为{ratio}，已低于警戒线，请及时补充担保物。',
  default: '您的账户有一条新的提醒，请登录交易软件查看详情。',
};

export interface AccountEvent {
  customerId: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  at: string;
}

export type AlertOutcome = 'sent' | 'duplicate' | 'not-subscribed' | 'opted-out' | 'unknown-customer';

export function renderAlert(event: Pick<AccountEvent, 'type' | 'data'>, templates: Record<string, string>): string {
  const template = templates[event.type] ?? templates.default ?? DEFAULT_ALERT_TEMPLATES.default!;
  const values: Record<string, unknown> = event.data;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (values[name] === undefined ? '' : String(values[name])));
}

/**
 * trading/AccountEvent: one personalised, transactional alert (not held by quiet hours) to
 * the customer if they hold an active account-alerts subscription and have not opted out;
 * once per eventId.
 */
export function createAlertService(deps: ClientSmsDeps & { config: { signature: string; templates: Record<string, string>; maxSegments?: number } }) {
  const { products, customers, phones, operations, unitOfWork, clock, ids, config } = deps;
  const sender = new RetryingSmsSender(deps.sender, REPLY_RETRIES, deps.sleep ?? realSleep);

  async function sendAccountAlert(event: AccountEvent): Promise<AlertOutcome> {
    const key = `ALERT#${event.eventId}`;
    if (await operations.get(key)) return 'duplicate';
    const state = await customers.getState(event.customerId);
    if (!state) return 'unknown-customer';
    const now = clock.now();
    // Composed before anything is recorded: an alert too long to send is refused, not recorded as sent.
    const body = composeSms(renderAlert(event, config.templates), { signature: config.signature, promotional: false });
    assertWithinSegments(body, config.maxSegments, 'data');
    let subscribed = false;
    for (const sub of state.subscriptions) {
      if (subscriptionState(sub, now).status !== 'active') continue;
      if ((await products.get(sub.productCode))?.kind === 'account-alerts') subscribed = true;
    }
    const phone = await phones.getState(state.customer.phone);
    const outcome: AlertOutcome = !subscribed ? 'not-subscribed' : phone.optedOut ? 'opted-out' : 'sent';
    try {
      await unitOfWork.commit([
        { kind: 'operation', key, request: canonicalJson(event), result: { outcome }, at: now.toISOString() },
        {
          kind: 'audit',
          record: auditRecord(
            { actor: 'trading', role: 'system', channel: 'event' },
            { action: `alert.${outcome}`, entityType: 'customer', entity: event.customerId, before: null, after: { eventId: event.eventId, type: event.type } },
            ids.next(),
            now.toISOString(),
          ),
        },
      ]);
    } catch (error) {
      if (error instanceof OperationAlreadyAppliedError) return 'duplicate';
      throw error;
    }
    if (outcome !== 'sent') return outcome;
    await sender.send({ to: state.customer.phone, body, smsType: 'Transactional' });
    return 'sent';
  }

  return { sendAccountAlert };
}

export type AlertService = ReturnType<typeof createAlertService>;
