import * as z from 'zod';
import { customerIdSchema } from './customer.ts';

/**
 * Client cases (服务留痕 of what clients told us): product feedback (产品反馈), suggestions
 * (合理化建议), complaints with a response deadline (投诉处理), and follow-ups (回访) opened by a
 * low satisfaction score. Opened by SMS (FK, JY, TS, a score of 1 or 2), closed by staff.
 */
export const CASE_KINDS = ['feedback', 'suggestion', 'complaint', 'follow-up'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_STATUSES = ['open', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Texts longer than this are cut (never refused): an SMS can be long, a case need not be. */
export const MAX_CASE_TEXT = 500;
export const DEFAULT_COMPLAINT_RESPONSE_HOURS = 24;
export const DEFAULT_FOLLOW_UP_HOURS = 72;

export const caseSchema = z
  .object({
    caseId: z.string(),
    kind: z.enum(CASE_KINDS),
    customerId: z.string(),
    phone: z.string(),
    productCode: z.string().optional(),
    text: z.string().optional(),
    score: z.number().int().min(1).max(5).optional(),
    surveyId: z.string().optional(),
    language: z.enum(['zh', 'en']).optional().describe('The language the client wrote in (the resolution SMS uses it)'),
    status: z.enum(CASE_STATUSES),
    openedAt: z.string(),
    dueAt: z.string().optional().describe('Complaints: the response deadline; follow-ups: when the call is due'),
    closedAt: z.string().optional(),
    closedBy: z.string().optional(),
    resolution: z.string().optional(),
    resolutionSms: z.enum(['sent', 'opted-out']).optional().describe('Complaints: whether the resolution was texted to the client (never to an opted-out number)'),
    bonusAwarded: z.number().int().optional().describe('Suggestions: the points the adopted suggestion earned'),
    version: z.number().int(),
  })
  .meta({ id: 'Case' });
export type Case = z.infer<typeof caseSchema>;

/** A case as the API shows it (the version is internal). */
export const caseViewSchema = caseSchema.omit({ version: true }).meta({ id: 'CaseView' });
export type CaseView = z.infer<typeof caseViewSchema>;

export function caseView({ version: _version, ...view }: Case): CaseView {
  return view;
}

/** Open past its due time (complaints and follow-ups have one). */
export function isOverdue(c: Pick<Case, 'status' | 'dueAt'>, now: Date): boolean {
  return c.status === 'open' && c.dueAt !== undefined && c.dueAt < now.toISOString();
}

/** A case id short enough to read out of an SMS: the last 10 characters of a ULID (its random part). */
export function shortCaseId(ulid: string): string {
  return ulid.slice(-10);
}

/** The client's words as kept: trimmed, cut at MAX_CASE_TEXT characters (code points). */
export function caseText(text: string): string {
  return [...text.trim()].slice(0, MAX_CASE_TEXT).join('');
}

export const listCasesQuerySchema = z.strictObject({
  customerId: customerIdSchema.optional().describe("One client's cases, newest first (the other filters narrow each page)"),
  kind: z.enum(CASE_KINDS).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  productCode: z.string().max(20).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: open cases past their due time only'),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(2000).optional(),
});
export type ListCasesQuery = z.infer<typeof listCasesQuerySchema>;

export const closeCaseSchema = z
  .strictObject({
    resolution: z.string().trim().min(1).max(500),
    awardSuggestionBonus: z.boolean().optional().describe('On a suggestion: credit the configured suggestion bonus (once per case)'),
  })
  .meta({ id: 'CloseCase' });
export type CloseCaseInput = z.infer<typeof closeCaseSchema>;
