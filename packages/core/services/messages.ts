import type { Actor } from '../access.ts';
import { auditRecord } from '../audit.ts';
import { DEFAULT_QUIET_HOURS, SEND_STATE_MAX_AGE_MS, composeSms, deliveryBlock, quietHoursRelease, type QuietHours } from '../delivery-rules.ts';
import { ConcurrentModificationError, ConflictError, NotFoundError, SmsRejectedError, SmsThrottledError, ValidationError } from '../errors.ts';
import type { BatchOutcome, Message, MessageSkipReason, MessageView, PublishMessageInput, RecipientBatch } from '../message.ts';
import type { Change, Clock, DeliveryQueue, DispatchTrigger, IdGenerator, MessageScheduler, SendBudget, SmsSender, Store } from '../ports.ts';
import { localDate } from '../time.ts';
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
  /** The account's SMS messages-per-second budget; unlimited when absent. */
  budget?: SendBudget;
  config: {
    signature: string;
    footer?: string;
    batchSize?: number;
    pageSize?: number;
    maxSendAttempts?: number;
    quietHours?: QuietHours;
    defaultTimezone?: string;
    /** Promotional SMS per client per local day; no cap when absent. */
    dailyPromotionalCap?: number;
    /** Publishes in flight per sender invocation. */
    publishConcurrency?: number;
    /** Recurring product slots messages may be queued for, with the time zone their days are counted in. */
    slots?: Array<{ name: string; timezone: string }>;
    /** Non-trading days (`YYYY-MM-DD` in the slot's zone): a slot that falls on one sends nothing, its queue waits. */
    tradingHolidays?: string[];
  };
  sleep?: (ms: number) => Promise<void>;
  /** Real elapsed time (ms) for send slots and the opt-out fence; Date.now unless a test replaces it. */
  realTime?: () => number;
}

/** A claimed recipient that may be sent to now (subject to the state read just before). */
interface Ready {
  customerId: string;
  phone: string;
  /** The client's local date, for the daily cap. */
  day: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** How long before its first slot a chunk reads its recipients' state again after a long wait. */
const READ_AHEAD_MS = 300;
/** A send slot this far in the past is not used: another one is booked. */
const LATE_SLOT_MS = 50;

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
  const realTime = deps.realTime ?? Date.now;
  const sleepUntil = async (at: number) => {
    const wait = at - realTime();
    if (wait > 0) await sleep(wait);
  };
  const quietHours = config.quietHours ?? DEFAULT_QUIET_HOURS;
  const defaultTimezone = config.defaultTimezone ?? 'Asia/Shanghai';
  const dailyCap = config.dailyPromotionalCap;
  const publishConcurrency = config.publishConcurrency ?? 16;
  // With a budget, a chunk's slots span at most half the fence, so that a read just ahead of them covers them all.
  const chunkSize = Math.max(1, Math.min(50, deps.budget ? Math.floor((deps.budget.perSecond * SEND_STATE_MAX_AGE_MS * 0.5) / 1000) : 50));
  // Each function wires only the ports of the step it runs (admin API: publish; dispatcher; sender).
  const need = <T>(port: T | undefined, name: string): T => {
    if (!port) throw new Error(`The message service was built without a ${name}`);
    return port;
  };

  const compose = (message: Pick<Message, 'body' | 'smsType'>) =>
    composeSms(message.body, { signature: config.signature, promotional: message.smsType === 'Promotional', ...(config.footer && { footer: config.footer }) });

  /**
   * Records a message and starts it (now, or a schedule for `sendAt`). `messageId` is for
   * platform messages with an identity of their own (an IPO reminder): publishing one again
   * dispatches the existing message again, which sends to nobody twice.
   */
  async function publish(input: PublishMessageInput, by: Actor, options: { messageId?: string } = {}): Promise<MessageView> {
    if (options.messageId) {
      const existing = await store.getMessage(options.messageId);
      if (existing) {
        if (existing.status === 'sending') await need(deps.trigger, 'DispatchTrigger').dispatch(existing.messageId);
        return view(existing.messageId);
      }
    }
    const product = await store.getProduct(input.productCode);
    if (!product) throw new NotFoundError('Product', input.productCode);
    if (!product.listed) throw new ConflictError('product-not-listed', `${product.code} is not listed (下架): nothing is sent for it`);
    const now = clock.now().toISOString();
    const sendAt = input.sendAt ? new Date(input.sendAt) : undefined;
    if (sendAt && sendAt.getTime() > clock.now().getTime() + 366 * 86_400_000) {
      throw new ValidationError('sendAt is too far ahead', [{ field: 'sendAt', message: 'at most a year from now' }]);
    }
    const scheduled = !!sendAt && sendAt.toISOString() > now;
    if (input.slot && !config.slots?.some((s) => s.name === input.slot)) {
      throw new ValidationError('Unknown slot', [{ field: 'slot', message: `must be one of: ${(config.slots ?? []).map((s) => s.name).join(', ') || 'no slots are configured'}` }]);
    }
    const queued = !!input.slot;
    const message: Message = {
      messageId: options.messageId ?? ids.next(),
      productCode: product.code,
      body: input.body,
      smsType: product.smsType,
      status: queued ? 'queued' : scheduled ? 'scheduled' : 'sending',
      ...(scheduled && { sendAt: sendAt.toISOString() }),
      ...(queued && { slot: input.slot }),
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
      audit(by, 'message.published', message.messageId, null, {
        productCode: message.productCode,
        body: message.body,
        estimate: message.estimate,
        ...(scheduled && { sendAt: message.sendAt }),
        ...(queued && { slot: message.slot }),
      }),
    ]);
    if (!scheduled && !queued) await need(deps.trigger, 'DispatchTrigger').dispatch(message.messageId);
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
    if (message.status !== 'scheduled' && message.status !== 'queued') throw new ConflictError('sending-began', `Message ${messageId} is ${message.status}: it can no longer be cancelled`);
    try {
      await store.commit([
        { kind: 'message', message: { ...message, status: 'cancelled', version: message.version + 1 }, expectedVersion: message.version },
        audit(by, 'message.cancelled', messageId, { status: message.status }, { status: 'cancelled' }),
      ]);
    } catch (error) {
      // The schedule fired in between and the dispatcher took the message first.
      if (error instanceof ConcurrentModificationError) throw new ConflictError('sending-began', `Message ${messageId} began sending`, { cause: error });
      throw error;
    }
    if (message.status === 'scheduled') await need(deps.scheduler, 'MessageScheduler').cancelDispatch(messageId);
  }

  /**
   * A product slot's schedule fired: every message queued for it starts sending, unless the
   * slot's day is a non-trading day (then they wait for the next occurrence).
   */
  async function releaseSlot(slot: string, scheduledTime: Date): Promise<{ slot: string; day: string; holiday: boolean; released: string[] }> {
    const definition = config.slots?.find((s) => s.name === slot);
    if (!definition) throw new ValidationError('Unknown slot', [{ field: 'slot', message: `no slot ${slot} is configured` }]);
    const day = localDate(scheduledTime, definition.timezone);
    if (config.tradingHolidays?.includes(day)) return { slot, day, holiday: true, released: [] };
    const released = [];
    for (const message of await store.listQueuedMessages(slot)) {
      try {
        await store.commit([{ kind: 'message', message: { ...message, status: 'sending', version: message.version + 1 }, expectedVersion: message.version }]);
      } catch (error) {
        // Cancelled (or released by a concurrent run) in between: not ours to send.
        if (error instanceof ConcurrentModificationError) continue;
        throw error;
      }
      await need(deps.trigger, 'DispatchTrigger').dispatch(message.messageId);
      released.push(message.messageId);
    }
    return { slot, day, holiday: false, released };
  }

  /**
   * Pages the whole audience into batches for the senders and records how many recipients there
   * were; with `releaseAt`, queues instead the recipients quiet hours held until then.
   */
  async function dispatch(messageId: string, releaseAt?: string): Promise<{ recipients: number; batches: number }> {
    let message = await store.getMessage(messageId);
    if (!message) throw new NotFoundError('Message', messageId);
    if (releaseAt) return dispatchRelease(message, releaseAt);
    if (message.status === 'cancelled') return { recipients: 0, batches: 0 };
    if (message.status === 'queued') throw new ConflictError('queued-for-slot', `Message ${messageId} waits for its slot`);
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
      // Deterministic batch ids: a re-run of the dispatcher makes the same batches, recorded once.
      const pageBatches = toBatches(message, audience.items, `${page}`);
      if (pageBatches.length) await need(deps.queue, 'DeliveryQueue').enqueue(pageBatches);
      recipients += audience.items.length;
      batches += pageBatches.length;
      cursor = audience.nextCursor;
      page++;
    } while (cursor);
    await store.commit([{ kind: 'message', message: { ...message, recipients, version: message.version + 1 }, expectedVersion: message.version }]);
    return { recipients, batches };
  }

  async function dispatchRelease(message: Message, releaseAt: string): Promise<{ recipients: number; batches: number }> {
    const held = await store.listDeferred(message.messageId, releaseAt);
    const batches = toBatches(message, held, `release-${releaseAt}`).map((b) => ({ ...b, releaseAt }));
    if (batches.length) await need(deps.queue, 'DeliveryQueue').enqueue(batches);
    return { recipients: held.length, batches: batches.length };
  }

  function toBatches(message: Message, customerIds: string[], prefix: string): RecipientBatch[] {
    const batches: RecipientBatch[] = [];
    const text = compose(message);
    for (let i = 0; i < customerIds.length; i += batchSize) {
      batches.push({
        messageId: message.messageId,
        batchId: `${prefix}-${i / batchSize}`,
        customerIds: customerIds.slice(i, i + batchSize),
        productCode: message.productCode,
        smsType: message.smsType,
        text,
      });
    }
    return batches;
  }

  /**
   * One recipient batch. Each recipient is claimed once per message (by whichever attempt gets
   * there first: a redelivered or concurrently processed batch claims nothing twice) and the
   * attempt that claimed it counts it as exactly one of sent, failed, skipped (with a reason)
   * or deferred (quiet hours; its release claims it once more and moves it out of deferred).
   */
  async function sendBatch(batch: RecipientBatch): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { sent: 0, failed: 0, skipped: {}, deferred: 0 };
    const claimed = await store.claimDeliveries(batch.messageId, batch.customerIds, batch.releaseAt ? 'release' : 'send');
    if (claimed.length === 0) return outcome;
    if (batch.releaseAt) outcome.deferred -= claimed.length;
    const skip = (reason: MessageSkipReason) => void (outcome.skipped[reason] = (outcome.skipped[reason] ?? 0) + 1);
    // A release is evaluated at its release instant (the local scheduler's clock may be ahead of real time).
    const at = new Date(Math.max(clock.now().getTime(), batch.releaseAt ? Date.parse(batch.releaseAt) : 0));
    const promotional = batch.smsType === 'Promotional';

    const held = new Map<string, string[]>();
    const ready: Ready[] = [];
    for (const profile of await store.getRecipientProfiles(claimed)) {
      if (!profile.phone) {
        skip('not-subscribed');
        continue;
      }
      const timezone = profile.timezone ?? defaultTimezone;
      // Quiet hours hold promotional messages back (never drop them); a release is not held again.
      const release = promotional && !batch.releaseAt ? quietHoursRelease(at, timezone, quietHours) : undefined;
      if (release) held.set(release.toISOString(), [...(held.get(release.toISOString()) ?? []), profile.customerId]);
      else ready.push({ customerId: profile.customerId, phone: profile.phone, day: localDate(at, timezone) });
    }

    // The daily cap is counted before sending and given back for whoever then gets nothing.
    let counted = ready;
    if (promotional && dailyCap !== undefined && ready.length) {
      const granted = new Set(await store.reserveDailyCap(ready.map(({ customerId, day }) => ({ customerId, day })), dailyCap));
      counted = ready.filter((r) => granted.has(r.customerId));
      for (let i = counted.length; i < ready.length; i++) skip('capped');
    }
    const unsent: Ready[] = [];
    // One booking of send slots for the batch (one request), used chunk after chunk.
    const firstSlot = deps.budget && counted.length ? await deps.budget.reserve(counted.length) : undefined;
    for (let i = 0; i < counted.length; i += chunkSize) {
      const chunkStart = firstSlot === undefined ? undefined : firstSlot + (i * 1000) / deps.budget!.perSecond;
      await sendChunk(batch, counted.slice(i, i + chunkSize), at, outcome, skip, unsent, chunkStart);
    }

    const recordId = `${batch.batchId}#${ids.next()}`;
    for (const [releaseAt, customerIds] of held) {
      await store.recordDeferred(batch.messageId, releaseAt, recordId, customerIds);
      await need(deps.scheduler, 'MessageScheduler').scheduleRelease(batch.messageId, new Date(releaseAt));
      outcome.deferred += customerIds.length;
    }
    const giveBack = promotional && dailyCap !== undefined ? unsent.map(({ customerId, day }) => ({ customerId, day })) : [];
    await store.recordBatchOutcome(batch.messageId, recordId, outcome, giveBack);
    return outcome;
  }

  /**
   * Sends a few recipients: books their send slots in the MPS budget, waits for the first, then
   * reads their opt-out and subscription state and publishes within SEND_STATE_MAX_AGE_MS of
   * that read (the opt-out fence; a publish that comes later, e.g. a throttling retry, reads again).
   */
  async function sendChunk(
    batch: RecipientBatch,
    chunk: Ready[],
    at: Date,
    outcome: BatchOutcome,
    skip: (r: MessageSkipReason) => void,
    unsent: Ready[],
    firstSlot: number | undefined,
  ) {
    // Slots are booked first (per batch), the state is read just ahead of the chunk's first slot:
    // the read is fresh for the whole chunk (its slots span at most half the fence) and no
    // booked slot is spent waiting for it.
    const budget = deps.budget;
    const slots: number[] = [];
    if (budget && firstSlot !== undefined) {
      for (let j = 0; j < chunk.length; j++) slots.push(firstSlot + (j * 1000) / budget.perSecond);
      await sleepUntil(slots[0]! - READ_AHEAD_MS);
    }
    let readAt = realTime();
    let states = await store.getSendStates(batch.productCode, chunk);
    let refreshing: Promise<void> | undefined;
    const refresh = () =>
      (refreshing ??= store.getSendStates(batch.productCode, chunk).then((fresh) => {
        states = fresh;
        readAt = realTime();
        refreshing = undefined;
      }));
    const cleared = async (r: Ready): Promise<MessageSkipReason | undefined> => {
      // Too old for the fence (a throttling retry much later): read the chunk again, once.
      if (realTime() - readAt > SEND_STATE_MAX_AGE_MS) await refresh();
      const state = states.get(r.customerId);
      return deliveryBlock({ phone: r.phone, optedOut: state?.optedOut ?? false }, state?.subscription, at);
    };

    // A slot that has passed (the sender fell behind) is never used late, which would overlap the
    // next sender's slots and exceed the budget: the rest of the chunk is booked again, once.
    // A retry beyond the chunk's slots books one more.
    let rebooking: Promise<void> | undefined;
    const slot = async (): Promise<void> => {
      if (!budget) return;
      for (;;) {
        if (rebooking) await rebooking;
        const next = slots[0];
        if (next !== undefined && realTime() - next > LATE_SLOT_MS) {
          rebooking ??= budget.reserve(slots.length).then((start) => {
            slots.splice(0, slots.length, ...slots.map((_, j) => start + (j * 1000) / budget.perSecond));
            rebooking = undefined;
          });
          continue;
        }
        const mine = slots.shift() ?? (await budget.reserve(1));
        if (mine + LATE_SLOT_MS - readAt > SEND_STATE_MAX_AGE_MS) {
          // The read would be too old at this slot: read again just ahead of it, not after it.
          await sleepUntil(mine - READ_AHEAD_MS);
          await refresh();
        }
        await sleepUntil(mine);
        // Woken late (a stalled event loop, a slow read): the slot is gone; take another.
        if (realTime() - mine <= LATE_SLOT_MS) return;
      }
    };

    const queue = [...chunk];
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const result = await publishWithRetry(r, batch, cleared, slot);
        if (result === 'sent') outcome.sent++;
        else {
          unsent.push(r);
          if (result === 'failed') outcome.failed++;
          else skip(result);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(publishConcurrency, chunk.length) }, worker));
  }

  /** Throttling is retried with jittered exponential back-off a bounded number of times. */
  async function publishWithRetry(
    r: Ready,
    batch: RecipientBatch,
    cleared: (r: Ready) => Promise<MessageSkipReason | undefined>,
    slot: () => Promise<void>,
  ): Promise<'sent' | 'failed' | MessageSkipReason> {
    const maxAttempts = config.maxSendAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 || deps.budget) {
        // Not before the state read says the recipient may still get it; checked again after the wait.
        const block = await cleared(r);
        if (block) return block;
        await slot();
      }
      const block = await cleared(r);
      if (block) return block;
      try {
        await need(deps.sender, 'SmsSender').send({ to: r.phone, body: batch.text, smsType: batch.smsType });
        return 'sent';
      } catch (error) {
        if (error instanceof SmsRejectedError) return 'failed';
        if (!(error instanceof SmsThrottledError) || attempt >= maxAttempts) return 'failed';
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
    const done = message.recipients !== undefined && counts.deferred === 0 && counts.sent + counts.failed + skipped === message.recipients;
    return {
      messageId,
      productCode: message.productCode,
      status: message.status === 'sending' && done ? 'sent' : message.status,
      ...(message.sendAt && { sendAt: message.sendAt }),
      ...(message.slot && { slot: message.slot }),
      estimate: message.estimate,
      counts: { recipients, sent: counts.sent, failed: counts.failed, skipped, deferred: counts.deferred, skippedByReason: counts.skipped as Record<string, number> },
    };
  }

  return { publish, cancel, releaseSlot, dispatch, sendBatch, view };
}

export type MessageService = ReturnType<typeof createMessageService>;
