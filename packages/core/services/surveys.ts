import type { Actor } from '../access.ts';
import { auditRecord } from '../audit.ts';
import { findContentViolations, type ContentRules } from '../content-rules.ts';
import { ContentViolationError, NotFoundError } from '../errors.ts';
import type { Change } from '../ports/changes.ts';
import type { SurveyScheduler } from '../ports/delivery.ts';
import type { MessageRepository, ProductRepository, SurveyRepository, UnitOfWork } from '../ports/repositories.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import { smsTexts } from '../sms-texts.ts';
import { DEFAULT_SURVEY_WINDOW_HOURS, surveyFigures, type CreateSurveyInput, type ListSurveysQuery, type Survey, type SurveyResults, type SurveySummary } from '../surveys.ts';
import { addHours } from '../time.ts';
import type { PlatformMessagePublisher } from './messages/publisher.ts';

export interface SurveyDeps {
  surveys: SurveyRepository;
  messages: MessageRepository;
  products: ProductRepository;
  unitOfWork: UnitOfWork;
  /** The broadcast pipeline: the question goes out as a message of kind `survey` (the delivery rules apply). */
  publisher: PlatformMessagePublisher;
  scheduler: SurveyScheduler;
  clock: Clock;
  ids: IdGenerator;
  config: { contentRules: ContentRules };
}

/**
 * Satisfaction surveys: the question to a product's audience as a broadcast, a window for the
 * answers (closed by a one-time schedule), results summed from sharded counters in one read.
 */
/** Closed once its window has ended, whether or not the schedule that closes it has run yet. */
function statusAt(survey: Pick<Survey, 'status' | 'closesAt'>, now: Date): Survey['status'] {
  return survey.status === 'open' && survey.closesAt <= now.toISOString() ? 'closed' : survey.status;
}

export function createSurveyService(deps: SurveyDeps) {
  const { surveys, messages, products, clock, ids, config } = deps;

  function surveyAudit(by: Actor, action: string, survey: Survey, before: Record<string, unknown> | null, after: Record<string, unknown>): Change {
    return { kind: 'audit', record: auditRecord(by, { action, entityType: 'survey', entity: survey.surveyId, before, after }, ids.next(), clock.now().toISOString()) };
  }

  /** Records the survey with its message (one transaction), schedules its close, then sends it. */
  async function createSurvey(input: CreateSurveyInput, by: Actor): Promise<{ surveyId: string; messageId: string }> {
    // Not advice (no adviser, no review), but no question may break a content rule.
    const violations = findContentViolations(input.question, config.contentRules);
    if (violations.length) throw new ContentViolationError(violations);
    const now = clock.now();
    const survey: Survey = {
      surveyId: ids.next(),
      productCode: input.productCode,
      question: input.question,
      messageId: ids.next(),
      status: 'open',
      createdAt: now.toISOString(),
      createdBy: by.actor,
      closesAt: addHours(now, input.windowHours ?? DEFAULT_SURVEY_WINDOW_HOURS).toISOString(),
      version: 1,
    };
    // The schedule first: a survey is never stored without its close; and a survey refused
    // (no such product, ...) leaves no close behind.
    await deps.scheduler.scheduleClose(survey.surveyId, new Date(survey.closesAt));
    try {
      await deps.publisher.publishOnce(survey.messageId, { productCode: input.productCode, body: smsTexts.surveyQuestion(input.question) }, by, {
        kind: 'survey',
        survey: { surveyId: survey.surveyId, closesAt: survey.closesAt },
        alongside: [
          { kind: 'survey', survey, expectedVersion: 0 },
          { kind: 'product-latest-survey', productCode: input.productCode, surveyId: survey.surveyId },
          surveyAudit(by, 'survey.created', survey, null, { productCode: survey.productCode, question: survey.question, closesAt: survey.closesAt, messageId: survey.messageId }),
        ],
      });
    } catch (error) {
      if (!(await surveys.get(survey.surveyId))) await deps.scheduler.cancelClose(survey.surveyId);
      throw error;
    }
    return { surveyId: survey.surveyId, messageId: survey.messageId };
  }

  /** Results: the survey and its counters in one read, and how many the question was sent to. */
  async function results(surveyId: string): Promise<SurveyResults> {
    const found = await surveys.results(surveyId);
    if (!found) throw new NotFoundError('Survey', surveyId);
    const { survey, counts } = found;
    const sent = (await messages.counts(survey.messageId)).sent;
    const status = statusAt(survey, clock.now());
    return { surveyId, productCode: survey.productCode, question: survey.question, status, closesAt: survey.closesAt, messageId: survey.messageId, ...surveyFigures(counts, sent) };
  }

  /** Surveys newest first (all, or one product's), a page at a time; without their figures (see results). */
  async function listSurveys(query: ListSurveysQuery): Promise<{ items: SurveySummary[]; cursor?: string }> {
    const page = await surveys.list({ limit: query.limit ?? 50, ...(query.productCode && { productCode: query.productCode }), ...(query.cursor && { cursor: query.cursor }) });
    const now = clock.now();
    const items = page.items.map(({ version: _version, ...survey }) => ({ ...survey, status: statusAt(survey, now) }));
    return { items, ...(page.nextCursor && { cursor: page.nextCursor }) };
  }

  /** The average of a product's latest survey, for its statistics (null: no survey, or no answer yet). */
  async function latestAverage(productCode: string): Promise<{ surveyId: string; average: number | null } | undefined> {
    const { latestSurveyId } = await products.counters(productCode);
    if (!latestSurveyId) return undefined;
    const found = await surveys.results(latestSurveyId);
    return found && { surveyId: latestSurveyId, average: surveyFigures(found.counts, 0).average };
  }

  return { createSurvey, results, listSurveys, latestAverage };
}

export type SurveyService = ReturnType<typeof createSurveyService>;

/** The survey windows' schedules: each closes its survey once. */
export function createSurveyWindows(deps: Pick<SurveyDeps, 'surveys' | 'unitOfWork' | 'clock' | 'ids'>) {
  const { surveys, unitOfWork, clock, ids } = deps;

  /**
   * The end of the window (its schedule): the survey is closed (a score after it gets the help
   * reply whether or not this ran: answers are checked against the window). Again: nothing more;
   * a survey whose creation failed after its schedule was made: nothing to close.
   */
  async function closeSurvey(surveyId: string): Promise<'closed' | 'already-closed' | 'no-such-survey'> {
    const survey = await surveys.get(surveyId);
    if (!survey) return 'no-such-survey';
    if (survey.status === 'closed') return 'already-closed';
    const system: Actor = { actor: 'survey-window', role: 'system', channel: 'schedule' };
    const closed: Survey = { ...survey, status: 'closed', version: survey.version + 1 };
    await unitOfWork.commit([{ kind: 'survey', survey: closed, expectedVersion: survey.version }, { kind: 'audit', record: auditRecord(system, { action: 'survey.closed', entityType: 'survey', entity: surveyId, before: { status: 'open' }, after: { status: 'closed' } }, ids.next(), clock.now().toISOString()) }]);
    return 'closed';
  }

  return { closeSurvey };
}

