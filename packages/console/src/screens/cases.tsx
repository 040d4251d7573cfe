import { useState } from 'preact/hooks';
import { can } from '../access.ts';
import { api, ok, type CaseView } from '../api/client.ts';
import { platformNow } from '../api/local.ts';
import { productOptions, useProducts } from '../api/products.ts';
import { formatNumber, formatTime, label, t } from '../i18n/index.ts';
import { go, href, route } from '../router.ts';
import { useAction, useLoad, usePages } from '../ui/async.ts';
import { CheckboxField, SelectField, TextAreaField } from '../ui/form.tsx';
import { MoreButton } from '../ui/paging.tsx';
import { Loading, ProblemAlert } from '../ui/problem.tsx';
import { excerpt } from './messages.tsx';

type Kind = CaseView['kind'];
const KINDS = ['feedback', 'suggestion', 'complaint', 'follow-up'] as const satisfies readonly Kind[];
/** The status filter: open cases unless asked otherwise (`all`: either). */
const STATUS_FILTERS = ['open', 'closed', 'all'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Open past its due time, by the platform's clock (`now`, epoch ms). */
function overdue(c: CaseView, now: number): boolean {
  return c.status === 'open' && c.dueAt !== undefined && Date.parse(c.dueAt) < now;
}

/** The platform's clock, read with each list or case (locally a tick may have moved it ahead). */
function useNow(deps: unknown[]): number {
  return useLoad(platformNow, deps).data ?? Date.now();
}

function KindBadge({ kind }: { kind: string }) {
  const tone = kind === 'complaint' ? 'bad' : kind === 'follow-up' ? 'warn' : 'info';
  return <span class={`badge ${tone}`}>{label('caseKind', kind)}</span>;
}

export function CaseStatusBadge({ status }: { status: string }) {
  return <span class={`badge ${status === 'open' ? 'info' : 'muted'}`}>{label('caseStatus', status)}</span>;
}

function OverdueBadge() {
  return <span class="badge alarm">{t('cases.overdue')}</span>;
}

/** What the client said: their words, or a follow-up's survey score. */
function caseText(c: CaseView, max?: number): string {
  const words = c.text ?? '';
  const said = max ? excerpt(words, max) : words;
  return c.score !== undefined ? [t('cases.score', { score: c.score }), said].filter(Boolean).join(' · ') : said;
}

function ClientCell({ c }: { c: CaseView }) {
  return (
    <>
      {can('customers', 'read') ? <a href={href('customers', c.customerId)}>{c.customerId}</a> : c.customerId}
      <br />
      <small>{c.phone}</small>
    </>
  );
}

/** Cases as rows: the id (linked to the case page: whoever lists a case may open it), kind, product, text, status, due time. */
function CasesTable(props: { items: CaseView[]; caption: string; now: number; withClient?: boolean; overdueOnly?: boolean }) {
  const { items, caption, now, withClient, overdueOnly } = props;
  return (
    <table class="cases">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('cases.case')}</th>
          <th scope="col">{t('cases.openedAt')}</th>
          <th scope="col">{t('cases.kind')}</th>
          {withClient && <th scope="col">{t('cases.client')}</th>}
          <th scope="col">{t('message.product')}</th>
          <th scope="col">{t('cases.text')}</th>
          <th scope="col">{t('cases.status')}</th>
          <th scope="col">{t('cases.dueAt')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => {
          // Listed under the overdue filter: the API's own answer, whatever the clock read here.
          const late = overdueOnly || overdue(c, now);
          return (
            <tr key={c.caseId} class={late ? 'overdue' : undefined}>
              <td>
                <a href={href('cases', c.caseId)}>{c.caseId}</a>
              </td>
              <td>{formatTime(c.openedAt)}</td>
              <td>
                <KindBadge kind={c.kind} />
              </td>
              {withClient && (
                <td>
                  <ClientCell c={c} />
                </td>
              )}
              <td>{c.productCode ? <code>{c.productCode}</code> : '—'}</td>
              {/* Those who cannot open a case read the whole text here. */}
              <td class="sms-cell">{caseText(c, 80)}</td>
              <td>
                <CaseStatusBadge status={c.status} />
              </td>
              <td>
                {formatTime(c.dueAt)} {late && <OverdueBadge />}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Cases, newest first (overdue ones: oldest due first), by kind, status, product and overdue. */
function CaseList() {
  const params = route.value.params;
  // Product managers are given feedback only: no kind to choose.
  const feedbackOnly = !can('cases', 'read');
  const kind = feedbackOnly ? '' : (params.get('kind') ?? '');
  const status = (STATUS_FILTERS as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as StatusFilter) : 'open';
  const productCode = params.get('product') ?? '';
  const overdueOnly = params.get('overdue') === 'true';
  const products = useProducts();
  const cases = usePages(
    (cursor) =>
      ok(
        api().GET('/admin/cases', {
          params: {
            query: {
              limit: 25,
              ...(cursor && { cursor }),
              ...(kind && { kind: kind as Kind }),
              ...(status !== 'all' && { status }),
              ...(productCode && { productCode }),
              ...(overdueOnly && { overdue: 'true' as const }),
            },
          },
        }),
      ),
    [kind, status, productCode, overdueOnly],
  );
  const now = useNow([kind, status, productCode, overdueOnly]);
  const filter = (next: { kind?: string; status?: string; product?: string; overdue?: string }) => {
    const merged = { kind, status, product: productCode, overdue: overdueOnly ? 'true' : '', ...next };
    go('cases', undefined, Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };

  return (
    <section>
      <h1 id="cases-title">{t('cases.title')}</h1>
      <div class="filters">
        {feedbackOnly ? (
          <p class="hint">{t('cases.feedbackOnly')}</p>
        ) : (
          <SelectField
            label={t('cases.kind')}
            name="kind"
            value={kind}
            onValue={(v) => filter({ kind: v })}
            options={[['', t('common.all')], ...KINDS.map((k): [string, string] => [k, label('caseKind', k)])]}
          />
        )}
        <SelectField
          label={t('cases.status')}
          name="status"
          value={status}
          onValue={(v) => filter({ status: v })}
          options={STATUS_FILTERS.map((s): [string, string] => [s, s === 'all' ? t('common.all') : label('caseStatus', s)])}
        />
        <SelectField label={t('message.product')} name="productCode" value={productCode} onValue={(v) => filter({ product: v })} options={productOptions(products.data, t('common.all'))} />
        <CheckboxField label={t('cases.overdueOnly')} checked={overdueOnly} onChecked={(on) => filter({ overdue: on ? 'true' : '' })} />
      </div>
      <ProblemAlert problem={cases.problem} />
      <Loading when={cases.loading} />
      {!cases.loading && cases.items.length === 0 && <p>{t('cases.none')}</p>}
      {cases.items.length > 0 && <CasesTable items={cases.items} caption={t('cases.title')} now={now} overdueOnly={overdueOnly} withClient />}
      <MoreButton pages={cases} />
    </section>
  );
}

/** The client's cases, newest first (GET /admin/cases?customerId=), on the customer page. */
export function CustomerCases({ customerId }: { customerId: string }) {
  const now = useNow([customerId]);
  const cases = usePages((cursor) => ok(api().GET('/admin/cases', { params: { query: { customerId, limit: 20, ...(cursor && { cursor }) } } })), [customerId]);
  return (
    <section>
      <h2 id="customer-cases-title">{t('customer.cases')}</h2>
      <ProblemAlert problem={cases.problem} />
      <Loading when={cases.loading && cases.items.length === 0} />
      {!cases.loading && cases.items.length === 0 && <p>{t('customer.casesNone')}</p>}
      {cases.items.length > 0 && <CasesTable items={cases.items} caption={t('customer.cases')} now={now} />}
      <MoreButton pages={cases} />
    </section>
  );
}

/** Closing: the resolution (texted to the client on a complaint) and, on a suggestion, the bonus. */
function CloseCase({ c, onClosed }: { c: CaseView; onClosed: () => void }) {
  const [resolution, setResolution] = useState('');
  const [award, setAward] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    if (!resolution.trim()) return setError(t('form.required'));
    setError(undefined);
    void action.run(async () => {
      const body = { resolution: resolution.trim(), ...(c.kind === 'suggestion' && award && { awardSuggestionBonus: true }) };
      await ok(api().POST('/admin/cases/{caseId}/close', { params: { path: { caseId: c.caseId } }, body }));
      onClosed();
    });
  };
  return (
    <form class="stack card" onSubmit={submit} noValidate>
      <h2 id="close-title">{t('case.close')}</h2>
      <ProblemAlert problem={action.problem} fields={['resolution', 'awardSuggestionBonus']} />
      <TextAreaField
        label={t('case.resolution')}
        name="resolution"
        problem={action.problem}
        error={error}
        value={resolution}
        onValue={setResolution}
        rows={3}
        {...(c.kind === 'complaint' && { hint: t('case.complaintSms') })}
      />
      {c.kind === 'suggestion' && <CheckboxField label={t('case.awardBonus')} checked={award} onChecked={setAward} />}
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          {t('case.close')}
        </button>
      </div>
    </form>
  );
}

/** One case: what the client said, who they are, its deadline, and its closing. */
function CasePage({ id }: { id: string }) {
  const view = useLoad(() => ok(api().GET('/admin/cases/{caseId}', { params: { path: { caseId: id } } })), [id]);
  const [closed, setClosed] = useState(false);
  const c = view.data;
  const now = useNow([c]);
  const late = c ? overdue(c, now) : false;
  return (
    <section>
      <p>
        <a href={href('cases')}>{t('common.back')}</a>
      </p>
      <h1 id="case-title">{t('case.title', { id })}</h1>
      <ProblemAlert problem={view.problem} />
      <Loading when={view.loading && !c} />
      {closed && (
        <p role="status" class="notice">
          {t('case.closed')}
        </p>
      )}
      {c && (
        <>
          <p>
            <KindBadge kind={c.kind} />
            <CaseStatusBadge status={c.status} />
            {late && <OverdueBadge />}
          </p>
          {(c.text || c.score !== undefined) && (
            <figure class="sms">
              <figcaption>{t('cases.text')}</figcaption>
              <pre>{caseText(c)}</pre>
            </figure>
          )}
          <dl class="details">
            <dt>{t('cases.client')}</dt>
            <dd>
              <ClientCell c={c} />
            </dd>
            {c.productCode && (
              <>
                <dt>{t('message.product')}</dt>
                <dd>
                  <a href={href('products', c.productCode)}>
                    <code>{c.productCode}</code>
                  </a>
                </dd>
              </>
            )}
            {c.surveyId && (
              <>
                <dt>{t('case.survey')}</dt>
                <dd>
                  <a href={href('surveys', c.surveyId)}>{c.surveyId}</a>
                </dd>
              </>
            )}
            <dt>{t('cases.openedAt')}</dt>
            <dd>{formatTime(c.openedAt)}</dd>
            {c.dueAt && (
              <>
                <dt>{t('cases.dueAt')}</dt>
                <dd>{formatTime(c.dueAt)}</dd>
              </>
            )}
            {c.status === 'closed' && (
              <>
                <dt>{t('case.closedAt')}</dt>
                <dd>{formatTime(c.closedAt)}</dd>
                <dt>{t('case.closedBy')}</dt>
                <dd>{c.closedBy ?? '—'}</dd>
                <dt>{t('case.resolution')}</dt>
                <dd class="sms-cell">{c.resolution ?? '—'}</dd>
              </>
            )}
            {c.resolutionSms && (
              <>
                <dt>{t('case.resolutionSms')}</dt>
                <dd>{label('resolutionSms', c.resolutionSms)}</dd>
              </>
            )}
            {c.bonusAwarded !== undefined && (
              <>
                <dt>{t('case.bonusAwarded')}</dt>
                <dd>{t('case.bonusPoints', { points: formatNumber(c.bonusAwarded) })}</dd>
              </>
            )}
          </dl>
          {c.status === 'open' && can('cases', 'write') && (
            <CloseCase
              c={c}
              onClosed={() => {
                setClosed(true);
                view.reload();
              }}
            />
          )}
        </>
      )}
    </section>
  );
}

export function CasesScreen({ id }: { id: string | undefined }) {
  return id ? <CasePage key={id} id={id} /> : <CaseList />;
}
