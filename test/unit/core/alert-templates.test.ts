import { describe, expect, it } from 'vitest';
import { ALERT_VALUE_WORDS, DEFAULT_ALERT_TEMPLATES, alertTemplates, renderAlert } from '../../../packages/core/index.ts';

/** An event each default template can be filled from. */
const COMPLETE: Record<string, Record<string, unknown>> = {
  'trade-filled': { stockCode: '600519', side: 'buy', quantity: 100 },
  'funds-moved': { amount: 5000, direction: 'in' },
  'margin-call': { ratio: '125%' },
  default: {},
};

describe('alert templates', () => {
  it('has a template for every event type in both languages, and no other', () => {
    expect(Object.keys(DEFAULT_ALERT_TEMPLATES.zh).sort()).toEqual(Object.keys(COMPLETE).sort());
    expect(Object.keys(DEFAULT_ALERT_TEMPLATES.en).sort()).toEqual(Object.keys(COMPLETE).sort());
  });

  it.each(['zh', 'en'] as const)('fills every %s template completely, with no placeholder or blank left', (language) => {
    for (const [type, data] of Object.entries(COMPLETE)) {
      const rendered = renderAlert({ type, data }, DEFAULT_ALERT_TEMPLATES, language);
      expect(rendered, type).toHaveProperty('text');
      const text = (rendered as { text: string }).text;
      expect(text, type).not.toMatch(/[{}]|\s{2,}|：，|，。/);
    }
  });

  it.each(Object.keys(COMPLETE).filter((t) => t !== 'default'))('does not send %s when a field it needs is missing, naming the field', (type) => {
    for (const field of Object.keys(COMPLETE[type]!)) {
      const data = { ...COMPLETE[type] };
      delete data[field];
      expect(renderAlert({ type, data }, DEFAULT_ALERT_TEMPLATES)).toEqual({ missing: [field] });
    }
    expect(renderAlert({ type, data: {} }, DEFAULT_ALERT_TEMPLATES)).toEqual({ missing: expect.arrayContaining(Object.keys(COMPLETE[type]!)) });
  });

  it('says words in the client language (买入/卖出, bought/sold), and counts an unknown word as missing', () => {
    expect(renderAlert({ type: 'trade-filled', data: COMPLETE['trade-filled']! }, DEFAULT_ALERT_TEMPLATES, 'zh')).toEqual({ text: '您的委托已成交：600519 买入100股。' });
    expect(renderAlert({ type: 'trade-filled', data: { ...COMPLETE['trade-filled'], side: 'sell' } }, DEFAULT_ALERT_TEMPLATES, 'en')).toEqual({ text: 'Your order was filled: sold 100 shares of 600519.' });
    expect(renderAlert({ type: 'funds-moved', data: COMPLETE['funds-moved']! }, DEFAULT_ALERT_TEMPLATES, 'zh')).toEqual({ text: '您的资金账户转入5000元。' });
    expect(renderAlert({ type: 'trade-filled', data: { ...COMPLETE['trade-filled'], side: 'short' } }, DEFAULT_ALERT_TEMPLATES)).toEqual({ missing: ['side'] });
    expect(Object.keys(ALERT_VALUE_WORDS.zh)).toEqual(Object.keys(ALERT_VALUE_WORDS.en));
  });

  it('reads configured templates per language, or flat for Chinese, over the defaults', () => {
    expect(alertTemplates({ en: { 'margin-call': 'Ratio {ratio}' } }).en['margin-call']).toBe('Ratio {ratio}');
    expect(alertTemplates({ 'margin-call': '比例{ratio}' }).zh['margin-call']).toBe('比例{ratio}');
    expect(alertTemplates(undefined)).toEqual(DEFAULT_ALERT_TEMPLATES);
  });
});
