import { describe, expect, it } from 'vitest';
import { createProductSchema, publishMessageSchema, putCustomerSchema, safeText, textProblem } from '../../../packages/core/index.ts';

describe('textProblem', () => {
  it('refuses C0 and C1 control characters, lone surrogates and text that shows nothing', () => {
    for (const bad of ['a\u0000b', 'a\u0007b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u009fb', 'a\ud800b', 'a\udc00', '\u200b\u200b', '\u200d \ufeff', '\u00ad']) {
      expect(textProblem(bad, { multiline: true }), JSON.stringify(bad)).toBeDefined();
    }
  });

  it('allows line breaks and tabs only where a text may have lines', () => {
    expect(textProblem('第一行\n第二行', { multiline: true })).toBeUndefined();
    expect(textProblem('第一行\n第二行')).toBe('must be one line (no line breaks or tabs)');
    expect(textProblem('a\tb')).toBeDefined();
  });

  it('accepts ordinary Chinese and English text, emoji (surrogate pairs) and punctuation', () => {
    for (const good of ['每日投资参考', 'IPO reminders — 新股', '早盘策略：关注半导体板块 📈', 'A股/港股 (R2)']) expect(textProblem(good)).toBeUndefined();
  });
});

describe('safeText in the request schemas', () => {
  it('names the field of a product name, customer name, message body with a control character', () => {
    const product = createProductSchema.safeParse({ code: 'TIPS', name: 'a\u0000b', kind: 'general', riskLevel: 'R1' });
    expect(product.error?.issues.map((i) => i.path.join('.'))).toEqual(['name']);
    const customer = putCustomerSchema.safeParse({ phone: '13800138000', assetsFen: 0, riskTolerance: 'C3', name: '\u200b' });
    expect(customer.error?.issues.map((i) => i.path.join('.'))).toEqual(['name']);
    const message = publishMessageSchema.safeParse({ productCode: 'TIPS', body: 'a\u0000b' });
    expect(message.error?.issues.map((i) => i.path.join('.'))).toEqual(['body']);
    expect(publishMessageSchema.safeParse({ productCode: 'TIPS', body: '第一行\n第二行' }).success).toBe(true);
    expect(safeText({ max: 5 }).safeParse('  ok  ').data).toBe('ok');
  });
});
