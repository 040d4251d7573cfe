/**
 * Content rules (合规): phrases a message to clients must not contain, by rule: promising or
 * guaranteeing returns (证券投资顾问业务暂行规定, art. 19) and claims of insider information.
 * Matched after NFKC folding, case folding and removing spaces, punctuation and symbols, so
 * `稳 赚`, `ＧＵＡＲＡＮＴＥＥＤ return` and `稳-赚` all match `稳赚` / `guaranteed return`.
 */
export type ContentRules = Record<string, string[]>;

export const DEFAULT_CONTENT_RULES: ContentRules = {
  'promised-returns': ['保证收益', '稳赚', '稳赚不赔', '保本', '零风险', '翻倍', '必涨', 'guaranteed return', 'risk-free'],
  'insider-claims': ['内幕消息'],
};

export interface ContentViolation {
  rule: string;
  /** The text as written that matched (with its spaces and punctuation). */
  match: string;
}

/** What folding drops: white space, punctuation, symbols, and invisible format characters. */
const IGNORED = /[\s\p{P}\p{S}\p{Cf}]/u;

/** The folded text, and for each folded character the index range it came from in the original. */
function fold(text: string): { folded: string; from: number[]; to: number[] } {
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  let index = 0;
  for (const char of text) {
    const next = index + char.length;
    for (const piece of char.normalize('NFKC').toLowerCase()) {
      if (IGNORED.test(piece)) continue;
      folded += piece;
      for (let k = 0; k < piece.length; k++) {
        from.push(index);
        to.push(next);
      }
    }
    index = next;
  }
  return { folded, from, to };
}

/** Every rule the text breaks, with the text that matched, in text order; the longest phrase of a rule at a place wins. */
export function findContentViolations(text: string, rules: ContentRules): ContentViolation[] {
  const { folded, from, to } = fold(text);
  const violations: Array<ContentViolation & { at: number }> = [];
  const seen = new Set<string>();
  for (const [rule, phrases] of Object.entries(rules)) {
    const folds = phrases.map((p) => fold(p).folded).filter(Boolean).sort((a, b) => b.length - a.length);
    const covered = new Set<number>();
    for (const phrase of folds) {
      for (let at = folded.indexOf(phrase); at >= 0; at = folded.indexOf(phrase, at + 1)) {
        if (covered.has(at)) continue;
        for (let k = at; k < at + phrase.length; k++) covered.add(k);
        const match = text.slice(from[at]!, to[at + phrase.length - 1]!);
        const key = `${rule}\u0000${match}`;
        if (!seen.has(key)) {
          seen.add(key);
          violations.push({ rule, match, at: from[at]! });
        }
      }
    }
  }
  // In the order they stand in the text.
  return violations.sort((a, b) => a.at - b.at).map(({ rule, match }) => ({ rule, match }));
}
