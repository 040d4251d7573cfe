import { authorisingRole, type Actor } from '../access.ts';
import { auditRecord } from '../audit.ts';
import { CASE_KINDS, caseView, isOverdue, type Case, type CaseKind, type CaseView, type CloseCaseInput, type ListCasesQuery } from '../cases.ts';
import { ConcurrentModificationError, ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import type { Change } from '../ports/changes.ts';
import type { CaseRepository, OperationRepository, PhoneRepository, SmsLogRepository, UnitOfWork } from '../ports/repositories.ts';
import type { SmsSender } from '../ports/delivery.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import { retry, sleep as realSleep, type Sleep } from '../retry.ts';
import { smsTexts } from '../sms-texts.ts';
import type { PointsService } from './points.ts';
import { createReplySender } from './retrying-sms-sender.ts';

export interface CaseDeps {
  cases: CaseRepository;
  phones: PhoneRepository;
  operations: OperationRepository;
  smsLog: SmsLogRepository;
  unitOfWork: UnitOfWork;
  points: PointsService;
  sender: SmsSender;
  clock: Clock;
  ids: IdGenerator;
  sleep?: Sleep;
  config: { signature: string };
}

/** Contenders for one case (two closes at once) plan again, quickly. */
const CLOSE_RETRIES = { maxAttempts: 10, baseMs: 5, capMs: 200 };

/**
 * Cases for staff: the lists (product managers see feedback only) and closing with a resolution.
 * Closing a complaint texts the client its resolution (never to an opted-out number); closing a
 * suggestion may award the suggestion bonus, once per case however often the close is sent.
 */
export function createCaseService(deps: CaseDeps) {
  const { cases, phones, unitOfWork, clock, ids, config } = deps;
  const sleep = deps.sleep ?? realSleep;
  const reply = createReplySender({ sender: deps.sender, smsLog: deps.smsLog, clock, sleep, signature: config.signature });

  async function listCases(query: ListCasesQuery, by: Actor): Promise<{ items: CaseView[]; cursor?: string }> {
    // Product managers read the feedback on their products, not clients' complaints.
    const feedbackOnly = readsFeedbackOnly(by);
    if (feedbackOnly && query.kind && query.kind !== 'feedback') throw new ForbiddenError(`The ${by.role} role may read feedback cases only`);
    const kinds: CaseKind[] = feedbackOnly ? ['feedback'] : query.kind ? [query.kind] : [...CASE_KINDS];
    if (query.customerId) return listForCustomer(query.customerId, kinds, query);
    const page = await cases.list({
      kinds: query.overdue ? kinds.filter((k) => k === 'complaint' || k === 'follow-up') : kinds,
      ...(query.status && { status: query.status }),
      ...(query.productCode && { productCode: query.productCode }),
      ...(query.overdue && { overdueAt: clock.now().toISOString() }),
      limit: query.limit ?? 50,
      ...(query.cursor && { cursor: query.cursor }),
    });
    // Overdue is open by definition: a closed-status filter with it lists nothing.
    const items = query.overdue && query.status === 'closed' ? [] : page.items.map(caseView);
    return { items, ...(page.nextCursor && items.length && { cursor: page.nextCursor }) };
  }

  /** A client has few cases: a page of them, newest first, narrowed by the other filters. */
  async function listForCustomer(customerId: string, kinds: CaseKind[], query: ListCasesQuery): Promise<{ items: CaseView[]; cursor?: string }> {
    const page = await cases.listForCustomer(customerId, { limit: query.limit ?? 50, ...(query.cursor && { cursor: query.cursor }) });
    const now = clock.now();
    const items = page.items.filter(
      (c) =>
        kinds.includes(c.kind) &&
        (!query.status || c.status === query.status) &&
        (!query.productCode || c.productCode === query.productCode) &&
        (!query.overdue || isOverdue(c, now)),
    );
    return { items: items.map(caseView), ...(page.nextCursor && { cursor: page.nextCursor }) };
  }

  /** Product managers read the feedback on their products, not clients' complaints. */
  function readsFeedbackOnly(by: Actor): boolean {
    return by.role !== 'system' && by.role !== 'client' && !authorisingRole([by.role], 'cases', 'read');
  }

  /** One case, as `by` may read it: product managers a feedback case only (like the list). */
  async function readCase(caseId: string, by: Actor): Promise<CaseView> {
    const found = await getCase(caseId);
    if (readsFeedbackOnly(by) && found.kind !== 'feedback') throw new ForbiddenError(`The ${by.role} role may read feedback cases only`);
    return caseView(found);
  }

  async function getCase(caseId: string): Promise<Case> {
    const found = await cases.get(caseId);
    if (!found) throw new NotFoundError('Case', caseId);
    return found;
  }

  /** Whether a closed case was closed as `input` asks (a bonus paid exactly when one is asked for). */
  function sameClose(closed: Case, input: CloseCaseInput): boolean {
    return closed.resolution === input.resolution && (closed.bonusAwarded !== undefined) === (input.awardSuggestionBonus === true);
  }

  /** The close of `current`, or a ConflictError when it is closed already (another close won). */
  function closing(current: Case, input: CloseCaseInput, by: Actor, resolutionSms: Case['resolutionSms'], bonus?: number): Change[] {
    if (current.status === 'closed') throw new ConflictError('already-closed', `Case ${current.caseId} is closed`);
    const at = clock.now().toISOString();
    const closed: Case = {
      ...current,
      status: 'closed',
      closedAt: at,
      closedBy: by.actor,
      resolution: input.resolution,
      ...(resolutionSms && { resolutionSms }),
      ...(bonus !== undefined && { bonusAwarded: bonus }),
      version: current.version + 1,
    };
    return [
      { kind: 'case', case: closed, expectedVersion: current.version },
      {
        kind: 'audit',
        record: auditRecord(
          by,
          { action: 'case.closed', entityType: 'case', entity: current.caseId, before: { status: 'open' }, after: { status: 'closed', resolution: input.resolution, ...(resolutionSms && { resolutionSms }), ...(bonus !== undefined && { bonusAwarded: bonus }) } },
          ids.next(),
          at,
        ),
      },
    ];
  }

  async function closeCase(caseId: string, input: CloseCaseInput, by: Actor): Promise<CaseView> {
    const first = await getCase(caseId);
    if (input.awardSuggestionBonus && first.kind !== 'suggestion') {
      throw new ConflictError('not-a-suggestion', `Case ${caseId} is a ${first.kind}: only a suggestion earns the suggestion bonus`);
    }
    // A close sent again (same resolution, same bonus decision) answers with the case as closed:
    // nothing happens twice. Another resolution, or asking now for a bonus the close did not pay
    // (or the reverse), is a different close: 409.
    if (first.status === 'closed') {
      if (sameClose(first, input)) return caseView(first);
      throw new ConflictError('already-closed', `Case ${caseId} was closed with another resolution${first.resolution === input.resolution ? ' and bonus decision' : ''}`);
    }
    const phone = first.kind === 'complaint' ? await phones.getState(first.phone) : undefined;
    const resolutionSms = phone ? (phone.optedOut ? 'opted-out' : 'sent') : undefined;

    let closedNow = false;
    try {
      await retry(
        async () => {
          if (input.awardSuggestionBonus) {
            const { replayed } = await deps.points.creditSuggestionBonus(first.customerId, caseId, by, async () => closing(await getCase(caseId), input, by, undefined, deps.points.suggestionBonus()));
            closedNow = !replayed;
          } else {
            await unitOfWork.commit(closing(await getCase(caseId), input, by, resolutionSms));
            closedNow = true;
          }
        },
        { ...CLOSE_RETRIES, retryable: (error) => error instanceof ConcurrentModificationError, sleep },
      );
    } catch (error) {
      // Closed meanwhile by another request: the same resolution is that request's answer too.
      if (!(error instanceof ConflictError) || error.reason !== 'already-closed') throw error;
      const now = await getCase(caseId);
      if (sameClose(now, input)) return caseView(now);
      throw error;
    }
    const closed = await getCase(caseId);
    if (closedNow && resolutionSms === 'sent') await textResolution(closed);
    return caseView(closed);
  }

  /** The complaint's resolution to the client: transactional, signed, recorded as a reply. */
  async function textResolution(c: Case): Promise<void> {
    await reply({ to: c.phone, text: smsTexts.complaintResolved(c.caseId, c.resolution ?? '', c.language ?? 'zh'), customerId: c.customerId });
  }

  return { listCases, getCase: async (caseId: string) => caseView(await getCase(caseId)), readCase, closeCase };
}

export type CaseService = ReturnType<typeof createCaseService>;
