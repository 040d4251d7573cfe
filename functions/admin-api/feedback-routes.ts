import * as z from 'zod';
import {
  caseViewSchema,
  closeCaseSchema,
  createSurveySchema,
  listCasesQuerySchema,
  listSurveysQuerySchema,
  surveyResultsSchema,
  surveySummarySchema,
  type CaseService,
  type SurveyService,
} from '../../packages/core/index.ts';
import { defineRoute, type Route } from '../../packages/lambda/index.ts';

/** A case id as SMS replies give it (the random part of a ULID). */
const caseParams = z.strictObject({ caseId: z.string().regex(/^[0-9A-Z]{1,26}$/, 'a case id: upper-case letters and digits') });
const surveyParams = z.strictObject({ surveyId: z.string().regex(/^[0-9A-Z]{26}$/, 'a survey id (a ULID)') });

/** Cases (feedback, suggestions, complaints, follow-ups) and satisfaction surveys. */
export function feedbackRoutes(services: { cases: CaseService; surveys: SurveyService }): Array<Route<any, any, any>> {
  const { cases, surveys } = services;
  return [
    defineRoute({
      method: 'GET',
      path: '/admin/cases',
      operationId: 'listCases',
      summary: 'Cases newest first (overdue=true: open past their due time, oldest due first); product managers see feedback only',
      tags: ['cases'],
      auth: { resource: 'product-feedback', access: 'read' },
      query: listCasesQuerySchema,
      responses: { 200: { description: 'One page', schema: z.object({ items: z.array(caseViewSchema), cursor: z.string().optional() }) } },
      handle: async ({ query, by }) => ({ status: 200, body: await cases.listCases(query, by) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/cases/{caseId}',
      operationId: 'getCase',
      summary: 'One case; product managers read feedback cases only (403 for another kind)',
      tags: ['cases'],
      auth: { resource: 'product-feedback', access: 'read' },
      params: caseParams,
      responses: { 200: { description: 'The case', schema: caseViewSchema } },
      handle: async ({ params, by }) => ({ status: 200, body: await cases.readCase(params.caseId, by) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/cases/{caseId}/close',
      operationId: 'closeCase',
      summary:
        'Close a case with its resolution: a complaint texts the client the resolution (not an opted-out number); awardSuggestionBonus credits the suggestion bonus once (409 not-a-suggestion on another kind). Sent again with the same resolution and awardSuggestionBonus: the closed case, nothing twice; with another: 409 already-closed',
      tags: ['cases'],
      auth: { resource: 'cases', access: 'write' },
      params: caseParams,
      body: closeCaseSchema,
      responses: { 200: { description: 'The closed case', schema: caseViewSchema } },
      handle: async ({ params, body, by }) => ({ status: 200, body: await cases.closeCase(params.caseId, body, by) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/surveys',
      operationId: 'createSurvey',
      summary: "Send a satisfaction survey (one question, answered 1-5 by SMS) to the product's audience as a broadcast; answers count until the window ends",
      tags: ['surveys'],
      auth: { resource: 'surveys', access: 'write' },
      body: createSurveySchema,
      responses: { 202: { description: 'Recorded and sending', schema: z.object({ surveyId: z.string(), messageId: z.string() }) } },
      handle: async ({ body, by }) => ({ status: 202, body: await surveys.createSurvey(body, by) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/surveys',
      operationId: 'listSurveys',
      summary: "Surveys newest first, all or one product's (productCode), a page of `limit` (default 50) with `cursor` to the next; figures per survey at /admin/surveys/{surveyId}",
      tags: ['surveys'],
      auth: { resource: 'surveys', access: 'read' },
      query: listSurveysQuerySchema,
      responses: { 200: { description: 'One page of surveys', schema: z.object({ items: z.array(surveySummarySchema), cursor: z.string().optional() }) } },
      handle: async ({ query }) => ({ status: 200, body: await surveys.listSurveys(query) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/surveys/{surveyId}',
      operationId: 'getSurvey',
      summary: 'Survey results: sent, responses, response rate, distribution, average',
      tags: ['surveys'],
      auth: { resource: 'surveys', access: 'read' },
      params: surveyParams,
      responses: { 200: { description: 'Results', schema: surveyResultsSchema } },
      handle: async ({ params }) => ({ status: 200, body: await surveys.results(params.surveyId) }),
    }),
  ];
}
