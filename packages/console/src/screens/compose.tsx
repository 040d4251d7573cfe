import { useState } from 'preact/hooks';
import { PRODUCT_SLOTS } from '../../../../events/index.ts';
import { api, ok, type Schemas } from '../api/client.ts';
import { productOptions, useProducts } from '../api/products.ts';
import { reviewRequired } from '../catalog.ts';
import type { SmsTextSettings } from '../config.ts';
import { formatNumber, label, t } from '../i18n/index.ts';
import { go, href, route } from '../router.ts';
import { previewSms } from '../sms-text.ts';
import { useAction } from '../ui/async.ts';
import { Figure, Figures } from '../ui/figures.tsx';
import { SelectField, TextAreaField, TextField } from '../ui/form.tsx';
import { ProblemAlert, violationsText } from '../ui/problem.tsx';

const FIELDS = ['productCode', 'body', 'sendAt', 'slot', 'adviser.name', 'adviser.registrationCode'];

/** `datetime-local` text (the browser's zone) as an ISO instant, or undefined when empty or invalid. */
function instantOf(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * A new message: the SMS exactly as it will be sent, with its characters and segments, while it
 * is typed. Recipients: the API has no audience count before publishing (the estimate comes
 * back from POST /admin/messages), so the figure says so until then.
 */
export function Compose({ sms }: { sms: SmsTextSettings }) {
  const products = useProducts();
  const [productCode, setProductCode] = useState(route.value.params.get('product') ?? '');
  const [body, setBody] = useState('');
  const [sendAt, setSendAt] = useState('');
  const [slot, setSlot] = useState('');
  const [adviserName, setAdviserName] = useState('');
  const [adviserCode, setAdviserCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction();

  const items = products.data ?? [];
  const code = productCode || items.find((p) => p.listed)?.code || items[0]?.code || '';
  const product = items.find((p) => p.code === code);
  const advice = product?.kind === 'investment-tips';
  const preview = previewSms(body, product, { name: adviserName.trim(), registrationCode: adviserCode.trim() }, sms);
  const tooLong = preview.segments > sms.maxSegments;

  const submit = (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!code) found.productCode = t('form.required');
    if (!body.trim()) found.body = t('form.required');
    if (sendAt && !instantOf(sendAt)) found.sendAt = t('form.dateTime');
    if (sendAt && slot) found.slot = t('compose.sendAtOrSlot');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const request: Schemas['PublishMessage'] = {
      productCode: code,
      body,
      ...(sendAt && { sendAt: instantOf(sendAt)! }),
      ...(slot && { slot }),
      ...(advice && { adviser: { name: adviserName.trim(), registrationCode: adviserCode.trim() } }),
    };
    void action.run(async () => {
      const published = await ok(api().POST('/admin/messages', { body: request }));
      go('messages', published.messageId);
    });
  };
  const fieldProps = (name: string) => ({ name, problem: action.problem, error: errors[name] });

  return (
    <section>
      <p>
        <a href={href('messages')}>{t('common.back')}</a>
      </p>
      <h1 id="compose-title">{t('messages.new')}</h1>
      <ProblemAlert problem={products.problem} />
      <form class="compose" onSubmit={submit} noValidate>
        <div class="stack">
          <ProblemAlert problem={action.problem} fields={FIELDS} />
          <SelectField
            label={t('message.product')}
            {...fieldProps('productCode')}
            value={code}
            onValue={setProductCode}
            options={productOptions(items)}
          />
          {product && (
            <p class="hint">
              {label('kind', product.kind)} · {label('smsType', product.smsType)}
              {reviewRequired(product) && ` · ${t('compose.reviewed')}`}
            </p>
          )}
          <TextAreaField label={t('message.body')} {...fieldProps('body')} error={errors.body ?? violationsText(action.problem)} value={body} onValue={setBody} rows={6} />
          {advice && (
            <div class="grid">
              <TextField label={t('compose.adviserName')} {...fieldProps('adviser.name')} value={adviserName} onValue={setAdviserName} />
              <TextField label={t('compose.adviserCode')} {...fieldProps('adviser.registrationCode')} value={adviserCode} onValue={setAdviserCode} hint={t('compose.adviserCodeHint')} />
            </div>
          )}
          <div class="grid">
            <TextField label={t('message.sendAt')} {...fieldProps('sendAt')} type="datetime-local" value={sendAt} onValue={setSendAt} hint={t('compose.sendAtHint')} />
            <SelectField
              label={t('message.slot')}
              {...fieldProps('slot')}
              value={slot}
              onValue={setSlot}
              options={[['', t('compose.noSlot')], ...PRODUCT_SLOTS.map((s): [string, string] => [s.name, label('slot', s.name)])]}
            />
          </div>
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy || !product}>
              {t('compose.publish')}
            </button>
          </div>
        </div>
        <aside class="preview">
          <h2 id="preview-title">{t('compose.preview')}</h2>
          <Figures>
            <Figure label={t('figure.characters')} value={formatNumber(preview.characters)} />
            <Figure label={t('figure.segments')} value={formatNumber(preview.segments)} tone={tooLong ? 'warn' : undefined} />
            <Figure label={t('figure.recipients')} value="—" />
          </Figures>
          <p class="hint">
            {preview.encoding} · {t('compose.recipientsLater')}
          </p>
          {tooLong && <p class="field-error">{t('compose.tooLong', { max: sms.maxSegments })}</p>}
          <figure class="sms">
            <figcaption>{t('compose.finalText')}</figcaption>
            <pre>{preview.text}</pre>
          </figure>
        </aside>
      </form>
    </section>
  );
}
