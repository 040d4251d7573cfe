import { useState } from 'preact/hooks';
import { can } from '../access.ts';
import { api, ok, type CustomerView } from '../api/client.ts';
import { formatTime, t } from '../i18n/index.ts';
import { useAction, useLoad } from '../ui/async.ts';
import { SelectField } from '../ui/form.tsx';
import { ProblemAlert } from '../ui/problem.tsx';

/** One running package, with a two-step "end" (its gifts end with it). */
function PackageRow({ customerId, pkg, onChanged }: { customerId: string; pkg: CustomerView['packages'][number]; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const end = () =>
    void action.run(async () => {
      await ok(api().DELETE('/admin/customers/{customerId}/packages/{productCode}', { params: { path: { customerId, productCode: pkg.productCode } } }));
      onChanged();
    });
  return (
    <tr>
      <td>
        <code>{pkg.productCode}</code>
      </td>
      <td>{formatTime(pkg.expiresAt)}</td>
      <td>{pkg.bundle.join(', ')}</td>
      {can('customers', 'write') && (
        <td>
          <ProblemAlert problem={action.problem} />
          {confirming ? (
            <>
              <button type="button" class="danger" onClick={end} disabled={action.busy}>
                {t('packages.endYes', { code: pkg.productCode })}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('common.keep')}
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)}>
              {t('packages.end', { code: pkg.productCode })}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

/** Commission packages: the running ones, and granting one (gold and platinum clients only; the API says why not). */
export function PackagesPanel({ customerId, packages, onChanged }: { customerId: string; packages: CustomerView['packages']; onChanged: () => void }) {
  const writer = can('customers', 'write');
  const offered = useLoad(async () => (writer ? (await ok(api().GET('/admin/products'))).items.filter((p) => p.kind === 'commission-package' && p.listed) : []), [writer]);
  const [choice, setChoice] = useState('');
  const grant = useAction();
  const code = choice || offered.data?.[0]?.code || '';
  const submit = (event: Event) => {
    event.preventDefault();
    if (!code) return;
    void grant.run(async () => {
      await ok(api().POST('/admin/customers/{customerId}/packages', { params: { path: { customerId } }, body: { productCode: code } }));
      onChanged();
    });
  };

  return (
    <section>
      <h2 id="packages-title">{t('packages.title')}</h2>
      {packages.length === 0 ? (
        <p>{t('packages.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('packages.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('message.product')}</th>
              <th scope="col">{t('packages.expires')}</th>
              <th scope="col">{t('packages.bundle')}</th>
              {writer && <th scope="col">{t('common.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {packages.map((p) => (
              <PackageRow key={p.productCode} customerId={customerId} pkg={p} onChanged={onChanged} />
            ))}
          </tbody>
        </table>
      )}
      {writer && (offered.data?.length ?? 0) > 0 && (
        <form class="inline-form" onSubmit={submit}>
          <ProblemAlert problem={grant.problem} fields={['productCode']} />
          <SelectField
            label={t('packages.package')}
            name="productCode"
            problem={grant.problem}
            value={code}
            onValue={setChoice}
            options={(offered.data ?? []).map((p): [string, string] => [p.code, `${p.code} · ${p.name}`])}
          />
          <button type="submit" disabled={grant.busy}>
            {t('packages.grant')}
          </button>
        </form>
      )}
    </section>
  );
}
