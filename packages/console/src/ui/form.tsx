import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import type { ApiProblem } from '../api/client.ts';

interface FieldProps {
  label: string;
  /** The API's name of the field (its `errors[].field`), so an error shows beside it. */
  name: string;
  problem?: ApiProblem | undefined;
  /** An error found before asking the API. */
  error?: string | undefined;
  hint?: string;
}

/** A label, the control, and the control's error or hint, wired for assistive technology. */
function Field({ label, name, problem, error, hint, children }: FieldProps & { children: (a11y: Record<string, string | boolean | undefined>) => ComponentChildren }) {
  const id = useId();
  const message = error ?? problem?.fieldError(name);
  const described = [message && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${message ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, name, 'aria-invalid': message ? true : undefined, 'aria-describedby': described })}
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {message && (
        <small id={`${id}-error`} class="field-error">
          {message}
        </small>
      )}
    </div>
  );
}

type InputProps = FieldProps & {
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'number' | 'datetime-local' | 'search';
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
  autoComplete?: string;
};

export function TextField({ value, onValue, type = 'text', required, disabled, placeholder, autoComplete = 'off', ...field }: InputProps) {
  return (
    <Field {...field}>
      {(a11y) => (
        <input
          {...a11y}
          type={type}
          value={value}
          required={required}
          disabled={disabled}
          placeholder={placeholder}
          autocomplete={autoComplete}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

export function TextAreaField({ value, onValue, required, rows = 4, ...field }: FieldProps & { value: string; onValue: (v: string) => void; required?: boolean; rows?: number }) {
  return (
    <Field {...field}>
      {(a11y) => <textarea {...a11y} value={value} required={required} rows={rows} onInput={(e) => onValue(e.currentTarget.value)} />}
    </Field>
  );
}

export function SelectField({
  value,
  onValue,
  options,
  disabled,
  ...field
}: FieldProps & { value: string; onValue: (v: string) => void; options: Array<[value: string, label: string]>; disabled?: boolean }) {
  return (
    <Field {...field}>
      {(a11y) => (
        <select {...a11y} value={value} disabled={disabled} onChange={(e) => onValue(e.currentTarget.value)}>
          {options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A group of checkboxes (e.g. eligible tiers), named as a whole by its legend. */
export function CheckboxGroup({
  legend,
  name,
  problem,
  values,
  options,
  onValues,
}: {
  legend: string;
  name: string;
  problem?: ApiProblem | undefined;
  values: string[];
  options: Array<[value: string, label: string]>;
  onValues: (values: string[]) => void;
}) {
  const message = problem?.fieldError(name);
  return (
    <fieldset class={`field checkboxes${message ? ' invalid' : ''}`}>
      <legend>{legend}</legend>
      {options.map(([v, l]) => (
        <label key={v} class="inline">
          <input
            type="checkbox"
            checked={values.includes(v)}
            onChange={(e) => onValues(e.currentTarget.checked ? [...values, v] : values.filter((x) => x !== v))}
          />
          {l}
        </label>
      ))}
      {message && <small class="field-error">{message}</small>}
    </fieldset>
  );
}

export function CheckboxField({ label, checked, onChecked }: { label: string; checked: boolean; onChecked: (c: boolean) => void }) {
  return (
    <div class="field">
      <label class="inline">
        <input type="checkbox" checked={checked} onChange={(e) => onChecked(e.currentTarget.checked)} />
        {label}
      </label>
    </div>
  );
}
