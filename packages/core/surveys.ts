import * as z from 'zod';
import { productCodeSchema } from './product.ts';

/**
 * Satisfaction surveys (客户满意度调查): one question, answered with a score of 1 to 5 by SMS. The
 * question goes out as a broadcast; each recipient's number remembers the surveys it was sent
 * (an invitation), so that a score finds the most recent one still open without another read.
 */
export const SCORES = [1, 2, 3, 4, 5] as const;
export type Score = (typeof SCORES)[number];
export const DEFAULT_SURVEY_WINDOW_HOURS = 72;
/** Scores at or below this open a follow-up case (回访). */
export const FOLLOW_UP_AT_OR_BELOW = 2;

export const createSurveySchema = z
  .strictObject({
    productCode: productCodeSchema,
    question: z.string().trim().min(1).max(300),
    windowHours: z.number().int().min(1).max(24 * 30).optional().describe('How long answers are taken, from sending (default 72)'),
  })
  .meta({ id: 'CreateSurvey' });
export type CreateSurveyInput = z.infer<typeof createSurveySchema>;

export interface Survey {
  surveyId: string;
  productCode: string;
  question: string;
  /** The broadcast that carries the question (kind `survey`). */
  messageId: string;
  status: 'open' | 'closed';
  createdAt: string;
  createdBy: string;
  closesAt: string;
  version: number;
}

export const listSurveysQuerySchema = z.strictObject({
  productCode: productCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2000).optional(),
});
export type ListSurveysQuery = z.infer<typeof listSurveysQuerySchema>;

export const surveySummarySchema = z
  .object({
    surveyId: z.string(),
    productCode: z.string(),
    question: z.string(),
    status: z.enum(['open', 'closed']).describe('closed once its window has ended'),
    createdAt: z.string(),
    createdBy: z.string(),
    closesAt: z.string(),
    messageId: z.string(),
  })
  .meta({ id: 'SurveySummary' });
export type SurveySummary = z.infer<typeof surveySummarySchema>;

/** A survey sent to a number: kept with the number until well after the window. */
export interface SurveyInvitation {
  surveyId: string;
  productCode: string;
  customerId: string;
  sentAt: string;
  closesAt: string;
  /** Set by the first score (a later one is thanked and ignored). */
  answeredAt?: string;
  score?: Score;
}

/** Score counts, by score (summed over the counter shards). */
export type ScoreCounts = Record<`${Score}`, number>;

export const surveyResultsSchema = z
  .object({
    surveyId: z.string(),
    productCode: z.string(),
    question: z.string(),
    status: z.enum(['open', 'closed']),
    closesAt: z.string(),
    messageId: z.string(),
    sent: z.number().int().describe('Recipients the question was sent to'),
    responses: z.number().int(),
    responseRate: z.number().min(0).max(1).describe('responses / sent (0 before anything was sent)'),
    distribution: z.object({ '1': z.number().int(), '2': z.number().int(), '3': z.number().int(), '4': z.number().int(), '5': z.number().int() }),
    average: z.number().nullable().describe('Mean score, two decimals; null without responses'),
  })
  .meta({ id: 'SurveyResults' });
export type SurveyResults = z.infer<typeof surveyResultsSchema>;

export function emptyScoreCounts(): ScoreCounts {
  return { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
}

/** Results from the counts and the number sent. */
export function surveyFigures(counts: ScoreCounts, sent: number): Pick<SurveyResults, 'sent' | 'responses' | 'responseRate' | 'distribution' | 'average'> {
  const responses = SCORES.reduce((n, s) => n + counts[`${s}`], 0);
  const total = SCORES.reduce((n, s) => n + s * counts[`${s}`], 0);
  return {
    sent,
    responses,
    responseRate: sent > 0 ? Math.round((Math.min(responses, sent) / sent) * 10_000) / 10_000 : 0,
    distribution: { ...counts },
    average: responses > 0 ? Math.round((total / responses) * 100) / 100 : null,
  };
}

/** The survey a score from this number answers: the most recently sent one still open (undefined: none). */
export function surveyToAnswer(invitations: readonly SurveyInvitation[], now: Date): SurveyInvitation | undefined {
  const at = now.toISOString();
  return invitations.filter((i) => i.closesAt > at).sort((a, b) => b.sentAt.localeCompare(a.sentAt) || b.surveyId.localeCompare(a.surveyId))[0];
}
