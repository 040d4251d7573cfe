import { useEffect, useState } from 'preact/hooks';
import { can } from '../access.ts';
import { api, ok, type CustomerView } from '../api/client.ts';
import { formatNumber, formatTime, formatYuan, label, t } from '../i18n/index.ts';
import { go } from '../router.ts';
import { useLoad } from '../ui/async.ts';
import { Figure, Figures } from '../ui/figures.tsx';
import { TextField } from '../ui/form.tsx';
import { Loading, ProblemAlert } from '../ui/problem.tsx';
import { PackagesPanel } from './customer-packages.tsx';
import { PointsPanel } from './customer-points.tsx';
import { CustomerCases } from './cases.tsx';
import { SmsHistory } from './customer-sms.tsx';

function SearchForm({ current }: { current: string | undefined }) {
  const [id, setId] = useState(current ?? '');
  useEffect(() => setId(current ?? ''), [current]);
  return (
    <form
      class="inline-form"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (id.trim()) go('customers', id.trim());
      }}
    >
      <TextField label={t('customers.id')} name="customerId" type="search" value={id} onValue={setId} />
      <button type="submit" class="primary">
        {t('customers.search')}
      </button>
    </form>
  );
}

function Subscriptions({ items }: { items: CustomerView['subscriptions'] }) {
  if (items.length === 0) return <p>{t('subscriptions.none')}</p>;
  return (
    <table>
      <caption class="visually-hidden">{t('subscriptions.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('message.product')}</th>
          <th scope="col">{t('subscriptions.status')}</th>
          <th scope="col">{t('subscriptions.source')}</th>
          <th scope="col">{t('subscriptions.expires')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((s) => (
          <tr key={s.productCode}>
            <td>
              <code>{s.productCode}</code>
            </td>
            <td>{label('subscription', s.status)}</td>
            <td>{label('source', s.source)}</td>
            <td>{s.expiresAt ? formatTime(s.expiresAt) : t('subscriptions.noExpiry')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every consent change of the client's number, oldest first, with the client's own words. */
function Consents({ phone }: { phone: string }) {
  const consents = useLoad(async () => (await ok(api().GET('/admin/consents', { params: { query: { phone } } }))).items, [phone]);
  return (
    <section>
      <h2 id="consents-title">{t('consents.title')}</h2>
      <ProblemAlert problem={consents.problem} />
      {consents.data && consents.data.length === 0 && <p>{t('consents.none')}</p>}
      {consents.data && consents.data.length > 0 && (
        <table>
          <caption class="visually-hidden">{t('consents.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('points.at')}</th>
              <th scope="col">{t('consents.action')}</th>
              <th scope="col">{t('message.product')}</th>
              <th scope="col">{t('consents.channel')}</th>
              <th scope="col">{t('consents.text')}</th>
            </tr>
          </thead>
          <tbody>
            {consents.data.map((c) => (
              <tr key={c.consentId}>
                <td>{formatTime(c.at)}</td>
                <td>{label('consent', c.action)}</td>
                <td>{c.productCode ? <code>{c.productCode}</code> : '—'}</td>
                <td>{label('channel', c.channel)}</td>
                <td>{c.text ?? c.disclosure ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A client's whole picture: tier, points, subscriptions, packages, ledger, the SMS sent, cases, consents. */
function CustomerPage({ id }: { id: string }) {
  const view = useLoad(() => ok(api().GET('/admin/customers/{customerId}', { params: { path: { customerId: id } } })), [id]);
  const v = view.data;
  return (
    <>
      <ProblemAlert problem={view.problem} />
      <Loading when={view.loading && !v} />
      {v && (
        <article>
          <h2 id="customer-title">
            {v.customer.name ? `${v.customer.name} (${v.customer.customerId})` : v.customer.customerId}
          </h2>
          <Figures>
            <Figure label={t('customer.tier')} value={label('tier', v.tier)} />
            <Figure label={t('customer.balance')} value={formatNumber(v.points.balance)} />
            <Figure label={t('customer.riskTolerance')} value={v.customer.riskTolerance} />
            <Figure label={t('customer.assets')} value={formatYuan(v.customer.assetsFen)} />
          </Figures>
          <dl class="details">
            <dt>{t('customer.phone')}</dt>
            <dd>
              {v.customer.phone} {v.phoneStatus === 'undeliverable' && <span class="badge bad">{label('reason', 'undeliverable')}</span>}
            </dd>
            <dt>{t('customer.openedAt')}</dt>
            <dd>{formatTime(v.customer.openedAt)}</dd>
            <dt>{t('customer.timezone')}</dt>
            <dd>{v.customer.timezone}</dd>
            {v.customer.purchasedTier && (
              <>
                <dt>{t('customer.purchasedTier')}</dt>
                <dd>
                  {label('tier', v.customer.purchasedTier)} · {formatTime(v.customer.purchasedTierUntil)}
                </dd>
              </>
            )}
          </dl>
          <section>
            <h2 id="subscriptions-title">{t('subscriptions.title')}</h2>
            <Subscriptions items={v.subscriptions} />
          </section>
          <PackagesPanel customerId={id} packages={v.packages} onChanged={view.reload} />
          <PointsPanel customerId={id} onChanged={view.reload} />
          {can('sms-history', 'read') && <SmsHistory customerId={id} />}
          {can('cases', 'read') && <CustomerCases customerId={id} />}
          {can('consents', 'read') && <Consents phone={v.customer.phone} />}
        </article>
      )}
    </>
  );
}

export function CustomersScreen({ id }: { id: string | undefined }) {
  return (
    <section>
      <h1 id="customers-title">{t('customers.title')}</h1>
      <SearchForm current={id} />
      {id && <CustomerPage key={id} id={id} />}
    </section>
  );
}
