import { useState } from 'preact/hooks';
import { outbox } from '../api/local.ts';
import { formatTime, label, t } from '../i18n/index.ts';
import { useLoad, usePoll } from '../ui/async.ts';
import { TextField } from '../ui/form.tsx';
import { ProblemAlert } from '../ui/problem.tsx';
import { SmsStatusBadge } from './message-recipients.tsx';

/** The local runtime's SMS outbox, newest first, kept up to date while it is open. */
export function OutboxScreen() {
  const [to, setTo] = useState('');
  const items = useLoad(() => outbox(to.trim() || undefined), [to]);
  usePoll(items.reload, 2000);
  const newestFirst = [...(items.data ?? [])].reverse();
  return (
    <section>
      <h1 id="outbox-title">{t('outbox.title')}</h1>
      <p class="hint">{t('outbox.about')}</p>
      <div class="filters">
        <TextField label={t('outbox.to')} name="to" type="search" value={to} onValue={setTo} />
      </div>
      <ProblemAlert problem={items.problem} />
      {items.data && newestFirst.length === 0 && <p>{t('outbox.none')}</p>}
      {newestFirst.length > 0 && (
        <table>
          <caption class="visually-hidden">{t('outbox.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('points.at')}</th>
              <th scope="col">{t('outbox.to')}</th>
              <th scope="col">{t('product.smsType')}</th>
              <th scope="col">{t('message.text')}</th>
              <th scope="col">{t('outbox.receipt')}</th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((item) => (
              <tr key={item.snsMessageId}>
                <td>{formatTime(item.at)}</td>
                <td>{item.to}</td>
                <td>{label('smsType', item.smsType)}</td>
                <td class="sms-cell">{item.body}</td>
                <td>
                  <SmsStatusBadge status={item.receipt ?? 'sent'} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
