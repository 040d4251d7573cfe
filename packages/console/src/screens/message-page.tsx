import { useState } from 'preact/hooks';
import { can } from '../access.ts';
import { api, ok, type MessageView } from '../api/client.ts';
import { CANCELLABLE } from '../catalog.ts';
import { formatNumber, formatTime, formatUsd, label, t } from '../i18n/index.ts';
import { href } from '../router.ts';
import { useAction, useLoad, usePoll } from '../ui/async.ts';
import { BarChart, type Bar } from '../ui/bars.tsx';
import { Figure, Figures } from '../ui/figures.tsx';
import { Loading, ProblemAlert } from '../ui/problem.tsx';
import { StatusBadge } from './messages.tsx';
import { RecipientsByStatus } from './message-recipients.tsx';
import { Reviews } from './review.tsx';

type Counts = MessageView['counts'];

function byReason(reasons: Record<string, number>): Array<[string, number]> {
  return Object.entries(reasons).filter(([, n]) => n > 0);
}

/**
 * The delivery funnel: recipients, then sent, and of the sent (by the carriers' receipts) the
 * delivered, those still awaiting a receipt and the undelivered by reason; then what never went
 * (held by quiet hours, skipped by reason, failed).
 */
export function funnelBars(counts: Counts): Bar[] {
  const bars: Bar[] = [
    { label: t('figure.recipients'), value: counts.recipients, tone: 'total' },
    { label: t('figure.sent'), value: counts.sent, tone: 'info' },
    { label: t('figure.delivered'), value: counts.delivered, tone: 'good', nested: true },
    { label: t('figure.awaitingReceipt'), value: counts.awaitingReceipt, tone: 'muted', nested: true },
    { label: t('figure.undelivered'), value: counts.undelivered, tone: 'bad', nested: true },
  ];
  for (const [reason, n] of byReason(counts.undeliveredByReason)) bars.push({ label: label('undelivered', reason), value: n, tone: 'bad', nested: true });
  if (counts.deferred > 0) bars.push({ label: t('figure.deferred'), value: counts.deferred, tone: 'muted' });
  bars.push({ label: t('figure.skipped'), value: counts.skipped, tone: 'warn' });
  for (const [reason, n] of byReason(counts.skippedByReason)) bars.push({ label: label('reason', reason), value: n, tone: 'warn', nested: true });
  bars.push({ label: t('figure.failed'), value: counts.failed, tone: 'bad' });
  return bars;
}

/** Statuses after which nothing changes: no need to keep asking. */
const SETTLED = new Set(['sent', 'cancelled', 'rejected']);

export function MessagePage({ id }: { id: string }) {
  const message = useLoad(() => ok(api().GET('/admin/messages/{messageId}', { params: { path: { messageId: id } } })), [id]);
  const m = message.data;
  // While it is being sent the counts move: ask again every few seconds.
  usePoll(() => {
    if (m && !SETTLED.has(m.status)) message.reload();
  }, 3000);
  const [confirming, setConfirming] = useState(false);
  const cancel = useAction();
  const doCancel = () =>
    void cancel.run(async () => {
      await ok(api().DELETE('/admin/messages/{messageId}', { params: { path: { messageId: id } } }));
      setConfirming(false);
      message.reload();
    });

  return (
    <section>
      <p>
        <a href={href('messages')}>{t('common.back')}</a>
      </p>
      <h1 id="message-title">{m ? t('message.title', { product: m.productCode }) : t('message.titleLoading')}</h1>
      <ProblemAlert problem={message.problem} />
      <Loading when={message.loading && !m} />
      {m && (
        <>
          <Figures>
            <Figure label={t('message.status')} value={label('status', m.status)} />
            <Figure label={t('figure.recipients')} value={formatNumber(m.counts.recipients)} />
            <Figure label={t('figure.sent')} value={formatNumber(m.counts.sent)} />
            <Figure label={t('figure.delivered')} value={formatNumber(m.counts.delivered)} />
            <Figure label={t('figure.awaitingReceipt')} value={formatNumber(m.counts.awaitingReceipt)} />
            <Figure label={t('figure.skipped')} value={formatNumber(m.counts.skipped)} />
            <Figure label={t('figure.failed')} value={formatNumber(m.counts.failed)} />
            {m.counts.deferred > 0 && <Figure label={t('figure.deferred')} value={formatNumber(m.counts.deferred)} />}
            <Figure label={t('figure.priceUsd')} value={formatUsd(m.counts.priceUsd)} />
          </Figures>
          <BarChart title={t('message.funnel')} bars={funnelBars(m.counts)} max={m.counts.recipients} />
          <div class="columns">
            <div>
              <h2>{t('message.text')}</h2>
              <figure class="sms">
                <figcaption>{t('message.textCaption', { segments: m.estimate.segments })}</figcaption>
                <pre>{m.text}</pre>
              </figure>
            </div>
            <dl class="details">
              <dt>{t('message.status')}</dt>
              <dd>
                <StatusBadge status={m.status} />
              </dd>
              <dt>{t('message.product')}</dt>
              <dd>
                <a href={href('products', m.productCode)}>
                  <code>{m.productCode}</code>
                </a>
              </dd>
              <dt>{t('message.createdBy')}</dt>
              <dd>
                {m.createdBy} · {formatTime(m.createdAt)}
              </dd>
              {m.sendAt && (
                <>
                  <dt>{t('message.sendAt')}</dt>
                  <dd>{formatTime(m.sendAt)}</dd>
                </>
              )}
              {m.slot && (
                <>
                  <dt>{t('message.slot')}</dt>
                  <dd>{label('slot', m.slot)}</dd>
                </>
              )}
              {m.adviser && (
                <>
                  <dt>{t('message.adviser')}</dt>
                  <dd>
                    {m.adviser.name} ({m.adviser.registrationCode})
                  </dd>
                </>
              )}
              {m.review?.required && (
                <>
                  <dt>{t('message.approvals')}</dt>
                  <dd>{t('review.approvals', { given: m.review.approvals.length, needed: m.review.approvalsRequired })}</dd>
                </>
              )}
            </dl>
          </div>
          {can('messages', 'write') && CANCELLABLE.has(m.status) && (
            <div class="actions">
              <ProblemAlert problem={cancel.problem} />
              {confirming ? (
                <>
                  <span>{t('message.cancelConfirm')}</span>
                  <button type="button" class="danger" onClick={doCancel} disabled={cancel.busy}>
                    {t('message.cancelYes')}
                  </button>
                  <button type="button" onClick={() => setConfirming(false)}>
                    {t('message.cancelNo')}
                  </button>
                </>
              ) : (
                <button type="button" class="danger" onClick={() => setConfirming(true)}>
                  {t('message.cancel')}
                </button>
              )}
            </div>
          )}
          <RecipientsByStatus messageId={id} counts={m.counts} />
          <h2>{t('review.history')}</h2>
          <Reviews reviews={m.reviews} current={m.contentHash} />
        </>
      )}
    </section>
  );
}
