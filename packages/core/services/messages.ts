import type { Actor } from '../access.ts';
import { auditRecord } from '../audit.ts';
import { composeSms, deliveryBlock } from '../delivery-rules.ts';
import { ConcurrentModificationError, ConflictError, NotFoundError, SmsRejectedError, SmsThrottledError, ValidationError } from '../errors.ts';
import type { BatchOutcome, Message, MessageSkipReason, MessageView, PublishMessageInput, RecipientBatch } from '../message.ts';
import type { Change, Clock, DeliveryQueue, DispatchTrigger, IdGenerator, MessageScheduler, SmsSender, Store } from '../ports.ts';
import { estimateSegments } from '../segments.ts';

export interface MessageDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  /** Needed by dispatch only. */
  queue?: DeliveryQueue;
  /** Needed by publish only. */
  trigger?: DispatchTrigger;
  /** Needed by sendBatch only. */
  sender?: SmsSender;
  /** Needed by publish (with sendAt) and cancel. */
  scheduler?: MessageScheduler;
  config: { signature: string; footer?: string; batchSize?: number; pageSize?: number; maxSendAttempts?: number };
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Broadcasts to a product's active subscribers: publish (record + estimate), dispatch (page the
 * audience from the sparse GSI into recipient batches for the senders) and send (re-check each
 * recipient at send time, claim one delivery per recipient, publish one SMS each, record the
 * batch's outcome once).
 */
export function createMessageService(deps: MessageDeps) {
  const { store, clock, ids, config } = deps;
  const batchSize = Math.min(config.batchSize ?? 100, 100);
  const pageSize = config.pageSize ?? 1000;
  const sleep = deps.sleep ?? defaultSleep;
  // Each function wires only the ports of the step it runs (admin API: publish; dispatcher; sender).
  const need = <T>(port: T | undefined, name: string): T => {
    if (!port) throw new Error(`The message service was built without a ${name}`);
    return port;
  };

  const compose = (message: Pick<Message, 'body' | 'smsType'>) =>
    composeSms(message.body, { signature: config.signature, promotional: message.smsType === 'Promotional', ...(config.footer && { footer: config.footer }) });

  async function publish(input: PublishMessageInput, by: Actor): Promise<MessageView> {
    const product = await store.getProduct(input.productCode);
    if (!product) throw new NotFoundError('Product', input.productCode);
    if (!product.listed) throw new ConflictError('product-not-listed', `${product.code} is not listed (下架): nothing is sent for it`);
    const now = clock.now().toISOString();
    const sendAt = input.sendAt ? new Date(input.sendAt) : undefined;
    if (sendAt && sendAt.getTime() > clock.now().getTime() + 366 * 86_400_000) {
      throw new ValidationError('sendAt is too far ahead', [{ field: 'sendAt', message: 'at most a year from now' }]);
    }
    const scheduled = !!sendAt && sendAt.toISOString() > now;
    const message: Message = {
      messageId: ids.next(),
      productCode: product.code,
      body: input.body,
      smsType: product.smsType,
      status: scheduled ? 'scheduled' : 'sending',
      ...(scheduled && { sendAt: sendAt.toISOString() }),
      createdAt: now,
      createdBy: by.actor,
      estimate: { recipients: await store.countAudience(product.code), segments: 0 },
      version: 1,
    };
    message.estimate.segments = estimateSegments(compose(message)).segments;
    // Scheduled: the schedule exists before the message is stored, so a stored scheduled message always has one.
    if (scheduled) await need(deps.scheduler, 'MessageScheduler').scheduleDispatch(message.messageId, sendAt);
    await store.commit([
      { kind: 'message', message, expectedVersion: 0 },
      audit(by, 'message.published', message.messageId, null, { productCode: message.productCode, body: message.body, estimate: message.estimate, ...(scheduled && { sendAt: message.sendAt }) }),
    ]);
    if (!scheduled) await need(deps.trigger, 'DispatchTrigger').dispatch(message.messageId);
    return view(message.messageId);
  }

  function audit(by: Actor, action: string, messageId: string, before: Record<string, unknown> | null, after: Record<string, unknown>): Change {
    return { kind: 'audit', record: auditRecord(by, { action, entityType: 'message', entity: messageId, before, after }, ids.next(), clock.now().toISOString()) };
  }

  /** Cancels a scheduled message: 409 once sending began. Its schedule is removed; nobody receives it. */
  async function cancel(messageId: string, by: Actor): Promise<void> {
    const message = await store.getMessage(messageId);
    if (!message) throw new NotFoundError('Message', messageId);
    if (message.status === 'cancelled') return;
    if (message.status !== 'scheduled') throw new ConflictError('sending-began', `Message ${messageId} is ${message.status}: it can no longer be cancelled`);
    try {
      await store.commit([
        { kind: 'message', message: { ...message, status: 'cancelled', version: message.version + 1 }, expectedVersion: message.version },
        audit(by, 'message.cancelled', messageId, { status: 'scheduled' }, { status: 'cancelled' }),
      ]);
    } catch (error) {
      // The schedule fired in between and the dispatcher took the message first.
      if (error instanceof ConcurrentModificationError) throw new ConflictError('sending-began', `Message ${messageId} began sending`, { cause: error });
      throw error;
    }
    await need(deps.scheduler, 'MessageScheduler').cancelDispatch(messageId);
  }

  /** Pages the whole audience into batches for the senders; records how many recipients there were. */
  async function dispatch(messageId: string): Promise<{ recipients: number; batches: number }> {
    let message = await store.getMessage(messageId);
    if (!message) throw new NotFoundError('Message', messageId);
    if (message.status === 'cancelled') return { recipients: 0, batches: 0 };
    if (message.status === 'scheduled') {
      // The schedule fired: take the message (a concurrent cancel and this cannot both win).
      const sending: Message = { ...message, status: 'sending', version: message.version + 1 };
      try {
        await store.commit([{ kind: 'message', message: sending, expectedVersion: message.version }]);
      } catch (error) {
        if (error instanceof ConcurrentModificationError) return dispatch(messageId);
        throw error;
      }
      message = sending;
    }
    let cursor: string | undefined;
    let recipients = 0;
    let batches = 0;
    let page = 0;
    do {
      const audience = await store.pageAudience(message.productCode, { limit: pageSize, ...(cursor && { cursor }) });
      const pageBatches: RecipientBatch[] = [];
      for (let i = 0; i < audience.items.length; i += batchSize) {
        // Deterministic batch ids: a re-run of the dispatcher makes the same batches, recorded once.
        pageBatches.push({ messageId, batchId: `${page}-${i / batchSize}`, customerIds: audience.items.slice(i, i + batchSize) });
      }
      if (pageBatches.length) await need(deps.queue, 'DeliveryQueue').enqueue(pageBatches);
      recipients += audience.items.length;
      batches += pageBatches.length;
      cursor = audience.nextCursor;
      page++;
    } while (cursor);
    await store.commit([{ kind: 'message', message: { ...message, recipients, version: message.version + 1 }, expectedVersion: message.version }]);
    return { recipients, batches };
  }

  /**
   * One recipient batch. Each recipient is claimed once per message (by whichever attempt gets
   * there first: a redelivered or concurrently processed batch claims nothing twice) and the
   * attempt that claimed it counts it as exactly one of sent, failed or skipped (with a reason).
   */
  async function sendBatch(batch: RecipientBatch): Promise<BatchOutcome> {
    const message = await store.getMessage(batch.messageId);
    if (!message) throw new NotFoundError('Message', batch.messageId);
    const outcome: BatchOutcome = { sent: 0, failed: 0, skipped: {} };
    const claimed = new Set(await store.claimDeliveries(message.messageId, batch.customerIds));
    if (claimed.size === 0) return outcome;
    // Read at send time, after the claim: an opt-out or an expiry up to this moment counts.
    const recipients = await store.getRecipients([...claimed], message.productCode);
    const now = clock.now();
    const body = compose(message);
    for (const recipient of recipients) {
      const block: MessageSkipReason | undefined = recipient.phone ? deliveryBlock(recipient.phoneState, recipient.subscription, now) : 'not-subscribed';
      if (block) outcome.skipped[block] = (outcome.skipped[block] ?? 0) + 1;
      else if (await publishWithRetry(recipient.phone!, body, message.smsType)) outcome.sent++;
      else outcome.failed++;
    }
    await store.recordBatchOutcome(message.messageId, `${batch.batchId}#${ids.next()}`, outcome);
    return outcome;
  }

  /** Throttling is retried with jittered exponential back-off a bounded number of times. */
  async function publishWithRetry(to: string, body: string, smsType: Message['smsType']): Promise<boolean> {
    const maxAttempts = config.maxSendAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      try {
        await need(deps.sender, 'SmsSender').send({ to, body, smsType });
        return true;
      } catch (error) {
        if (error instanceof SmsRejectedError) return false;
        if (!(error instanceof SmsThrottledError) || attempt >= maxAttempts) return false;
        await sleep(Math.random() * Math.min(2000, 50 * 2 ** attempt));
      }
    }
  }

  async function view(messageId: string): Promise<MessageView> {
    const message = await store.getMessage(messageId);
    if (!message) throw new NotFoundError('Message', messageId);
    const counts = await store.getMessageCounts(messageId);
    const skipped = Object.values(counts.skipped).reduce((a, b) => a + (b ?? 0), 0);
    const recipients = message.recipients ?? message.estimate.recipients;
    const done = message.recipients !== undefined && counts.sent + counts.failed + skipped === message.recipients;
    return {
      messageId,
      productCode: message.productCode,
      status: message.status === 'sending' && done ? 'sent' : message.status,
      ...(message.sendAt && { sendAt: message.sendAt }),
      estimate: message.estimate,
      counts: { recipients, sent: counts.sent, failed: counts.failed, skipped, skippedByReason: counts.skipped as Record<string, number> },
    };
  }

  return { publish, cancel, dispatch, sendBatch, view };
}

export type MessageService = ReturnType<typeof createMessageService>;
