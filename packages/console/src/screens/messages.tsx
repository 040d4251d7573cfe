import { useEffect, useState } from 'preact/hooks';
import { can } from '../access.ts';
import { api, ok, type MessageView } from '../api/client.ts';
import { MESSAGE_STATUSES } from '../catalog.ts';
import { formatNumber, formatTime, label, t } from '../i18n/index.ts';
import { go, href, route } from '../router.ts';
import { useAction, useLoad } from '../ui/async.ts';
import { SelectField } from '../ui/form.tsx';
import { Loading, ProblemAlert } from '../ui/problem.tsx';

type Status = MessageView['status'];

export function StatusBadge({ status }: { status: string }) {
  const tone = status === 'sent' ? 'good' : status === 'rejected' || status === 'cancelled' ? 'muted' : status === 'pending-review' ? 'warn' : 'info';
  return <span class={`badge ${tone}`}>{label('status', status)}</span>;
}

const excerpt = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Messages, newest first, filtered by status and product; further pages on request. */
export function MessageList() {
  const params = route.value.params;
  const status = params.get('status') ?? '';
  const productCode = params.get('product') ?? '';
  const products = useLoad(async () => (await ok(api().GET('/admin/products'))).items, []);
  const [pages, setPages] = useState<{ items: MessageView[]; cursor: string | undefined }>({ items: [], cursor: undefined });
  const first = useLoad(
    () => ok(api().GET('/admin/messages', { params: { query: { limit: 25, ...(status && { status: status as Status }), ...(productCode && { productCode }) } } })),
    [status, productCode],
  );
  useEffect(() => {
    if (first.data) setPages({ items: first.data.items, cursor: first.data.cursor });
  }, [first.data]);
  const more = useAction();
  const loadMore = () =>
    void more.run(async () => {
      const page = await ok(
        api().GET('/admin/messages', { params: { query: { limit: 25, cursor: pages.cursor, ...(status && { status: status as Status }), ...(productCode && { productCode }) } } }),
      );
      setPages((p) => ({ items: [...p.items, ...page.items], cursor: page.cursor }));
    });
  const filter = (next: { status?: string; product?: string }) => {
    const merged = { status, product: productCode, ...next };
    go('messages', undefined, Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };

  return (
    <section>
      <div class="title-row">
        <h1 id="messages-title">{t('messages.title')}</h1>
        {can('messages', 'write') && (
          <button type="button" class="primary" onClick={() => go('messages', 'new', productCode ? { product: productCode } : undefined)}>
            {t('messages.new')}
          </button>
        )}
      </div>
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
          options={[['', t('common.all')], ...(products.data ?? []).map((p): [string, string] => [p.code, `${p.code} · ${p.name}`])]}
        />
      </div>
      <ProblemAlert problem={first.problem ?? more.problem} />
      <Loading when={first.loading} />
      {!first.loading && pages.items.length === 0 && <p>{t('messages.none')}</p>}
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
      {pages.cursor && (
        <button type="button" onClick={loadMore} disabled={more.busy}>
          {t('common.more')}
        </button>
      )}
    </section>
  );
}
