import { can } from '../access.ts';
import { api, ok } from '../api/client.ts';
import { formatTime, label, t } from '../i18n/index.ts';
import { href } from '../router.ts';
import { usePages } from '../ui/async.ts';
import { MoreButton } from '../ui/paging.tsx';
import { Loading, ProblemAlert } from '../ui/problem.tsx';
import { SmsStatusBadge } from './message-recipients.tsx';

/** Every SMS sent to the client, newest first, with its receipt (GET /admin/customers/{id}/messages). */
export function SmsHistory({ customerId }: { customerId: string }) {
  const sms = usePages(
    (cursor) => ok(api().GET('/admin/customers/{customerId}/messages', { params: { path: { customerId }, query: { limit: 20, ...(cursor && { cursor }) } } })),
    [customerId],
  );
  const messages = can('messages', 'read');
  return (
    <section>
      <h2 id="sms-title">{t('customer.sms')}</h2>
      <ProblemAlert problem={sms.problem} />
      <Loading when={sms.loading && sms.items.length === 0} />
      {!sms.loading && sms.items.length === 0 && <p>{t('customer.smsNone')}</p>}
      {sms.items.length > 0 && (
        <table>
          <caption class="visually-hidden">{t('customer.sms')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('points.at')}</th>
              <th scope="col">{t('customer.smsKind')}</th>
              <th scope="col">{t('message.product')}</th>
              <th scope="col">{t('message.text')}</th>
              <th scope="col">{t('customer.smsState')}</th>
            </tr>
          </thead>
          <tbody>
            {sms.items.map((item, i) => (
              <tr key={`${item.at}-${i}`}>
                <td>{messages && item.messageId ? <a href={href('messages', item.messageId)}>{formatTime(item.at)}</a> : formatTime(item.at)}</td>
                <td>{label('smsKind', item.kind)}</td>
                <td>{item.productCode ? <code>{item.productCode}</code> : '—'}</td>
                <td class="sms-cell">{item.body}</td>
                <td>
                  <SmsStatusBadge status={item.status} />
                  {item.reason && <small> {label('undelivered', item.reason)}</small>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton pages={sms} />
    </section>
  );
}
