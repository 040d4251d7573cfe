import { useId } from 'preact/hooks';
import { formatNumber } from '../i18n/index.ts';

export interface Bar {
  label: string;
  value: number;
  /** The colour's meaning, from the stylesheet (an SVG attribute would need inline styles, which the CSP forbids). */
  tone: 'total' | 'good' | 'info' | 'muted' | 'warn' | 'bad';
  /** A part of the bar above it (e.g. one reason of the skipped). */
  nested?: boolean;
}

const ROW = 30;
const LABEL_WIDTH = 190;
const BAR_WIDTH = 360;
const WIDTH = LABEL_WIDTH + BAR_WIDTH + 70;

/**
 * Horizontal bars scaled to `max` (or the largest value), in plain SVG: no chart library. The
 * title names the chart for assistive technology and the description reads out every value.
 */
export function BarChart({ title, bars, max }: { title: string; bars: Bar[]; max?: number }) {
  const id = useId();
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const height = bars.length * ROW + 8;
  return (
    <svg class="bars" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{bars.map((b) => `${b.label}: ${b.value}`).join('; ')}</desc>
      {bars.map((bar, i) => {
        const y = i * ROW + 4;
        const indent = bar.nested ? 16 : 0;
        const width = bar.value > 0 ? Math.max(2, Math.round((bar.value / top) * BAR_WIDTH)) : 0;
        return (
          <g key={i} class={`bar ${bar.tone}${bar.nested ? ' nested' : ''}`}>
            <text x={indent} y={y + ROW / 2} dominant-baseline="middle" class="bar-label">
              {bar.label}
            </text>
            <rect x={LABEL_WIDTH} y={y + 4} width={width} height={ROW - 10} rx="2" />
            <text x={LABEL_WIDTH + width + 6} y={y + ROW / 2} dominant-baseline="middle" class="bar-value">
              {formatNumber(bar.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
