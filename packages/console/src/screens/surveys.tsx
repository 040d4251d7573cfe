import { useState } from 'preact/hooks';
import { can } from '../access.ts';
import { api, ok, type SurveyResults } from '../api/client.ts';
import { productOptions, useProducts, useProductsWithStats } from '../api/products.ts';
import { formatNumber, formatPercent, formatTime, label, t } from '../i18n/index.ts';
import { go, href, route } from '../router.ts';
import { useAction, useLoad, usePages, usePoll } from '../ui/async.ts';
import { BarChart, type Bar } from '../ui/bars.tsx';
import { Figure, Figures } from '../ui/figures.tsx';
import { SelectField, TextAreaField, TextField } from '../ui/form.tsx';
import { MoreButton } from '../ui/paging.tsx';
import { Loading, ProblemAlert, violationsText } from '../ui/problem.tsx';
import { TitleRow } from '../ui/title.tsx';

const SCORES = ['5', '4', '3', '2', '1'] as const;
const MAX_WINDOW_HOURS = 24 * 30;

/** A survey's average (two decimals), or a dash before the first answer. */
export function averageText(average: number | null | undefined): string {
  return average === null || average === undefined ? '—' : average.toFixed(2);
}

/** The distribution as bars, best score first: 4–5 good, 3 neutral, 1–2 bad. */
function distributionBars(distribution: SurveyResults['distribution']): Bar[] {
  return SCORES.map((score) => ({
    label: t('survey.score', { score }),
    value: distribution[score],
    tone: Number(score) >= 4 ? 'good' : score === '3' ? 'muted' : 'bad',
  }));
}

/** Every survey, newest first, a page at a time (GET /admin/surveys); figures on each one's page. */
function AllSurveys() {
  const surveys = usePages((cursor) => ok(api().GET('/admin/surveys', { params: { query: { limit: 20, ...(cursor && { cursor }) } } })), []);
  return (
    <>
      <h2 id="all-surveys-title">{t('surveys.all')}</h2>
      <ProblemAlert problem={surveys.problem} />
      <Loading when={surveys.loading && surveys.items.length === 0} />
      {!surveys.loading && surveys.items.length === 0 && <p>{t('surveys.none')}</p>}
      {surveys.items.length > 0 && (
        <table>
          <caption class="visually-hidden">{t('surveys.all')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('points.at')}</th>
              <th scope="col">{t('message.product')}</th>
              <th scope="col">{t('survey.question')}</th>
              <th scope="col">{t('survey.status')}</th>
              <th scope="col">{t('surveys.results')}</th>
            </tr>
          </thead>
          <tbody>
            {surveys.items.map((s) => (
              <tr key={s.surveyId}>
                <td>{formatTime(s.createdAt)}</td>
                <td>
                  <code>{s.productCode}</code>
                </td>
                <td>{s.question}</td>
                <td>{label('surveyStatus', s.status)}</td>
                <td>
                  <a href={href('surveys', s.surveyId)}>{t('surveys.results')}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton pages={surveys} />
    </>
  );
}

/** Each product's latest survey (from its statistics), with its average; then every survey. */
function SurveyOverview() {
  const { products, items, stats } = useProductsWithStats();
  return (
    <section>
      <TitleRow id="surveys-title" title={t('surveys.title')} action={can('surveys', 'write') && { label: t('surveys.new'), run: () => go('surveys', 'new') }} />
      <p class="hint">{t('surveys.about')}</p>
      <h2 id="latest-title">{t('surveys.latest')}</h2>
      <ProblemAlert problem={products.problem} />
      <Loading when={products.loading && !products.data} />
      {products.data && items.length === 0 && <p>{t('products.none')}</p>}
      {items.length > 0 && (
        <table>
          <caption class="visually-hidden">{t('surveys.latest')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('message.product')}</th>
              <th scope="col">{t('product.surveyAverage')}</th>
              <th scope="col">{t('surveys.results')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => {
              const latest = stats[p.code]?.latestSurvey;
              return (
                <tr key={p.code}>
                  <td>
                    <code>{p.code}</code> {p.name}
                  </td>
                  <td class="number">{stats[p.code] ? (latest ? averageText(latest.average) : t('product.noSurvey')) : '…'}</td>
                  <td>{latest && <a href={href('surveys', latest.surveyId)}>{t('surveys.results')}</a>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <AllSurveys />
    </section>
  );
}

/** A new survey: the product whose audience gets it, the question, how long answers count. */
function NewSurvey() {
  const products = useProducts();
  const [productCode, setProductCode] = useState(route.value.params.get('product') ?? '');
  const [question, setQuestion] = useState('');
  const [windowHours, setWindowHours] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const items = products.data ?? [];
  const code = productCode || items.find((p) => p.listed)?.code || items[0]?.code || '';

  const submit = (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const hours = Number(windowHours);
    if (!code) found.productCode = t('form.required');
    if (!question.trim()) found.question = t('form.required');
    if (windowHours.trim() && (!Number.isInteger(hours) || hours < 1 || hours > MAX_WINDOW_HOURS)) found.windowHours = t('survey.windowInvalid');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void action.run(async () => {
      const created = await ok(api().POST('/admin/surveys', { body: { productCode: code, question: question.trim(), ...(windowHours.trim() && { windowHours: hours }) } }));
      go('surveys', created.surveyId);
    });
  };
  const fieldProps = (name: string) => ({ name, problem: action.problem, error: errors[name] });

  return (
    <section>
      <p>
        <a href={href('surveys')}>{t('common.back')}</a>
      </p>
      <h1 id="new-survey-title">{t('surveys.new')}</h1>
      <ProblemAlert problem={products.problem} />
      <form class="stack" onSubmit={submit} noValidate>
        <ProblemAlert problem={action.problem} fields={['productCode', 'question', 'windowHours']} />
        <div class="grid">
          <SelectField label={t('message.product')} {...fieldProps('productCode')} value={code} onValue={setProductCode} options={productOptions(items)} />
          <TextField label={t('survey.windowHours')} {...fieldProps('windowHours')} type="number" value={windowHours} onValue={setWindowHours} hint={t('survey.windowHint')} />
        </div>
        {/* A content rule the question breaks shows beside it. */}
        <TextAreaField
          label={t('survey.question')}
          {...fieldProps('question')}
          error={errors.question ?? violationsText(action.problem)}
          value={question}
          onValue={setQuestion}
          rows={3}
          hint={t('survey.questionHint')}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy || !code}>
            {t('survey.send')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** A survey's results: how many it reached and answered, the average, the distribution. */
function SurveyPage({ id }: { id: string }) {
  const survey = useLoad(() => ok(api().GET('/admin/surveys/{surveyId}', { params: { path: { surveyId: id } } })), [id]);
  const s = survey.data;
  // Answers come in while it is open.
  usePoll(() => {
    if (s?.status === 'open') survey.reload();
  }, 5000);
  return (
    <section>
      <p>
        <a href={href('surveys')}>{t('common.back')}</a>
      </p>
      <h1 id="survey-title">{s ? t('survey.title', { product: s.productCode }) : t('survey.titleLoading')}</h1>
      <ProblemAlert problem={survey.problem} />
      <Loading when={survey.loading && !s} />
      {s && (
        <>
          <figure class="sms">
            <figcaption>{t('survey.question')}</figcaption>
            <pre>{s.question}</pre>
          </figure>
          <Figures>
            <Figure label={t('survey.status')} value={label('surveyStatus', s.status)} />
            <Figure label={t('figure.sent')} value={formatNumber(s.sent)} />
            <Figure label={t('figure.responses')} value={formatNumber(s.responses)} />
            <Figure label={t('figure.responseRate')} value={formatPercent(s.responseRate)} />
            <Figure label={t('figure.average')} value={averageText(s.average)} />
          </Figures>
          <BarChart title={t('survey.distribution')} bars={distributionBars(s.distribution)} />
          <dl class="details">
            <dt>{t('message.product')}</dt>
            <dd>
              <a href={href('products', s.productCode)}>
                <code>{s.productCode}</code>
              </a>
            </dd>
            <dt>{t('survey.closesAt')}</dt>
            <dd>{formatTime(s.closesAt)}</dd>
            {can('messages', 'read') && (
              <>
                <dt>{t('survey.message')}</dt>
                <dd>
                  <a href={href('messages', s.messageId)}>{s.messageId}</a>
                </dd>
              </>
            )}
          </dl>
        </>
      )}
    </section>
  );
}

export function SurveysScreen({ id }: { id: string | undefined }) {
  if (id === 'new') return can('surveys', 'write') ? <NewSurvey /> : <SurveyOverview />;
  return id ? <SurveyPage key={id} id={id} /> : <SurveyOverview />;
}
