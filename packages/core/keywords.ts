import * as z from 'zod';
import { productCodeSchema } from './product.ts';

/**
 * SMS keywords (API.md): a parser from a client's raw text to a command. Tolerant of case,
 * full-width characters (ＤＹ ＩＰＯ), extra or missing spaces (DYIPO) and trailing punctuation.
 * The keyword table is configuration: a brokerage adds aliases without code.
 */

export type Language = 'zh' | 'en';

export const CODE_COMMANDS = ['subscribe', 'redeem', 'unsubscribe'] as const;
export const BARE_COMMANDS = ['confirm', 'opt-out', 'opt-in', 'list', 'points', 'help'] as const;
/** Commands that carry the client's own words: FK <CODE> <text>, JY <text>, TS <text>. */
export const CASE_COMMANDS = ['feedback', 'suggestion', 'complaint'] as const;
export type CodeCommand = (typeof CODE_COMMANDS)[number];
export type BareCommand = (typeof BARE_COMMANDS)[number];
export type CaseCommand = (typeof CASE_COMMANDS)[number];

export type Command =
  | { kind: CodeCommand; productCode: string; language: Language }
  | { kind: BareCommand; language: Language }
  /** `productCode` only for feedback (absent: none was given); `text` as the client wrote it, possibly empty. */
  | { kind: CaseCommand; productCode?: string; text: string; language: Language }
  /** A survey answer: 1-5, full-width １-５ or 一-五. */
  | { kind: 'score'; score: 1 | 2 | 3 | 4 | 5; language: Language }
  | { kind: 'unknown'; language: Language };

const aliases = z.array(z.string().min(1).max(20));
const byLanguage = z.strictObject({ zh: aliases.default([]), en: aliases.default([]) });

export const keywordTableSchema = z.strictObject({
  subscribe: byLanguage,
  redeem: byLanguage,
  unsubscribe: byLanguage,
  confirm: byLanguage,
  'opt-out': byLanguage,
  'opt-in': byLanguage,
  list: byLanguage,
  points: byLanguage,
  help: byLanguage,
  feedback: byLanguage,
  suggestion: byLanguage,
  complaint: byLanguage,
});
export type KeywordTable = z.infer<typeof keywordTableSchema>;

/** The table of API.md. `unsubscribe` takes a code (`TD IPO`); `opt-out` is the bare word (`TD`). */
export const DEFAULT_KEYWORDS: KeywordTable = {
  subscribe: { zh: ['DY'], en: ['SUBSCRIBE'] },
  redeem: { zh: ['DH'], en: ['REDEEM'] },
  unsubscribe: { zh: ['TD'], en: ['UNSUBSCRIBE'] },
  // Y is how Chinese prompts ask to confirm (回复Y确认), so it answers in Chinese.
  confirm: { zh: ['是', 'Y'], en: ['YES'] },
  'opt-out': { zh: ['TD'], en: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] },
  'opt-in': { zh: [], en: ['START', 'UNSTOP'] },
  list: { zh: ['CX'], en: ['LIST'] },
  points: { zh: ['JF'], en: ['POINTS'] },
  help: { zh: ['BZ'], en: ['HELP', '?'] },
  feedback: { zh: ['FK'], en: ['FEEDBACK'] },
  suggestion: { zh: ['JY'], en: ['SUGGEST', 'SUGGESTION'] },
  complaint: { zh: ['TS'], en: ['COMPLAIN', 'COMPLAINT'] },
};

/** Scores as clients type them (after NFKC, full-width digits are ASCII). */
const SCORE_WORDS: Record<string, 1 | 2 | 3 | 4 | 5> = { '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 };

/** Adds a brokerage's aliases to the default table (aliases are added, never removed). */
export function withAliases(extra: Partial<Record<keyof KeywordTable, Partial<Record<Language, string[]>>>>): KeywordTable {
  const table = structuredClone(DEFAULT_KEYWORDS);
  for (const [kind, langs] of Object.entries(extra) as Array<[keyof KeywordTable, Partial<Record<Language, string[]>>]>) {
    for (const lang of ['zh', 'en'] as const) table[kind][lang].push(...(langs?.[lang] ?? []));
  }
  return table;
}

const TRAILING_PUNCTUATION = /[\s!?.,;:~。！？，；：、…·'"“”‘’()（）【】[\]-]+$/u;
const LEADING_PUNCTUATION = /^[\s:：,，;；.。、\-—]+/u;

/** The client's words after a keyword: without the space or colon that separates them from it. */
function stripLead(text: string): string {
  return text.replace(LEADING_PUNCTUATION, '').trim();
}

/** NFKC (full-width to ASCII, ideographic space to space), upper case, single spaces, no trailing punctuation. */
export function normaliseSmsText(raw: string): string {
  const text = raw.normalize('NFKC').toUpperCase().replace(/\s+/gu, ' ').trim();
  const stripped = text.replace(TRAILING_PUNCTUATION, '').trim();
  // A text that is only punctuation keeps its first character: "?" is the help keyword.
  return stripped === '' && text !== '' ? text.charAt(0) : stripped;
}

const isCode = (value: string) => productCodeSchema.safeParse(value).success;

/** Builds a parser for a keyword table; parsing never throws. */
export function createKeywordParser(table: KeywordTable = DEFAULT_KEYWORDS, defaultLanguage: Language = 'zh') {
  const norm = (k: string) => normaliseSmsText(k);
  const entries = (kinds: readonly string[]) =>
    kinds.flatMap((kind) =>
      (['zh', 'en'] as const).flatMap((language) =>
        table[kind as keyof KeywordTable][language].map((word) => ({ kind, language, word: norm(word) })),
      ),
    );
  // Longest first, so that STOPALL is not read as STOP + ALL, nor UNSUBSCRIBE as UN...
  const codeWords = entries(CODE_COMMANDS).sort((a, b) => b.word.length - a.word.length);
  const bareWords = entries(BARE_COMMANDS).sort((a, b) => b.word.length - a.word.length);
  const optOutWords = bareWords.filter((w) => w.kind === 'opt-out');
  const caseWords = entries(CASE_COMMANDS).sort((a, b) => b.word.length - a.word.length);

  /**
   * FK <CODE> <text>, JY <text>, TS <text>: the keyword (any width, any case), then the client's
   * own words as written. The keyword must end at a space or a non-Latin character (TS服务差), so
   * that a word like TSLA is no keyword; FK may run into its code (FKIPO 很好).
   */
  function parseCase(raw: string): Command | undefined {
    const trimmed = raw.trim();
    const head = [...trimmed].map((ch) => ch.normalize('NFKC').toUpperCase());
    for (const w of caseWords) {
      const word = [...w.word];
      if (head.length < word.length || word.some((ch, i) => head[i] !== ch)) continue;
      const next = head[word.length];
      const runsOn = next !== undefined && /[A-Z0-9]/.test(next);
      if (runsOn && w.kind !== 'feedback') continue;
      let rest = [...trimmed].slice(word.length).join('');
      const language = w.language;
      if (w.kind !== 'feedback') return { kind: w.kind as CaseCommand, text: stripLead(rest), language };
      // The code: the leading run of letters and digits (any width) after the keyword.
      rest = rest.trimStart();
      const restChars = [...rest];
      let n = 0;
      while (n < restChars.length && /[A-Z0-9]/.test(restChars[n]!.normalize('NFKC').toUpperCase())) n++;
      const code = restChars.slice(0, n).map((ch) => ch.normalize('NFKC').toUpperCase()).join('');
      const text = stripLead(restChars.slice(n).join(''));
      return { kind: 'feedback', ...(isCode(code) && { productCode: code }), text: isCode(code) ? text : stripLead(rest), language };
    }
    return undefined;
  }

  return function parse(raw: string): Command {
    const text = normaliseSmsText(raw);
    if (!text) return { kind: 'unknown', language: defaultLanguage };

    // 1. The whole text is a bare keyword: TD, STOP, CX, Y, 是, ?
    const bare = bareWords.find((w) => w.word === text);
    if (bare) return { kind: bare.kind as BareCommand, language: bare.language };

    // 1b. A survey score, alone: 5, ５, 五.
    const score = SCORE_WORDS[text];
    if (score) return { kind: 'score', score, language: /^[一二三四五]$/.test(text) ? 'zh' : defaultLanguage };

    // 2. A code keyword and a product code, with or without a space: DY IPO, DYIPO.
    const compact = text.replace(/ /g, '');
    for (const w of codeWords) {
      const rest = text.startsWith(`${w.word} `) ? text.slice(w.word.length + 1).replace(/ /g, '') : compact.startsWith(w.word) ? compact.slice(w.word.length) : undefined;
      if (rest !== undefined && isCode(rest)) return { kind: w.kind as CodeCommand, productCode: rest, language: w.language };
    }

    // 2b. Feedback, suggestion, complaint with the client's words (an empty text is still the command: its reply explains the format).
    const caseCommand = parseCase(raw);
    if (caseCommand) return caseCommand;

    // 3. Strict about opt-out: an opt-out word followed by anything else still opts out (STOP PLEASE).
    const firstWord = text.split(' ')[0]!;
    const optOut = optOutWords.find((w) => w.word === firstWord);
    if (optOut) return { kind: 'opt-out', language: optOut.language };

    // 4. Queries and help with trailing words (CX ALL, HELP ME); never a confirmation, which must be exact.
    const query = bareWords.find((w) => w.word === firstWord && ['list', 'points', 'help'].includes(w.kind));
    if (query) return { kind: query.kind as BareCommand, language: query.language };

    // Unknown: answer in the language of a keyword the text starts with (DY without a code), else guess.
    const hinted = [...codeWords, ...bareWords, ...caseWords].find((w) => w.word === firstWord);
    if (hinted) return { kind: 'unknown', language: hinted.language };
    return { kind: 'unknown', language: /^[\x20-\x7e]+$/.test(text) && /[A-Z]/.test(text) ? 'en' : defaultLanguage };
  };
}
