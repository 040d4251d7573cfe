import { useId, useState } from 'preact/hooks';
import { api, ok, type MessageView, type Schemas } from '../api/client.ts';
import { formatNumber, formatTime, label, t } from '../i18n/index.ts';
import { href } from '../router.ts';
import { session } from '../session.ts';
import { useAction, useLoad } from '../ui/async.ts';
import { TextAreaField } from '../ui/form.tsx';
import { ProblemAlert } from '../ui/problem.tsx';

/** Decisions on a message, each bound to the hash of the text its reviewer saw. */
export function Reviews({ reviews, current }: { reviews: Array<Schemas['Review']>; current: string }) {
  if (reviews.length === 0) return <p>{t('review.noneYet')}</p>;
  return (
    <table>
      <caption class="visually-hidden">{t('review.history')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('review.at')}</th>
          <th scope="col">{t('review.reviewer')}</th>
          <th scope="col">{t('review.decision')}</th>
          <th scope="col">{t('review.note')}</th>
          <th scope="col">{t('review.version')}</th>
        </tr>
      </thead>
      <tbody>
        {reviews.map((r, i) => (
          <tr key={i}>
            <td>{formatTime(r.at)}</td>
            <td>{r.reviewer}</td>
            <td>
              <span class={`badge ${r.decision === 'approve' ? 'good' : 'bad'}`}>{label('decision', r.decision)}</span>
            </td>
            <td>{r.note ?? ''}</td>
            <td>
              <code title={r.contentHash}>{r.contentHash.slice(0, 8)}</code> {r.contentHash === current ? t('review.thisVersion') : t('review.earlierVersion')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One message waiting for review: the text exactly as it will be sent, and the decision. */
function PendingMessage({ message, onDecided }: { message: MessageView; onDecided: () => void }) {
  const titleId = useId();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>(undefined);
  const action = useAction();
  const me = session.value?.user;
  const ownMessage = message.createdBy === me;
  const decided = message.reviews.some((r) => r.reviewer === me && r.contentHash === message.contentHash);

  const decide = (decision: 'approve' | 'reject') => {
    // A rejection goes back to its author: it says why.
    if (decision === 'reject' && !note.trim()) return setNoteError(t('review.noteRequired'));
    setNoteError(undefined);
    void action.run(async () => {
      await ok(api().POST('/admin/messages/{messageId}/reviews', { params: { path: { messageId: message.messageId } }, body: { decision, ...(note.trim() && { note: note.trim() }) } }));
      onDecided();
    });
  };

  return (
    <article class="card" aria-labelledby={titleId}>
      <h2 id={titleId}>
        <a href={href('messages', message.messageId)}>
          <code>{message.productCode}</code>
        </a>{' '}
        · {message.createdBy} · {formatTime(message.createdAt)}
      </h2>
      <figure class="sms">
        <figcaption>{t('message.textCaption', { segments: message.estimate.segments })}</figcaption>
        <pre>{message.text}</pre>
      </figure>
      <p class="hint">
        {t('review.audience', { recipients: formatNumber(message.estimate.recipients) })}
        {message.review && ` · ${t('review.approvals', { given: message.review.approvals.length, needed: message.review.approvalsRequired })}`}
        {message.sendAt && ` · ${t('message.sendAt')}: ${formatTime(message.sendAt)}`}
      </p>
      {message.reviews.length > 0 && <Reviews reviews={message.reviews} current={message.contentHash} />}
      <ProblemAlert problem={action.problem} fields={['note']} />
      {ownMessage || decided ? (
        <p class="notice">{t(ownMessage ? 'review.ownMessage' : 'review.alreadyDecided')}</p>
      ) : (
        <>
          <TextAreaField label={t('review.note')} name="note" problem={action.problem} error={noteError} value={note} onValue={setNote} rows={2} />
          <div class="actions">
            <button type="button" class="primary" onClick={() => decide('approve')} disabled={action.busy}>
              {t('review.approve')}
            </button>
            <button type="button" class="danger" onClick={() => decide('reject')} disabled={action.busy}>
              {t('review.reject')}
            </button>
          </div>
        </>
      )}
    </article>
  );
}

/** The compliance queue (pending-review, newest first) and the latest decisions. */
export function ReviewScreen() {
  const queue = useLoad(() => ok(api().GET('/admin/messages', { params: { query: { status: 'pending-review', limit: 50 } } })), []);
  const recent = useLoad(() => ok(api().GET('/admin/messages', { params: { query: { limit: 50 } } })), []);
  const [decided, setDecided] = useState(0);
  const history = (recent.data?.items ?? [])
    .flatMap((m) => m.reviews.map((r) => ({ ...r, message: m })))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 30);

  const refresh = () => {
    setDecided((n) => n + 1);
    queue.reload();
    recent.reload();
  };

  return (
    <section>
      <h1 id="review-title">{t('review.title')}</h1>
      <ProblemAlert problem={queue.problem} />
      {decided > 0 && <p role="status">{t('review.recorded')}</p>}
      {queue.data && queue.data.items.length === 0 && <p>{t('review.empty')}</p>}
      {queue.data?.items.map((m) => <PendingMessage key={`${m.messageId}:${m.contentHash}`} message={m} onDecided={refresh} />)}
      <h2>{t('review.history')}</h2>
      <ProblemAlert problem={recent.problem} />
      {history.length === 0 ? (
        <p>{t('review.noneYet')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('review.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('review.at')}</th>
              <th scope="col">{t('message.product')}</th>
              <th scope="col">{t('review.reviewer')}</th>
              <th scope="col">{t('review.decision')}</th>
              <th scope="col">{t('review.note')}</th>
              <th scope="col">{t('message.status')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((r, i) => (
              <tr key={i}>
                <td>
                  <a href={href('messages', r.message.messageId)}>{formatTime(r.at)}</a>
                </td>
                <td>
                  <code>{r.message.productCode}</code>
                </td>
                <td>{r.reviewer}</td>
                <td>{label('decision', r.decision)}</td>
                <td>{r.note ?? ''}</td>
                <td>{label('status', r.message.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
