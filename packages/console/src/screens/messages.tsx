import { can } from '../access.ts';
import { api, ok, type MessageView } from '../api/client.ts';
import { productOptions, useProducts } from '../api/products.ts';
import { MESSAGE_STATUSES } from '../catalog.ts';
import { formatNumber, formatTime, label, t } from '../i18n/index.ts';
import { go, href, route } from '../router.ts';
import { usePages } from '../ui/async.ts';
import { SelectField } from '../ui/form.tsx';
import { MoreButton } from '../ui/paging.tsx';
import { Loading, ProblemAlert } from '../ui/problem.tsx';
import { TitleRow } from '../ui/title.tsx';

type Status = MessageView['status'];

export function StatusBadge({ status }: { status: string }) {
  const tone = status === 'sent' ? 'good' : status === 'rejected' || status === 'cancelled' ? 'muted' : status === 'pending-review' ? 'warn' : 'info';
  return <span class={`badge ${tone}`}>{label('status', status)}</span>;
}

export const excerpt = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Messages, newest first, filtered by status and product; further pages on request. */
export function MessageList() {
  const params = route.value.params;
  const status = params.get('status') ?? '';
  const productCode = params.get('product') ?? '';
  const products = useProducts();
  const pages = usePages(
    (cursor) => ok(api().GET('/admin/messages', { params: { query: { limit: 25, ...(cursor && { cursor }), ...(status && { status: status as Status }), ...(productCode && { productCode }) } } })),
    [status, productCode],
  );
  const filter = (next: { status?: string; product?: string }) => {
    const merged = { status, product: productCode, ...next };
    go('messages', undefined, Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };

  return (
    <section>
      <TitleRow
        id="messages-title"
        title={t('messages.title')}
        action={can('messages', 'write') && { label: t('messages.new'), run: () => go('messages', 'new', productCode ? { product: productCode } : undefined) }}
      />
      <div class="filters">
        <SelectField
          label={t('messages.status')}
          name="status"
          value={status}
          onValue={(v) => filter({ status: v })}
          options={[['', t('common.all')], ...MESSAGE_STATUSES.map((s): [string, string] => [s, label('status', s)])]}
        />
        <SelectField
          label={t('message.product')}
          name="productCode"
          value={productCode}
          onValue={(v) => filter({ product: v })}
          options={productOptions(products.data, t('common.all'))}
        />
      </div>
      <ProblemAlert problem={pages.problem} />
      <Loading when={pages.loading} />
      {!pages.loading && pages.items.length === 0 && <p>{t('messages.none')}</p>}
      {pages.items.length > 0 && (
        <table>
          <caption class="visually-hidden">{t('messages.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('message.createdAt')}</th>
              <th scope="col">{t('message.product')}</th>
              <th scope="col">{t('message.status')}</th>
              <th scope="col">{t('message.body')}</th>
              <th scope="col">{t('figure.recipients')}</th>
              <th scope="col">{t('figure.sent')}</th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((m) => (
              <tr key={m.messageId}>
                <td>
                  <a href={href('messages', m.messageId)}>{formatTime(m.createdAt)}</a>
                </td>
                <td>
                  <code>{m.productCode}</code>
                </td>
                <td>
                  <StatusBadge status={m.status} />
                </td>
                <td>{excerpt(m.body)}</td>
                <td class="number">{formatNumber(m.counts.recipients)}</td>
                <td class="number">{formatNumber(m.counts.sent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton pages={pages} />
    </section>
  );
}
