import { useState } from 'preact/hooks';
import { can } from '../access.ts';
import { api, ok, type MessageView } from '../api/client.ts';
import { formatNumber, formatTime, label, t } from '../i18n/index.ts';
import { href } from '../router.ts';
import { usePages } from '../ui/async.ts';
import { MoreButton } from '../ui/paging.tsx';
import { Loading, ProblemAlert } from '../ui/problem.tsx';

type Counts = MessageView['counts'];
/** A recipient's state from the receipts: `sent` is accepted by SNS and still awaiting its receipt. */
const STATES = ['undelivered', 'failed', 'sent', 'delivered'] as const;
type State = (typeof STATES)[number];

const countOf = (counts: Counts, state: State) => (state === 'sent' ? counts.awaitingReceipt : counts[state]);

/** A state's badge (also in a client's SMS history): delivered good, undelivered and failed bad, awaiting neutral. */
export function SmsStatusBadge({ status }: { status: string }) {
  const tone = status === 'delivered' ? 'good' : status === 'sent' ? 'muted' : 'bad';
  return <span class={`badge ${tone}`}>{label('smsStatus', status)}</span>;
}

/**
 * Who is in which state (GET /admin/messages/{id}/recipients?status=), a page at a time. It
 * opens on the first state that has anyone, problems first; the list follows the counts as
 * receipts come in.
 */
export function RecipientsByStatus({ messageId, counts }: { messageId: string; counts: Counts }) {
  const [state, setState] = useState<State>(() => STATES.find((s) => countOf(counts, s) > 0) ?? 'delivered');
  const count = countOf(counts, state);
  const recipients = usePages(
    (cursor) => ok(api().GET('/admin/messages/{messageId}/recipients', { params: { path: { messageId }, query: { status: state, limit: 50, ...(cursor && { cursor }) } } })),
    [messageId, state, count],
  );
  const clients = can('customers', 'read');
  return (
    <section>
      <h2 id="recipients-title">{t('message.recipientList')}</h2>
      <div class="segmented">
        {STATES.map((s) => (
          <button key={s} type="button" aria-pressed={s === state} onClick={() => setState(s)}>
            {label('smsStatus', s)} ({formatNumber(countOf(counts, s))})
          </button>
        ))}
      </div>
      <ProblemAlert problem={recipients.problem} />
      <Loading when={recipients.loading && recipients.items.length === 0} />
      {!recipients.loading && recipients.items.length === 0 && <p>{t('message.recipientNone')}</p>}
      {recipients.items.length > 0 && (
        <table>
          <caption class="visually-hidden">{`${t('message.recipientList')}: ${label('smsStatus', state)}`}</caption>
          <thead>
            <tr>
              <th scope="col">{t('message.client')}</th>
              <th scope="col">{t('message.receiptState')}</th>
              <th scope="col">{t('message.receiptReason')}</th>
              <th scope="col">{t('points.at')}</th>
            </tr>
          </thead>
          <tbody>
            {recipients.items.map((r) => (
              <tr key={r.customerId}>
                <td>{clients ? <a href={href('customers', r.customerId)}>{r.customerId}</a> : r.customerId}</td>
                <td>
                  <SmsStatusBadge status={r.status} />
                </td>
                <td>{r.reason ? label('undelivered', r.reason) : ''}</td>
                <td>{formatTime(r.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton pages={recipients} />
    </section>
  );
}
