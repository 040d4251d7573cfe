import { ConcurrentModificationError, ConflictError, NotFoundError } from '../../errors.ts';
import type { Message, RecipientBatch } from '../../message.ts';
import type { DeliveryQueue } from '../../ports/delivery.ts';
import type { AudienceRepository, DeliveryRepository, MessageRepository, UnitOfWork } from '../../ports/repositories.ts';
import { contentHash, messageText, type MessageTextConfig } from './text.ts';

export interface MessageDispatcherDeps {
  messages: MessageRepository;
  audience: AudienceRepository;
  deliveries: DeliveryRepository;
  unitOfWork: UnitOfWork;
  queue: DeliveryQueue;
  config: {
    text: MessageTextConfig;
    /** Recipients per batch on the queue (at most 100: one claim transaction). */
    batchSize?: number;
    /** Audience ids read per query page. */
    pageSize?: number;
  };
}

/**
 * The dispatcher: pages a message's whole audience from the sparse audience index into recipient
 * batches for the senders, and records how many recipients there were; with `releaseAt`, queues
 * instead the recipients quiet hours held until then.
 */
export function createMessageDispatcher(deps: MessageDispatcherDeps) {
  const { messages, audience, deliveries, unitOfWork, queue, config } = deps;
  const batchSize = Math.min(config.batchSize ?? 100, 100);
  const pageSize = config.pageSize ?? 1000;

  async function dispatch(messageId: string, releaseAt?: string): Promise<{ recipients: number; batches: number }> {
    let message = await messages.get(messageId);
    if (!message) throw new NotFoundError('Message', messageId);
    if (releaseAt) return dispatchRelease(message, releaseAt);
    // Not (or no longer) cleared to go: cancelled, held for review, rejected. A schedule that fires
    // for an approved message edited since then finds it back under review, and sends nothing.
    if (message.status === 'cancelled' || message.status === 'pending-review' || message.status === 'rejected') return { recipients: 0, batches: 0 };
    if (message.status === 'queued') throw new ConflictError('queued-for-slot', `Message ${messageId} waits for its slot`);
    if (message.status === 'scheduled') {
      // The schedule fired: take the message (a concurrent cancel and this cannot both win).
      const sending: Message = { ...message, status: 'sending', version: message.version + 1 };
      try {
        await unitOfWork.commit([{ kind: 'message', message: sending, expectedVersion: message.version }]);
      } catch (error) {
        if (error instanceof ConcurrentModificationError) return dispatch(messageId);
        throw error;
      }
      message = sending;
    }
    // Only the text compliance approved goes out (approval is bound to the composed text's hash).
    if (message.reviewRequired && message.approvedHash !== contentHash(messageText(message, config.text))) {
      throw new ConflictError('not-approved', `Message ${messageId} is not approved as it reads now`);
    }
    let cursor: string | undefined;
    let recipients = 0;
    let batches = 0;
    let page = 0;
    do {
      const ids = await audience.page(message.productCode, { limit: pageSize, ...(cursor && { cursor }) });
      // Deterministic batch ids: a re-run of the dispatcher makes the same batches, recorded once.
      const pageBatches = toBatches(message, ids.items, `${page}`);
      if (pageBatches.length) await queue.enqueue(pageBatches);
      recipients += ids.items.length;
      batches += pageBatches.length;
      cursor = ids.nextCursor;
      page++;
    } while (cursor);
    await unitOfWork.commit([{ kind: 'message', message: { ...message, recipients, version: message.version + 1 }, expectedVersion: message.version }]);
    return { recipients, batches };
  }

  async function dispatchRelease(message: Message, releaseAt: string): Promise<{ recipients: number; batches: number }> {
    const held = await deliveries.listDeferred(message.messageId, releaseAt);
    const batches = toBatches(message, held, `release-${releaseAt}`).map((b) => ({ ...b, releaseAt }));
    if (batches.length) await queue.enqueue(batches);
    return { recipients: held.length, batches: batches.length };
  }

  /** Each batch carries the composed text, so that a batch costs the sender no read of the message. */
  function toBatches(message: Message, customerIds: string[], prefix: string): RecipientBatch[] {
    const text = messageText(message, config.text);
    const batches: RecipientBatch[] = [];
    for (let i = 0; i < customerIds.length; i += batchSize) {
      batches.push({
        messageId: message.messageId,
        kind: message.kind ?? 'broadcast',
        ...(message.survey && { survey: message.survey }),
        batchId: `${prefix}-${i / batchSize}`,
        customerIds: customerIds.slice(i, i + batchSize),
        productCode: message.productCode,
        smsType: message.smsType,
        text,
      });
    }
    return batches;
  }

  return { dispatch };
}

export type MessageDispatcher = ReturnType<typeof createMessageDispatcher>;
