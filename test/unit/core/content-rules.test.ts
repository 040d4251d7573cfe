import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT_RULES, findContentViolations } from '../../../packages/core/index.ts';

/** A page of ordinary advisory text, as an investment-tips message reads: it must pass. */
const ORDINARY_ADVICE = `
早盘策略：昨日两市成交额放大至1.2万亿元，北向资金净流入35亿元。半导体板块受政策预期提振，
短期或维持震荡上行，但估值已处历史高位，追高需谨慎。建议关注业绩确定性较高的龙头公司，
控制仓位在五成以内，设置止损位。新能源车产业链库存去化仍需时间，可逢低分批布局。
债券方面，十年期国债收益率下行至2.3%，稳健型投资者可适当配置中短久期品种。
以上观点仅供参考，不构成投资建议。市场有风险，投资需谨慎；过往业绩不代表未来表现。
Morning note: volumes rose; semiconductors may stay volatile. Keep positions moderate and set stop-losses.
This is not a guarantee of any return; past performance does not indicate future results.
`;

describe('findContentViolations', () => {
  it('finds each default phrase and names its rule and the text as written', () => {
    expect(findContentViolations('本产品保证收益，稳赚不赔！', DEFAULT_CONTENT_RULES)).toEqual([
      { rule: 'promised-returns', match: '保证收益' },
      { rule: 'promised-returns', match: '稳赚不赔' },
    ]);
    expect(findContentViolations('据内幕消息，该股必涨', DEFAULT_CONTENT_RULES)).toEqual([
      { rule: 'insider-claims', match: '内幕消息' },
      { rule: 'promised-returns', match: '必涨' },
    ]);
  });

  it('matches after folding width, case, spaces and punctuation', () => {
    expect(findContentViolations('这只基金稳 赚', DEFAULT_CONTENT_RULES)).toEqual([{ rule: 'promised-returns', match: '稳 赚' }]);
    expect(findContentViolations('稳-赚的机会', DEFAULT_CONTENT_RULES)).toEqual([{ rule: 'promised-returns', match: '稳-赚' }]);
    expect(findContentViolations('ＧＵＡＲＡＮＴＥＥＤ return on day one', DEFAULT_CONTENT_RULES)).toEqual([{ rule: 'promised-returns', match: 'ＧＵＡＲＡＮＴＥＥＤ return' }]);
    expect(findContentViolations('a Risk‑Free bet', DEFAULT_CONTENT_RULES)).toEqual([{ rule: 'promised-returns', match: 'Risk‑Free' }]);
    expect(findContentViolations('零\u200b风险', DEFAULT_CONTENT_RULES)).toEqual([{ rule: 'promised-returns', match: '零\u200b风险' }]);
    expect(findContentViolations('收益翻 倍！', DEFAULT_CONTENT_RULES)).toEqual([{ rule: 'promised-returns', match: '翻 倍' }]);
  });

  it('passes a page of ordinary advisory text', () => {
    expect(findContentViolations(ORDINARY_ADVICE, DEFAULT_CONTENT_RULES)).toEqual([]);
  });

  it('uses the configured rules', () => {
    expect(findContentViolations('稳赚', { custom: ['包赚'] })).toEqual([]);
    expect(findContentViolations('包 赚', { custom: ['包赚'] })).toEqual([{ rule: 'custom', match: '包 赚' }]);
  });
});
