import { useEffect, useMemo, useState } from 'preact/hooks';
import { can } from '../access.ts';
import { api, ok, type Schemas } from '../api/client.ts';
import { formatNumber, formatTime, label, t } from '../i18n/index.ts';
import { useAction } from '../ui/async.ts';
import { TextAreaField, TextField } from '../ui/form.tsx';
import { ProblemAlert } from '../ui/problem.tsx';

type Entry = Schemas['LedgerEntry'];

/** A fresh Idempotency-Key (crypto.randomUUID needs a secure context; localhost and HTTPS are). */
function newKey(): string {
  return crypto.randomUUID();
}

/**
 * The adjustment form. Its Idempotency-Key belongs to what the form says: a double click, or a
 * retry after a lost answer, sends the same key and the API applies it once; changing a field
 * makes it another operation, with a new key (the same key with another body would be a 422).
 */
function AdjustPoints({ customerId, onDone }: { customerId: string; onDone: (entry: Entry) => void }) {
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const key = useMemo(newKey, [points, reason, note]);
  const action = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const delta = Number(points);
    if (!points.trim() || !Number.isInteger(delta) || delta === 0) found.delta = t('points.wholeNonZero');
    if (!reason.trim()) found.reason = t('form.required');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void action.run(async () => {
      const entry = await ok(
        api().POST('/admin/customers/{customerId}/points/adjustments', {
          params: { path: { customerId }, header: { 'Idempotency-Key': key } },
          body: { delta, reason: reason.trim(), ...(note.trim() && { note: note.trim() }) },
        }),
      );
      onDone(entry);
    });
  };
  const fieldProps = (name: string) => ({ name, problem: action.problem, error: errors[name] });

  return (
    <form class="stack card" onSubmit={submit} noValidate>
      <h3 id="adjust-title">{t('points.adjust')}</h3>
      <ProblemAlert problem={action.problem} fields={['delta', 'reason', 'note']} />
      <div class="grid">
        <TextField label={t('points.points')} {...fieldProps('delta')} value={points} onValue={setPoints} hint={t('points.pointsHint')} />
        <TextField label={t('points.reason')} {...fieldProps('reason')} value={reason} onValue={setReason} />
      </div>
      <TextAreaField label={t('points.note')} {...fieldProps('note')} value={note} onValue={setNote} rows={2} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          {t('form.save')}
        </button>
      </div>
    </form>
  );
}

/** The points ledger (newest first, paged) and, for those who may, the adjustment form. */
export function PointsPanel({ customerId, onChanged }: { customerId: string; onChanged: () => void }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [adjusting, setAdjusting] = useState(false);
  const [done, setDone] = useState<Entry | undefined>(undefined);
  const [round, setRound] = useState(0);
  const page = useAction();

  const load = (from?: string) =>
    page.run(async () => {
      const result = await ok(api().GET('/admin/customers/{customerId}/points/ledger', { params: { path: { customerId }, query: { limit: 20, ...(from && { cursor: from }) } } }));
      setEntries((current) => (from ? [...current, ...result.items] : result.items));
      setCursor(result.nextCursor);
    });
  useEffect(() => {
    setEntries([]);
    void load();
    // `round` reloads the first page after an adjustment.
  }, [customerId, round]);

  return (
    <section>
      <div class="title-row">
        <h2 id="points-title">{t('points.title')}</h2>
        {can('customers', 'write') && !adjusting && (
          <button type="button" onClick={() => {
              setDone(undefined);
              setAdjusting(true);
            }}>
            {t('points.adjust')}
          </button>
        )}
      </div>
      {done && (
        <p role="status" class="notice">
          {t('points.adjusted', { delta: done.delta > 0 ? `+${done.delta}` : String(done.delta), balance: formatNumber(done.balanceAfter) })}
        </p>
      )}
      {adjusting && (
        <AdjustPoints
          customerId={customerId}
          onDone={(entry) => {
            setAdjusting(false);
            setDone(entry);
            setRound((r) => r + 1);
            onChanged();
          }}
        />
      )}
      <ProblemAlert problem={page.problem} />
      {entries.length === 0 && !page.busy ? (
        <p>{t('points.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('points.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('points.at')}</th>
              <th scope="col">{t('points.delta')}</th>
              <th scope="col">{t('points.balanceAfter')}</th>
              <th scope="col">{t('points.kind')}</th>
              <th scope="col">{t('points.reason')}</th>
              <th scope="col">{t('points.by')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.entryId}>
                <td>{formatTime(e.at)}</td>
                <td class={`number ${e.delta < 0 ? 'negative' : 'positive'}`}>{e.delta > 0 ? `+${formatNumber(e.delta)}` : formatNumber(e.delta)}</td>
                <td class="number">{formatNumber(e.balanceAfter)}</td>
                <td>{label('ledgerKind', e.kind)}</td>
                <td>{e.reason}</td>
                <td>{e.actor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" onClick={() => void load(cursor)} disabled={page.busy}>
          {t('common.more')}
        </button>
      )}
    </section>
  );
}
