import type { Language } from './keywords.ts';

/**
 * Account alert texts, per language and event type. A placeholder `{name}` takes `data.name`;
 * every placeholder is a field the alert needs: an event without one is not sent (never a blank),
 * and a value that has words of its own (buy/sell, in/out) is said in the client's language, or
 * counts as missing. An event type without a template gets `default`, which quotes nothing of
 * the event: upstream text reaches a phone only through a template made for it.
 */
export type AlertTemplates = Record<Language, Record<string, string>>;

export const DEFAULT_ALERT_TEMPLATES: AlertTemplates = {
  zh: {
    'trade-filled': '您的委托已成交：{stockCode} {side}{quantity}股。',
    'funds-moved': '您的资金账户{direction}{amount}元。',
    'margin-call': '您的信用账户维持担保比例为{ratio}，已低于警戒线，请及时补充担保物。',
    default: '您的账户有一条新的提醒，请登录交易软件查看详情。',
  },
  en: {
    'trade-filled': 'Your order was filled: {side} {quantity} shares of {stockCode}.',
    'funds-moved': '{amount} yuan was {direction} your account.',
    'margin-call': 'The maintenance ratio of your margin account is {ratio}, below the warning line: please add collateral.',
    default: 'There is a new alert on your account: please see your trading app for details.',
  },
};

/** The data fields whose values are words, and those words in each language. */
export const ALERT_VALUE_WORDS: Record<Language, Record<string, Record<string, string>>> = {
  zh: { side: { buy: '买入', sell: '卖出' }, direction: { in: '转入', out: '转出' } },
  en: { side: { buy: 'bought', sell: 'sold' }, direction: { in: 'paid into', out: 'withdrawn from' } },
};

export type RenderedAlert = { text: string } | { missing: string[] };

/** The alert in `language`, or the fields it needs and the event lacks. */
export function renderAlert(event: { type: string; data: Record<string, unknown> }, templates: AlertTemplates, language: Language = 'zh'): RenderedAlert {
  const forLanguage = templates[language];
  const template = forLanguage[event.type] ?? forLanguage.default ?? DEFAULT_ALERT_TEMPLATES[language].default!;
  const words = ALERT_VALUE_WORDS[language];
  const missing: string[] = [];
  const text = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const raw = event.data[name];
    const value = raw === undefined || raw === null || raw === '' ? undefined : words[name] ? words[name][String(raw)] : String(raw);
    if (value === undefined) missing.push(name);
    return value ?? '';
  });
  return missing.length ? { missing } : { text };
}

/**
 * ALERT_TEMPLATES as configured: `{ "zh": { type: text }, "en": {...} }`, or one flat
 * `{ type: text }` for Chinese; merged over the defaults.
 */
export function alertTemplates(configured: Record<string, unknown> | undefined): AlertTemplates {
  const perLanguage = configured && ('zh' in configured || 'en' in configured) ? configured : { zh: configured ?? {} };
  const pick = (language: Language) => (perLanguage as Partial<Record<Language, Record<string, string>>>)[language] ?? {};
  return { zh: { ...DEFAULT_ALERT_TEMPLATES.zh, ...pick('zh') }, en: { ...DEFAULT_ALERT_TEMPLATES.en, ...pick('en') } };
}
