import * as z from 'zod';

/**
 * Text that staff, clients and upstream systems send, before it is stored or texted: no control
 * characters (C0 and C1; a line break or tab only where the text may have lines), no lone
 * surrogates (they cannot be encoded into an SMS), and something visible (not only spaces and
 * zero-width characters).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const C0_C1_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE_BREAKS_AND_TABS = /[\t\n\r]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INVISIBLE = /[\s\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/gu;

/** Why `text` may not be stored or sent, or undefined when it may. */
export function textProblem(text: string, options: { multiline?: boolean } = {}): string | undefined {
  if (C0_C1_EXCEPT_LINES.test(text)) return 'must not contain control characters';
  if (!options.multiline && LINE_BREAKS_AND_TABS.test(text)) return 'must be one line (no line breaks or tabs)';
  if (LONE_SURROGATE.test(text)) return 'contains an invalid character (a lone surrogate)';
  if (text.length > 0 && text.replace(INVISIBLE, '') === '') return 'must contain visible characters';
  return undefined;
}

/** A trimmed, bounded, safe text field. */
export function safeText(options: { max: number; min?: number; multiline?: boolean }) {
  return z
    .string()
    .trim()
    .min(options.min ?? 1)
    .max(options.max)
    .superRefine((text, ctx) => {
      const problem = textProblem(text, options);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** An identifier from another system (trade, event, IPO): printable ASCII, bounded. */
export function externalId(max = 128) {
  return z.string().min(1).max(max).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
}
