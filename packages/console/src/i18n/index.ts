import { signal } from '@preact/signals';
import { en } from './en.ts';
import { zh, type MessageKey } from './zh.ts';

export type { MessageKey } from './zh.ts';
export type Lang = 'zh' | 'en';

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { zh, en };
const LOCALES: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

// The Hosted UI's return URLs (after sign-in and sign-out) must match exactly, so they carry no
// ?lang: the language waits in the tab's sessionStorage for the way back.
const RETURN_KEY = 'console.lang';

/** Chinese unless the URL says ?lang=en (or the tab comes back from the Hosted UI in English). */
function initialLang(): Lang {
  const returning = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  const asked = new URLSearchParams(location.search).get('lang');
  return asked === 'en' || (!asked && returning === 'en') ? 'en' : 'zh';
}

export const lang = signal<Lang>(initialLang());

/** Before leaving for the Hosted UI: the language to come back to. */
export function keepLangForReturn(): void {
  sessionStorage.setItem(RETURN_KEY, lang.value);
}

/** Switches the language and keeps it in the URL (?lang=en), so a reload or a shared link keeps it. */
export function setLang(next: Lang): void {
  const url = new URL(location.href);
  if (next === 'en') url.searchParams.set('lang', 'en');
  else url.searchParams.delete('lang');
  history.replaceState(history.state, '', url);
  lang.value = next;
  applyDocumentLang();
}

function applyDocumentLang(): void {
  document.documentElement.lang = LOCALES[lang.value];
  document.title = t('app.title');
}

/** The text of `key` in the current language, `{name}` placeholders filled from `vars`. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return CATALOGUES[lang.value][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The label of an enumerated value (`kind.general`, `status.sent`); a value the catalogue lacks shows as it is. */
export function label(group: string, value: string): string {
  const key = `${group}.${value}`;
  return key in zh ? t(key as MessageKey) : value;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(LOCALES[lang.value], { dateStyle: 'short', timeStyle: 'medium' });
}

export function formatNumber(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString(LOCALES[lang.value]);
}

/** What the carriers charged, in US dollars to the hundredth of a cent (SMS cost fractions of a cent). */
export function formatUsd(usd: number | undefined): string {
  return usd === undefined ? '—' : `$${usd.toFixed(4)}`;
}

/** A fraction (0–1) as a percentage, e.g. 0.5 -> 50%. */
export function formatPercent(fraction: number | undefined): string {
  return fraction === undefined ? '—' : fraction.toLocaleString(LOCALES[lang.value], { style: 'percent', maximumFractionDigits: 1 });
}

/** Fen as yuan, e.g. 1000 -> ¥10.00. */
export function formatYuan(fen: number | undefined): string {
  return fen === undefined ? '—' : (fen / 100).toLocaleString(LOCALES[lang.value], { style: 'currency', currency: 'CNY' });
}
