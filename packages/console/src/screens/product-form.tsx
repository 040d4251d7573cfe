import { useState } from 'preact/hooks';
import { api, ok, type Product, type Schemas } from '../api/client.ts';
import { KINDS, RISK_LEVELS, SMS_TYPES, TIERS } from '../catalog.ts';
import { label, t } from '../i18n/index.ts';
import { useAction } from '../ui/async.ts';
import { CheckboxField, CheckboxGroup, SelectField, TextAreaField, TextField } from '../ui/form.tsx';
import { ProblemAlert } from '../ui/problem.tsx';

/** The form's text state; numbers are typed as text and checked before they are sent. */
interface Draft {
  code: string;
  name: string;
  kind: Product['kind'];
  riskLevel: Product['riskLevel'];
  smsType: '' | Product['smsType'];
  review: '' | NonNullable<Product['review']>;
  priceYuan: string;
  pointsPrice: string;
  periodDays: string;
  eligibleTiers: string[];
  bundle: string;
  description: string;
  listed: boolean;
}

function draftOf(product?: Product): Draft {
  return {
    code: product?.code ?? '',
    name: product?.name ?? '',
    kind: product?.kind ?? 'general',
    riskLevel: product?.riskLevel ?? 'R1',
    smsType: product?.smsType ?? '',
    review: product?.review ?? '',
    priceYuan: product?.pricing?.priceFen !== undefined ? String(product.pricing.priceFen / 100) : '',
    pointsPrice: product?.pricing?.pointsPrice !== undefined ? String(product.pricing.pointsPrice) : '',
    periodDays: String(product?.pricing?.periodDays ?? 30),
    eligibleTiers: product?.eligibleTiers ?? [...TIERS],
    bundle: (product?.bundle ?? []).join(', '),
    description: product?.description ?? '',
    listed: product?.listed ?? true,
  };
}

type Errors = Partial<Record<string, string>>;

/** Checks what the browser can (numbers are numbers); the API checks the rest and names its fields. */
function pricingOf(draft: Draft, errors: Errors): Schemas['CreateProduct']['pricing'] {
  const number = (text: string, field: string, integer: boolean) => {
    if (text.trim() === '') return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) errors[field] = t(integer ? 'form.wholeNumber' : 'form.number');
    return value;
  };
  const yuan = number(draft.priceYuan, 'pricing.priceFen', false);
  const points = number(draft.pointsPrice, 'pricing.pointsPrice', true);
  const days = number(draft.periodDays, 'pricing.periodDays', true);
  const paid = yuan !== undefined || points !== undefined || draft.kind === 'commission-package';
  if (!paid) return null;
  return {
    periodDays: days ?? 30,
    ...(yuan !== undefined && { priceFen: Math.round(yuan * 100) }),
    ...(points !== undefined && { pointsPrice: points }),
  };
}

function createBody(draft: Draft, errors: Errors): Schemas['CreateProduct'] {
  const bundle = draft.bundle.split(/[\s,，]+/).filter(Boolean);
  return {
    code: draft.code.trim().toUpperCase(),
    name: draft.name.trim(),
    kind: draft.kind,
    riskLevel: draft.riskLevel,
    pricing: pricingOf(draft, errors),
    eligibleTiers: TIERS.filter((tier) => draft.eligibleTiers.includes(tier)),
    ...(draft.kind === 'commission-package' && bundle.length > 0 && { bundle }),
    ...(draft.smsType && { smsType: draft.smsType }),
    ...(draft.review && { review: draft.review }),
    ...(draft.description.trim() && { description: draft.description }),
    listed: draft.listed,
  };
}

/** The same value, whatever the order of keys or of a list's items. */
function same(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical).map((x) => JSON.stringify(x)).sort() : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)).map(([k, x]) => [k, canonical(x)])) : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Only what changed: the audit record then says exactly what the edit did. */
function patchBody(draft: Draft, product: Product, errors: Errors): Schemas['PatchProduct'] {
  const { code: _code, listed: _listed, ...wanted } = createBody(draft, errors);
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(wanted)) {
    if (!same(value, product[field as keyof Product])) patch[field] = value;
  }
  if (product.bundle && !('bundle' in wanted)) patch.bundle = null;
  if (product.description && !draft.description.trim()) patch.description = null;
  return patch as Schemas['PatchProduct'];
}

const FIELDS = ['code', 'name', 'kind', 'riskLevel', 'smsType', 'review', 'pricing', 'pricing.priceFen', 'pricing.pointsPrice', 'pricing.periodDays', 'eligibleTiers', 'bundle', 'description'];

/** Creates a product, or edits `product` (its code stays). */
export function ProductForm({ product, onSaved }: { product?: Product; onSaved: (saved: Product) => void }) {
  const [draft, setDraft] = useState(() => draftOf(product));
  const [errors, setErrors] = useState<Errors>({});
  const [unchanged, setUnchanged] = useState(false);
  const action = useAction();
  const set = <K extends keyof Draft>(field: K) => (value: Draft[K]) => setDraft((d) => ({ ...d, [field]: value }));
  const problem = action.problem;
  const fieldProps = (name: string) => ({ name, problem, error: errors[name] });

  const submit = (event: Event) => {
    event.preventDefault();
    const found: Errors = {};
    const body = product ? patchBody(draft, product, found) : createBody(draft, found);
    setErrors(found);
    setUnchanged(false);
    if (Object.keys(found).length > 0) return;
    if (product && Object.keys(body).length === 0) return setUnchanged(true);
    void action.run(async () => {
      const saved = product
        ? await ok(api().PATCH('/admin/products/{code}', { params: { path: { code: product.code } }, body: body as Schemas['PatchProduct'] }))
        : await ok(api().POST('/admin/products', { body: body as Schemas['CreateProduct'] }));
      onSaved(saved);
    });
  };

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <ProblemAlert problem={problem} fields={FIELDS} />
      {unchanged && <p role="status">{t('form.unchanged')}</p>}
      <div class="grid">
        <TextField label={t('product.code')} {...fieldProps('code')} value={draft.code} onValue={set('code')} disabled={!!product} hint={t('product.codeHint')} />
        <TextField label={t('product.name')} {...fieldProps('name')} value={draft.name} onValue={set('name')} />
        <SelectField label={t('product.kind')} {...fieldProps('kind')} value={draft.kind} onValue={(v) => set('kind')(v as Draft['kind'])} options={KINDS.map((k) => [k, label('kind', k)])} />
        <SelectField label={t('product.riskLevel')} {...fieldProps('riskLevel')} value={draft.riskLevel} onValue={(v) => set('riskLevel')(v as Draft['riskLevel'])} options={RISK_LEVELS.map((r) => [r, label('risk', r)])} />
        <SelectField
          label={t('product.smsType')}
          {...fieldProps('smsType')}
          value={draft.smsType}
          onValue={(v) => set('smsType')(v as Draft['smsType'])}
          options={[['', t('product.byKind')], ...SMS_TYPES.map((s): [string, string] => [s, label('smsType', s)])]}
        />
        <SelectField
          label={t('product.review')}
          {...fieldProps('review')}
          value={draft.review}
          onValue={(v) => set('review')(v as Draft['review'])}
          options={[['', t('product.byKind')], ['required', label('review', 'required')], ['none', label('review', 'none')]]}
        />
        <TextField label={t('product.priceYuan')} {...fieldProps('pricing.priceFen')} type="text" value={draft.priceYuan} onValue={set('priceYuan')} hint={t('product.freeHint')} />
        <TextField label={t('product.pointsPrice')} {...fieldProps('pricing.pointsPrice')} value={draft.pointsPrice} onValue={set('pointsPrice')} />
        <TextField label={t('product.periodDays')} {...fieldProps('pricing.periodDays')} value={draft.periodDays} onValue={set('periodDays')} />
        {draft.kind === 'commission-package' && (
          <TextField label={t('product.bundle')} {...fieldProps('bundle')} value={draft.bundle} onValue={set('bundle')} hint={t('product.bundleHint')} />
        )}
      </div>
      <CheckboxGroup
        legend={t('product.eligibleTiers')}
        name="eligibleTiers"
        problem={problem}
        values={draft.eligibleTiers}
        options={TIERS.map((tier) => [tier, label('tier', tier)])}
        onValues={set('eligibleTiers')}
      />
      <TextAreaField label={t('product.description')} {...fieldProps('description')} value={draft.description} onValue={set('description')} rows={3} />
      {!product && <CheckboxField label={t('product.listedOnCreate')} checked={draft.listed} onChecked={set('listed')} />}
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          {t('form.save')}
        </button>
      </div>
    </form>
  );
}
