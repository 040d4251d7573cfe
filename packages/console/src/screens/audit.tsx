import { useState } from 'preact/hooks';
import { api, ok } from '../api/client.ts';
import type { paths } from '../api/schema.gen.ts';
import { formatTime, label, t } from '../i18n/index.ts';
import { usePages } from '../ui/async.ts';
import { TextField } from '../ui/form.tsx';
import { MoreButton } from '../ui/paging.tsx';
import { ProblemAlert } from '../ui/problem.tsx';

type AuditQuery = NonNullable<paths['/admin/audit']['get']['parameters']['query']>;
const PAGE = 50;

interface Filters {
  entity: string;
  actor: string;
  from: string;
  to: string;
}

const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);
const changeText = (value: Record<string, unknown> | null) => (value ? JSON.stringify(value) : '—');

/** The audit log, newest first, a page at a time (the API's cursor; the filters as last applied). */
export function AuditScreen() {
  const [filters, setFilters] = useState<Filters>({ entity: '', actor: '', from: '', to: '' });
  // The latest records (the API's default window: the last 30 days) before any filter.
  const [applied, setApplied] = useState<AuditQuery>({ limit: PAGE });
  const records = usePages((cursor) => ok(api().GET('/admin/audit', { params: { query: { ...applied, ...(cursor && { cursor }) } } })), [applied]);
  const set = (field: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [field]: value }));
  const apply = () =>
    setApplied({
      limit: PAGE,
      ...(filters.entity.trim() && { entity: filters.entity.trim() }),
      ...(filters.actor.trim() && { actor: filters.actor.trim() }),
      ...(filters.from && { from: iso(filters.from) }),
      ...(filters.to && { to: iso(filters.to) }),
    });

  return (
    <section>
      <h1 id="audit-title">{t('audit.title')}</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          apply();
        }}
      >
        <TextField label={t('audit.entity')} name="entity" problem={records.problem} value={filters.entity} onValue={set('entity')} hint={t('audit.entityHint')} />
        <TextField label={t('audit.actor')} name="actor" problem={records.problem} value={filters.actor} onValue={set('actor')} />
        <TextField label={t('audit.from')} name="from" problem={records.problem} type="datetime-local" value={filters.from} onValue={set('from')} />
        <TextField label={t('audit.to')} name="to" problem={records.problem} type="datetime-local" value={filters.to} onValue={set('to')} />
        <button type="submit" class="primary" disabled={records.loading}>
          {t('audit.filter')}
        </button>
      </form>
      <ProblemAlert problem={records.problem} fields={['entity', 'actor', 'from', 'to']} />
      {!records.loading && records.items.length === 0 && <p>{t('audit.none')}</p>}
      {records.items.length > 0 && (
        <table>
          <caption class="visually-hidden">{t('audit.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('points.at')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.role')}</th>
              <th scope="col">{t('consents.channel')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.entity')}</th>
              <th scope="col">{t('audit.change')}</th>
            </tr>
          </thead>
          <tbody>
            {records.items.map((r) => (
              <tr key={r.auditId}>
                <td>{formatTime(r.at)}</td>
                <td>{r.actor}</td>
                <td>{label('role', r.role)}</td>
                <td>{label('channel', r.channel)}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>
                  <code>{r.entity}</code>
                </td>
                <td class="change">
                  <details>
                    <summary>{t('audit.show')}</summary>
                    <p>
                      {t('audit.before')}: <code>{changeText(r.before)}</code>
                    </p>
                    <p>
                      {t('audit.after')}: <code>{changeText(r.after)}</code>
                    </p>
                    {r.reason && <p>{r.reason}</p>}
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton pages={records} label={t('audit.older')} />
    </section>
  );
}
