import { useState } from 'preact/hooks';
import { can } from '../access.ts';
import { api, ok, type Product } from '../api/client.ts';
import { productStats, useProductsWithStats, type ProductStats } from '../api/products.ts';
import { reviewRequired } from '../catalog.ts';
import { formatNumber, formatUsd, formatYuan, label, t } from '../i18n/index.ts';
import { go, href } from '../router.ts';
import { useAction, useLoad } from '../ui/async.ts';
import { Figure, Figures } from '../ui/figures.tsx';
import { Loading, ProblemAlert } from '../ui/problem.tsx';
import { TitleRow } from '../ui/title.tsx';
import { ProductForm } from './product-form.tsx';
import { averageText } from './surveys.tsx';

function priceText(product: Product): string {
  if (!product.pricing) return t('product.free');
  const parts = [
    product.pricing.priceFen !== undefined ? formatYuan(product.pricing.priceFen) : undefined,
    product.pricing.pointsPrice !== undefined ? t('product.points', { points: formatNumber(product.pricing.pointsPrice) }) : undefined,
  ].filter(Boolean);
  return `${parts.join(' / ') || '—'} · ${t('product.perDays', { days: product.pricing.periodDays })}`;
}

/** The latest survey's average, linked to its results; "no survey" when there has been none. */
function SurveyAverage({ stats }: { stats: ProductStats | undefined }) {
  if (!stats) return <>—</>;
  if (!stats.latestSurvey) return <>{t('product.noSurvey')}</>;
  return <a href={href('surveys', stats.latestSurvey.surveyId)}>{averageText(stats.latestSurvey.average)}</a>;
}

export function ListedBadge({ listed }: { listed: boolean }) {
  return <span class={`badge ${listed ? 'good' : 'muted'}`}>{t(listed ? 'product.listed' : 'product.delisted')}</span>;
}

export function ProductList() {
  const { products, items, stats } = useProductsWithStats();
  return (
    <section>
      <TitleRow id="products-title" title={t('products.title')} action={can('products', 'write') && { label: t('products.new'), run: () => go('products', 'new') }} />
      <ProblemAlert problem={products.problem} />
      <Loading when={products.loading && !products.data} />
      {products.data && items.length === 0 && <p>{t('products.none')}</p>}
      {items.length > 0 && (
        <table>
          <caption class="visually-hidden">{t('products.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('product.code')}</th>
              <th scope="col">{t('product.name')}</th>
              <th scope="col">{t('product.kind')}</th>
              <th scope="col">{t('product.riskLevel')}</th>
              <th scope="col">{t('product.smsType')}</th>
              <th scope="col">{t('product.price')}</th>
              <th scope="col">{t('product.state')}</th>
              <th scope="col">{t('product.subscribers')}</th>
              <th scope="col">{t('product.feedback')}</th>
              <th scope="col">{t('product.surveyAverage')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.code}>
                <td>
                  <a href={href('products', p.code)}>
                    <code>{p.code}</code>
                  </a>
                </td>
                <td>{p.name}</td>
                <td>{label('kind', p.kind)}</td>
                <td>{p.riskLevel}</td>
                <td>{label('smsType', p.smsType)}</td>
                <td>{priceText(p)}</td>
                <td>
                  <ListedBadge listed={p.listed} />
                  {reviewRequired(p) && <span class="badge info">{t('product.reviewed')}</span>}
                </td>
                <td class="number">{formatNumber(stats[p.code]?.subscribers)}</td>
                <td class="number">{formatNumber(stats[p.code]?.feedback)}</td>
                <td class="number">
                  <SurveyAverage stats={stats[p.code]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function NewProduct() {
  return (
    <section>
      <p>
        <a href={href('products')}>{t('common.back')}</a>
      </p>
      <h1 id="new-product-title">{t('products.new')}</h1>
      <ProductForm onSaved={(saved) => go('products', saved.code)} />
    </section>
  );
}

/** One product: its figures, listing, and (for those who may) its edit form. */
export function ProductPage({ code }: { code: string }) {
  const product = useLoad(() => ok(api().GET('/admin/products/{code}', { params: { path: { code } } })), [code]);
  const stats = useLoad(() => productStats(code), [code]);
  const [saved, setSaved] = useState(false);
  const listing = useAction();
  const writer = can('products', 'write');
  const p = product.data;

  const toggleListing = () =>
    void listing.run(async () => {
      if (!p) return;
      await ok(api().POST('/admin/products/{code}/listing', { params: { path: { code } }, body: { listed: !p.listed } }));
      product.reload();
    });

  return (
    <section>
      <p>
        <a href={href('products')}>{t('common.back')}</a>
      </p>
      <h1 id="product-title">{p ? `${p.name} (${p.code})` : code}</h1>
      <ProblemAlert problem={product.problem} />
      <Loading when={product.loading && !p} />
      {p && (
        <>
          <div class="title-row">
            <ListedBadge listed={p.listed} />
            {writer && (
              <button type="button" onClick={toggleListing} disabled={listing.busy}>
                {t(p.listed ? 'product.delist' : 'product.list')}
              </button>
            )}
            {can('messages', 'write') && (
              <button type="button" onClick={() => go('messages', 'new', { product: p.code })}>
                {t('product.writeMessage')}
              </button>
            )}
          </div>
          <ProblemAlert problem={listing.problem} />
          <h2>{t('product.stats')}</h2>
          <ProblemAlert problem={stats.problem} />
          <Figures>
            <Figure label={t('product.subscribers')} value={formatNumber(stats.data?.subscribers)} />
            <Figure label={t('product.subscribes')} value={formatNumber(stats.data?.subscribes)} />
            <Figure label={t('product.unsubscribes')} value={formatNumber(stats.data?.unsubscribes)} />
            <Figure label={t('product.delivered')} value={formatNumber(stats.data?.delivered)} />
            <Figure label={t('product.cost')} value={formatUsd(stats.data?.priceUsd)} />
            <Figure label={t('product.feedback')} value={formatNumber(stats.data?.feedback)} />
            <Figure label={t('product.surveyAverage')} value={stats.data ? (stats.data.latestSurvey ? averageText(stats.data.latestSurvey.average) : t('product.noSurvey')) : '—'} />
            <Figure label={t('product.price')} value={priceText(p)} />
          </Figures>
          {stats.data?.latestSurvey && (
            <p>
              <a href={href('surveys', stats.data.latestSurvey.surveyId)}>{t('product.latestSurvey')}</a>
            </p>
          )}
          <h2>{writer ? t('product.edit') : t('product.details')}</h2>
          {saved && <p role="status">{t('form.saved')}</p>}
          {writer ? (
            <ProductForm
              key={p.version}
              product={p}
              onSaved={() => {
                setSaved(true);
                product.reload();
              }}
            />
          ) : (
            <dl class="details">
              <dt>{t('product.kind')}</dt>
              <dd>{label('kind', p.kind)}</dd>
              <dt>{t('product.riskLevel')}</dt>
              <dd>{p.riskLevel}</dd>
              <dt>{t('product.smsType')}</dt>
              <dd>{label('smsType', p.smsType)}</dd>
              <dt>{t('product.eligibleTiers')}</dt>
              <dd>{p.eligibleTiers.map((tier) => label('tier', tier)).join(', ')}</dd>
              {p.description && (
                <>
                  <dt>{t('product.description')}</dt>
                  <dd>{p.description}</dd>
                </>
              )}
            </dl>
          )}
        </>
      )}
    </section>
  );
}
