import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeywordParser, normaliseSmsText, withAliases } from '../../../packages/core/index.ts';

const parse = createKeywordParser();

describe('normaliseSmsText', () => {
  it('folds full-width letters and spaces, case, runs of spaces and trailing punctuation', () => {
    expect(normaliseSmsText('ｄｙ　ipo')).toBe('DY IPO');
    expect(normaliseSmsText('  dy   ipo!! ')).toBe('DY IPO');
    expect(normaliseSmsText('TD。')).toBe('TD');
    expect(normaliseSmsText('？')).toBe('?');
  });
});

describe('createKeywordParser', () => {
  it.each(['DY IPO', 'ｄｙ　ipo', 'DYIPO', 'dy ipo!', 'Dy  Ipo。', ' dy ipo ？'])('reads %j as subscribe IPO (Chinese)', (text) => {
    expect(parse(text)).toEqual({ kind: 'subscribe', productCode: 'IPO', language: 'zh' });
  });

  it.each([
    ['SUBSCRIBE tips', { kind: 'subscribe', productCode: 'TIPS', language: 'en' }],
    ['DH TIPS', { kind: 'redeem', productCode: 'TIPS', language: 'zh' }],
    ['dhtips', { kind: 'redeem', productCode: 'TIPS', language: 'zh' }],
    ['redeem TIPS', { kind: 'redeem', productCode: 'TIPS', language: 'en' }],
    ['TD IPO', { kind: 'unsubscribe', productCode: 'IPO', language: 'zh' }],
    ['tdipo', { kind: 'unsubscribe', productCode: 'IPO', language: 'zh' }],
    ['UNSUBSCRIBE IPO', { kind: 'unsubscribe', productCode: 'IPO', language: 'en' }],
    ['TD', { kind: 'opt-out', language: 'zh' }],
    ['td!', { kind: 'opt-out', language: 'zh' }],
    ['STOP', { kind: 'opt-out', language: 'en' }],
    ['stopall', { kind: 'opt-out', language: 'en' }],
    ['UNSUBSCRIBE', { kind: 'opt-out', language: 'en' }],
    ['cancel', { kind: 'opt-out', language: 'en' }],
    ['END', { kind: 'opt-out', language: 'en' }],
    ['quit', { kind: 'opt-out', language: 'en' }],
    ['STOP PLEASE', { kind: 'opt-out', language: 'en' }],
    ['START', { kind: 'opt-in', language: 'en' }],
    ['unstop', { kind: 'opt-in', language: 'en' }],
    ['CX', { kind: 'list', language: 'zh' }],
    ['LIST', { kind: 'list', language: 'en' }],
    ['JF', { kind: 'points', language: 'zh' }],
    ['points', { kind: 'points', language: 'en' }],
    ['BZ', { kind: 'help', language: 'zh' }],
    ['HELP', { kind: 'help', language: 'en' }],
    ['?', { kind: 'help', language: 'en' }],
    ['Y', { kind: 'confirm', language: 'zh' }],
    ['yes', { kind: 'confirm', language: 'en' }],
    ['是', { kind: 'confirm', language: 'zh' }],
  ])('reads %j', (text, command) => {
    expect(parse(text)).toEqual(command);
  });

  it('answers unknown to anything else, in English for Latin text and Chinese otherwise', () => {
    expect(parse('hello there')).toEqual({ kind: 'unknown', language: 'en' });
    expect(parse('你好')).toEqual({ kind: 'unknown', language: 'zh' });
    expect(parse('')).toEqual({ kind: 'unknown', language: 'zh' });
    expect(parse('DY')).toEqual({ kind: 'unknown', language: 'zh' });
    expect(parse('DY I')).toEqual({ kind: 'unknown', language: 'zh' });
    expect(parse('REDEEM')).toEqual({ kind: 'unknown', language: 'en' });
  });

  it('takes only an exact confirmation: a paid action never starts by accident', () => {
    expect(parse('Y please').kind).toBe('unknown');
    expect(parse('yesterday').kind).toBe('unknown');
  });

  it('accepts aliases from configuration without code', () => {
    const custom = createKeywordParser(withAliases({ subscribe: { zh: ['订阅'] }, 'opt-out': { zh: ['退订'] } }));
    expect(custom('订阅 IPO')).toEqual({ kind: 'subscribe', productCode: 'IPO', language: 'zh' });
    expect(custom('订阅IPO')).toEqual({ kind: 'subscribe', productCode: 'IPO', language: 'zh' });
    expect(custom('退订')).toEqual({ kind: 'opt-out', language: 'zh' });
    expect(parse('订阅 IPO').kind).toBe('unknown');
  });

  it('never throws, and reads a text and its normal form alike (1,000 random strings)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const command = parse(text);
        const again = parse(normaliseSmsText(text));
        // Feedback keeps the client's own words as written: only the command is the same.
        if ('text' in command) expect({ ...again, text: '' }).toEqual({ ...command, text: '' });
        else expect(again).toEqual(command);
        if ('productCode' in command && command.productCode !== undefined) expect(command.productCode).toMatch(/^[A-Z0-9]{2,16}$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads every spelling variant of a keyword with a code the same way', () => {
    const fullWidth = (s: string) => s.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(
        fc.constantFrom('DY', 'SUBSCRIBE', 'DH', 'REDEEM', 'TD'),
        fc.stringMatching(/^[A-Z][A-Z0-9]{1,15}$/),
        fc.constantFrom('', ' ', '  ', '\u3000'),
        fc.constantFrom('', '!', '。', '?'),
        fc.boolean(),
        fc.boolean(),
        (keyword, code, space, punctuation, lower, wide) => {
          let text = `${keyword}${space}${code}${punctuation}`;
          if (lower) text = text.toLowerCase();
          if (wide) text = fullWidth(text.toUpperCase());
          const command = parse(text);
          // A code may itself start with another keyword's letters; the keyword read first wins consistently.
          expect(command).toEqual(parse(`${keyword} ${code}`));
          expect(command.kind).not.toBe('unknown');
        },
      ),
    );
  });

  it.each([
    ['FK IPO 提醒很及时', { kind: 'feedback', productCode: 'IPO', text: '提醒很及时', language: 'zh' }],
    ['ｆｋ　ｉｐｏ　提醒很及时！', { kind: 'feedback', productCode: 'IPO', text: '提醒很及时！', language: 'zh' }],
    ['FKIPO 提醒很及时', { kind: 'feedback', productCode: 'IPO', text: '提醒很及时', language: 'zh' }],
    ['FK IPO提醒很及时', { kind: 'feedback', productCode: 'IPO', text: '提醒很及时', language: 'zh' }],
    ['feedback tips Very useful, thanks.', { kind: 'feedback', productCode: 'TIPS', text: 'Very useful, thanks.', language: 'en' }],
    ['FK 很好', { kind: 'feedback', text: '很好', language: 'zh' }],
    ['FK', { kind: 'feedback', text: '', language: 'zh' }],
    ['JY 希望增加港股资讯', { kind: 'suggestion', text: '希望增加港股资讯', language: 'zh' }],
    ['jy：希望增加港股资讯', { kind: 'suggestion', text: '希望增加港股资讯', language: 'zh' }],
    ['JY希望增加港股资讯', { kind: 'suggestion', text: '希望增加港股资讯', language: 'zh' }],
    ['SUGGEST more HK news', { kind: 'suggestion', text: 'more HK news', language: 'en' }],
    ['TS 短信重复发送', { kind: 'complaint', text: '短信重复发送', language: 'zh' }],
    ['TS服务太差', { kind: 'complaint', text: '服务太差', language: 'zh' }],
    ['complain: too many messages', { kind: 'complaint', text: 'too many messages', language: 'en' }],
    ['TS', { kind: 'complaint', text: '', language: 'zh' }],
  ])('reads the feedback command %j with the client’s own words', (text, command) => {
    expect(parse(text)).toEqual(command);
  });

  it.each([
    ['1', 1],
    ['5', 5],
    ['５', 5],
    ['３。', 3],
    [' 2 ', 2],
    ['一', 1],
    ['五', 5],
  ])('reads %j as the score %d', (text, score) => {
    expect(parse(text)).toMatchObject({ kind: 'score', score });
  });

  it('does not clash with the other keywords: TD, Y, a stock ticker, 6 or 12 are no feedback or score', () => {
    expect(parse('TD').kind).toBe('opt-out');
    expect(parse('TD IPO').kind).toBe('unsubscribe');
    expect(parse('Y').kind).toBe('confirm');
    expect(parse('TSLA up 5%').kind).toBe('unknown');
    expect(parse('JYB').kind).toBe('unknown');
    expect(parse('6').kind).toBe('unknown');
    expect(parse('12').kind).toBe('unknown');
    expect(parse('5 stars').kind).toBe('unknown');
    expect(parse('DY FK').kind).toBe('subscribe');
  });
});
