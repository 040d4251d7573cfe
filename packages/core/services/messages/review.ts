import type { Actor } from '../../access.ts';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../../errors.ts';
import type { Message, MessageView, ReviewDecisionInput } from '../../message.ts';
import { retry, sleep as realSleep, type Sleep } from '../../retry.ts';
import { goingOut, messageAudit, type MessagePublisherDeps } from './publisher.ts';
import { approvalsRequired, viewMessage } from './text.ts';

/**
 * Compliance review (maker-checker) of messages held for it. Each decision is bound to the exact
 * text the reviewer saw (its contentHash) and decided by one conditional write on the message:
 * two approvals at once make one transition; an edit in between makes the decision a 409
 * (`content-changed`: review the new text). The author never reviews their own message; a
 * reviewer decides once per version of the text; from `twoApproversFrom` recipients (counted
 * now) two different reviewers must approve. Approved, it goes on as if just published.
 */
export function createMessageReview(deps: Omit<MessagePublisherDeps, 'config' | 'smsLog'> & { config: Pick<MessagePublisherDeps['config'], 'text' | 'review'>; sleep?: Sleep }) {
  const { messages, audience, unitOfWork, scheduler, trigger, clock, config } = deps;

  async function review(messageId: string, input: ReviewDecisionInput, by: Actor): Promise<MessageView> {
    let seenHash: string | undefined;
    const decided = await retry(
      async () => {
        const message = await messages.get(messageId);
        if (!message) throw new NotFoundError('Message', messageId);
        // Who may decide comes first, whatever the decisions since did to the status: the author
        // never; a reviewer once per version of the text (approved and gone, or rejected, alike).
        if (message.createdBy === by.actor) throw new ConflictError('self-review', 'The author of a message may not review it');
        const reviews = message.reviews ?? [];
        if (reviews.some((r) => r.reviewer === by.actor && r.contentHash === message.contentHash)) {
          throw new ConflictError('already-reviewed', `${by.actor} has already decided on this text of message ${messageId}`);
        }
        if (message.status !== 'pending-review') throw new ConflictError('not-pending-review', `Message ${messageId} is ${message.status}, not pending review`);
        const hash = message.contentHash!;
        seenHash ??= hash;
        if (hash !== seenHash) throw new ConflictError('content-changed', `Message ${messageId} was edited while it was reviewed: review the new text`);
        const now = clock.now();
        const record = { reviewer: by.actor, decision: input.decision, ...(input.note && { note: input.note }), contentHash: hash, at: now.toISOString() };
        const next: Message = { ...message, reviews: [...reviews, record], version: message.version + 1 };
        let out: ReturnType<typeof goingOut> | undefined;
        let required = 1;
        if (input.decision === 'reject') {
          Object.assign(next, { status: 'rejected', approvals: [] });
        } else {
          next.approvals = [...(message.approvals ?? []), by.actor];
          required = approvalsRequired(await audience.count(message.productCode), config.review);
          if (next.approvals.length >= required) {
            out = goingOut(next, now);
            Object.assign(next, { status: out.status, approvedHash: hash });
            if (!out.sendAt && out.status === 'sending') delete next.sendAt;
          }
        }
        if (out?.sendAt) await scheduler.scheduleDispatch(messageId, out.sendAt);
        await unitOfWork.commit([
          { kind: 'message', message: next, expectedVersion: message.version },
          messageAudit(deps, by, input.decision === 'approve' ? 'message.approved' : 'message.rejected', messageId, { status: message.status }, {
            status: next.status,
            contentHash: hash,
            ...(input.note && { note: input.note }),
            ...(input.decision === 'approve' && { approvals: next.approvals, approvalsRequired: required }),
          }),
        ]);
        return next;
      },
      // Another reviewer (or an edit) wrote first: read again; a changed text stops it above.
      { maxAttempts: 20, baseMs: 5, capMs: 200, retryable: (error) => error instanceof ConcurrentModificationError, sleep: deps.sleep ?? realSleep },
    );
    if (decided.status === 'sending') await trigger.dispatch(messageId);
    return viewMessage(messages, messageId, config, clock);
  }

  return { review };
}

export type MessageReview = ReturnType<typeof createMessageReview>;
