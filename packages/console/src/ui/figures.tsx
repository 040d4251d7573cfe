import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/** A named figure: its label names the value (an <output>), so it can be found by that name. */
export function Figure({ label, value, tone }: { label: string; value: string | number; tone?: 'warn' | undefined }) {
  const id = useId();
  return (
    <div class={`figure${tone ? ` ${tone}` : ''}`}>
      <label for={id}>{label}</label>
      <output id={id}>{value}</output>
    </div>
  );
}

export function Figures({ children }: { children: ComponentChildren }) {
  return <div class="figures">{children}</div>;
}
