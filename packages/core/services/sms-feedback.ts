import { caseText, shortCaseId, type Case } from '../cases.ts';
import type { CaseCommand, Language } from '../keywords.ts';
import type { Change } from '../ports/changes.ts';
import type { PhoneState, ProductRepository } from '../ports/repositories.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import { smsTexts } from '../sms-texts.ts';
import { addHours } from '../time.ts';
import { FOLLOW_UP_AT_OR_BELOW, surveyToAnswer, type Score } from '../surveys.ts';

export interface FeedbackConfig {
  /** How soon a complaint is answered (the reply promises it; the case is due then). */
  complaintResponseHours: number;
  /** How soon the follow-up call (回访) of a low score is due. */
  followUpHours: number;
}

/** What one feedback SMS does: its changes (with the caller's audit record) and its reply. */
export interface FeedbackPlan {
  changes: Change[];
  reply: string;
}

type Audit = (after?: Record<string, unknown>) => Change;

/**
 * Client feedback by SMS (FK, JY, TS, survey scores), planned for the SMS service: each opens a
 * case or records a score in the transaction of the inbound message, and has exactly one reply.
 */
export function createFeedbackPlanner(deps: { products: ProductRepository; clock: Clock; ids: IdGenerator; config: FeedbackConfig }) {
  const { products, clock, ids, config } = deps;

  function newCase(fields: Pick<Case, 'kind' | 'customerId' | 'phone'> & Partial<Case>): Case {
    const now = clock.now();
    return { caseId: shortCaseId(ids.next()), status: 'open', openedAt: now.toISOString(), version: 1, ...fields };
  }

  /** FK <CODE> <text>, JY <text>, TS <text>: a case with the client's words (cut at 500), or the format when something is missing. */
  async function planCase(command: { kind: CaseCommand; productCode?: string; text: string }, phone: PhoneState & { customerId: string }, l: Language, audit: Audit): Promise<FeedbackPlan> {
    const text = caseText(command.text);
    const product = command.kind === 'feedback' && command.productCode ? await products.get(command.productCode) : undefined;
    if (!text || (command.kind === 'feedback' && !product)) {
      return { changes: [audit({ refused: !text ? 'empty-text' : 'no-such-product', ...(command.productCode && { productCode: command.productCode }) })], reply: smsTexts.caseFormat(command.kind, l) };
    }
    const now = clock.now();
    const opened = newCase({
      kind: command.kind,
      customerId: phone.customerId,
      phone: phone.phone,
      text,
      language: l,
      ...(product && { productCode: product.code }),
      ...(command.kind === 'complaint' && { dueAt: addHours(now, config.complaintResponseHours).toISOString() }),
    });
    const changes: Change[] = [{ kind: 'case', case: opened, expectedVersion: 0 }, audit({ caseId: opened.caseId, ...(product && { productCode: product.code }) })];
    if (product) changes.push({ kind: 'product-counter', productCode: product.code, counter: 'feedback' });
    const reply =
      command.kind === 'feedback'
        ? smsTexts.feedbackReceived(product!, l)
        : command.kind === 'suggestion'
          ? smsTexts.suggestionReceived(l)
          : smsTexts.complaintReceived(opened.caseId, config.complaintResponseHours, l);
    return { changes, reply };
  }

  /**
   * A score: recorded once, on the most recently sent survey still open for this number (a later
   * score is thanked and ignored); 1 or 2 opens a follow-up case. No open survey: the help reply.
   */
  function planScore(score: Score, phone: PhoneState & { customerId: string }, l: Language, audit: Audit): FeedbackPlan {
    const now = clock.now();
    const invitation = surveyToAnswer((phone.surveys ?? []).filter((s) => s.customerId === phone.customerId), now);
    if (!invitation) return { changes: [audit({ score, noOpenSurvey: true })], reply: smsTexts.help(l) };
    if (invitation.answeredAt) return { changes: [audit({ score, surveyId: invitation.surveyId, alreadyAnswered: true })], reply: smsTexts.scoreAlreadyRecorded(l) };
    const changes: Change[] = [{ kind: 'survey-answer', phone: phone.phone, surveyId: invitation.surveyId, customerId: phone.customerId, score, at: now.toISOString() }];
    if (score <= FOLLOW_UP_AT_OR_BELOW) {
      const followUp = newCase({
        kind: 'follow-up',
        customerId: phone.customerId,
        phone: phone.phone,
        productCode: invitation.productCode,
        score,
        surveyId: invitation.surveyId,
        dueAt: addHours(now, config.followUpHours).toISOString(),
      });
      changes.push({ kind: 'case', case: followUp, expectedVersion: 0 }, audit({ score, surveyId: invitation.surveyId, followUpCaseId: followUp.caseId }));
    } else {
      changes.push(audit({ score, surveyId: invitation.surveyId }));
    }
    return { changes, reply: smsTexts.scoreThanks(l) };
  }

  return { planCase, planScore };
}
