import type { Actor } from '../../access.ts';
import { auditRecord } from '../../audit.ts';
import { findContentViolations, type ContentRules } from '../../content-rules.ts';
import { ConcurrentModificationError, ConflictError, ContentViolationError, NotFoundError, ValidationError } from '../../errors.ts';
import type { ListMessagesQuery, Message, MessageKind, MessageView, PatchMessageInput, PublishMessageInput } from '../../message.ts';
import type { Change } from '../../ports/changes.ts';
import type { DispatchScheduler, DispatchTrigger } from '../../ports/delivery.ts';
import type { AudienceRepository, MessageRepository, Page, ProductRepository, SmsLogRepository, UnitOfWork } from '../../ports/repositories.ts';
import type { SmsStatus } from '../../receipts.ts';
import type { Clock, IdGenerator } from '../../ports/system.ts';
import { reviewPolicy, type Product } from '../../product.ts';
import { assertWithinSegments, contentHash, messageText, viewMessage, type MessageTextConfig, type ReviewRules } from './text.ts';

/** What recording and starting a message needs, for staff (admin API) and platform messages (IPO reminders) alike. */
export interface MessageRecordingDeps {
  products: ProductRepository;
  messages: MessageRepository;
  audience: AudienceRepository;
  unitOfWork: UnitOfWork;
  trigger: DispatchTrigger;
  clock: Clock;
  ids: IdGenerator;
  config: { text: MessageTextConfig; review: ReviewRules; receiptWaitHours?: number };
}

export interface MessagePublisherDeps extends MessageRecordingDeps {
  scheduler: DispatchScheduler;
  /** Each recipient's SMS, for the recipients by status. */
  smsLog: SmsLogRepository;
  config: {
    text: MessageTextConfig;
    review: ReviewRules;
    /** After how long a sent SMS without a receipt counts as overdue (default 72 hours). */
    receiptWaitHours?: number;
    /** Phrases no message may contain (promised returns, insider claims...). */
    contentRules: ContentRules;
    /** Recurring product slots messages may be queued for. */
    slots: Array<{ name: string; timezone: string }>;
  };
}

const YEAR_MS = 366 * 86_400_000;

/** The product a message goes to: it must exist and be listed. */
async function listedProduct(products: ProductRepository, code: string): Promise<Product> {
  const product = await products.get(code);
  if (!product) throw new NotFoundError('Product', code);
  if (!product.listed) throw new ConflictError('product-not-listed', `${product.code} is not listed (下架): nothing is sent for it`);
  return product;
}

export function messageAudit(deps: Pick<MessageRecordingDeps, 'clock' | 'ids'>, by: Actor, action: string, messageId: string, before: Record<string, unknown> | null, after: Record<string, unknown>): Change {
  return { kind: 'audit', record: auditRecord(by, { action, entityType: 'message', entity: messageId, before, after }, deps.ids.next(), deps.clock.now().toISOString()) };
}

/** The message's text, its hash and its segments (refused over the segment limit). */
function composed(message: Pick<Message, 'body' | 'smsType' | 'adviser'>, text: MessageTextConfig) {
  const sms = messageText(message, text);
  return { contentHash: contentHash(sms), segments: assertWithinSegments(sms, text.maxSegments, 'body') };
}

/** The message record with its estimate (recipients now, SMS segments of the composed text). */
async function newMessage(deps: MessageRecordingDeps, product: Product, fields: Omit<Message, 'productCode' | 'smsType' | 'createdAt' | 'estimate' | 'version'>): Promise<Message> {
  const message: Message = {
    ...fields,
    productCode: product.code,
    smsType: product.smsType,
    createdAt: deps.clock.now().toISOString(),
    estimate: { recipients: await deps.audience.count(product.code), segments: 0 },
    version: 1,
  };
  const { contentHash: hash, segments } = composed(message, deps.config.text);
  message.estimate.segments = segments;
  message.contentHash = hash;
  return message;
}

/**
 * What a message does when it may go (published without review, or approved): at its slot's
 * next occurrence (queued), at `sendAt` (scheduled: the schedule is made before the record is
 * stored), or now (sending: dispatched once the record is stored).
 */
export function goingOut(message: Message, now: Date): { status: 'queued' | 'scheduled' | 'sending'; sendAt?: Date } {
  if (message.slot) return { status: 'queued' };
  const sendAt = message.sendAt ? new Date(message.sendAt) : undefined;
  if (sendAt && sendAt > now) return { status: 'scheduled', sendAt };
  return { status: 'sending' };
}

/**
 * Platform messages with an identity of their own (an IPO reminder for (IPO, day, product)):
 * publishing one again dispatches the existing message again, which sends to nobody twice.
 */
export function createPlatformMessagePublisher(deps: MessageRecordingDeps) {
  /**
   * `options.kind`: what the message is (default a reminder); `survey`: the survey it asks;
   * `alongside`: changes recorded with the message (the survey itself), all or nothing.
   */
  async function publishOnce(
    messageId: string,
    input: { productCode: string; body: string },
    by: Actor,
    options: { kind?: MessageKind; survey?: Message['survey']; alongside?: Change[] } = {},
  ): Promise<MessageView> {
    const existing = await deps.messages.get(messageId);
    if (existing) {
      if (existing.status === 'sending') await deps.trigger.dispatch(existing.messageId);
      return viewMessage(deps.messages, existing.messageId, deps.config, deps.clock);
    }
    const product = await listedProduct(deps.products, input.productCode);
    const message = await newMessage(deps, product, { messageId, kind: options.kind ?? 'reminder', body: input.body, status: 'sending', createdBy: by.actor, ...(options.survey && { survey: options.survey }) });
    await deps.unitOfWork.commit([
      { kind: 'message', message, expectedVersion: 0 },
      messageAudit(deps, by, 'message.published', messageId, null, { productCode: message.productCode, body: message.body, estimate: message.estimate }),
      ...(options.alongside ?? []),
    ]);
    await deps.trigger.dispatch(messageId);
    return viewMessage(deps.messages, messageId, deps.config, deps.clock);
  }
  return { publishOnce };
}

export type PlatformMessagePublisher = ReturnType<typeof createPlatformMessagePublisher>;

/**
 * Staff messages (admin API): publish to a product's active subscribers now, at `sendAt` (a
 * one-time schedule) or at a product slot's next occurrence; a product under review holds each
 * message for compliance first. Edit before sending, cancel before sending, list, view.
 */
export function createMessagePublisher(deps: MessagePublisherDeps) {
  const { messages, unitOfWork, scheduler, trigger, clock, ids, config } = deps;

  function assertSendAt(sendAt: string | undefined | null) {
    if (sendAt && Date.parse(sendAt) > clock.now().getTime() + YEAR_MS) {
      throw new ValidationError('sendAt is too far ahead', [{ field: 'sendAt', message: 'at most a year from now' }]);
    }
  }

  function assertSlot(slot: string | undefined | null) {
    if (slot && !config.slots.some((s) => s.name === slot)) {
      throw new ValidationError('Unknown slot', [{ field: 'slot', message: `must be one of: ${config.slots.map((s) => s.name).join(', ') || 'no slots are configured'}` }]);
    }
  }

  /** Investment advice names its adviser; no text may break a content rule (422, nothing stored). */
  function assertContent(product: Product, body: string, adviser: Message['adviser']) {
    if (product.kind === 'investment-tips' && !adviser) {
      throw new ValidationError('An investment-tips message names its adviser', [{ field: 'adviser', message: 'required for investment-tips: { name, registrationCode }' }]);
    }
    const violations = findContentViolations([body, adviser?.name ?? ''].join('\n'), config.contentRules);
    if (violations.length) throw new ContentViolationError(violations);
  }

  /** Records a message and starts it (now, or a schedule for `sendAt`, or the slot's queue), or holds it for review. */
  async function publish(input: PublishMessageInput, by: Actor): Promise<MessageView> {
    const product = await listedProduct(deps.products, input.productCode);
    assertSendAt(input.sendAt);
    assertSlot(input.slot);
    assertContent(product, input.body, input.adviser);
    const reviewRequired = reviewPolicy(product) === 'required';
    const fields = {
      messageId: ids.next(),
      kind: 'broadcast' as const,
      body: input.body,
      ...(input.adviser && { adviser: input.adviser }),
      ...(input.sendAt && { sendAt: new Date(input.sendAt).toISOString() }),
      ...(input.slot && { slot: input.slot }),
      createdBy: by.actor,
      ...(reviewRequired && { reviewRequired: true, approvals: [], reviews: [] }),
    };
    const draft = await newMessage(deps, product, { ...fields, status: 'pending-review' });
    const out = reviewRequired ? undefined : goingOut(draft, clock.now());
    // A past sendAt is not kept: the message goes now.
    const message: Message = out ? { ...draft, status: out.status, ...(!out.sendAt && { sendAt: undefined }) } : draft;
    if (!message.sendAt) delete message.sendAt;
    if (out?.sendAt) await scheduler.scheduleDispatch(message.messageId, out.sendAt);
    await unitOfWork.commit([
      { kind: 'message', message, expectedVersion: 0 },
      messageAudit(deps, by, 'message.published', message.messageId, null, {
        productCode: message.productCode,
        body: message.body,
        estimate: message.estimate,
        contentHash: message.contentHash,
        ...(message.sendAt && { sendAt: message.sendAt }),
        ...(message.slot && { slot: message.slot }),
        ...(reviewRequired && { status: 'pending-review' }),
      }),
    ]);
    if (message.status === 'sending') await trigger.dispatch(message.messageId);
    return viewMessage(messages, message.messageId, config, clock);
  }

  /**
   * Changes a message before it is sent. Under review, it goes back to pending-review and every
   * earlier approval is void (the new text has a new hash); otherwise it goes on with the new
   * time. Decided by one conditional write: an approval racing it wins or loses as a whole.
   */
  async function edit(messageId: string, patch: PatchMessageInput, by: Actor): Promise<MessageView> {
    const message = await messages.get(messageId);
    if (!message) throw new NotFoundError('Message', messageId);
    if (message.status === 'cancelled') throw new ConflictError('message-cancelled', `Message ${messageId} was cancelled`);
    if (!['pending-review', 'rejected', 'scheduled', 'queued'].includes(message.status)) {
      throw new ConflictError('sending-began', `Message ${messageId} is ${message.status}: it can no longer be changed`);
    }
    assertSendAt(patch.sendAt);
    assertSlot(patch.slot);
    const product = await deps.products.get(message.productCode);
    if (!product) throw new NotFoundError('Product', message.productCode);
    const body = patch.body ?? message.body;
    const adviser = patch.adviser ?? message.adviser;
    assertContent(product, body, adviser);
    const changed: Message = {
      ...message,
      body,
      ...(adviser && { adviser }),
      ...(patch.sendAt !== undefined && { sendAt: patch.sendAt === null ? undefined : new Date(patch.sendAt).toISOString() }),
      ...(patch.slot !== undefined && { slot: patch.slot ?? undefined }),
      ...(patch.sendAt && { slot: undefined }),
      ...(patch.slot && { sendAt: undefined }),
      version: message.version + 1,
    };
    const { contentHash: hash, segments } = composed(changed, config.text);
    changed.contentHash = hash;
    changed.estimate = { ...message.estimate, segments };
    let out: ReturnType<typeof goingOut> | undefined;
    if (message.reviewRequired) {
      Object.assign(changed, { status: 'pending-review', approvals: [], approvedHash: undefined });
    } else {
      out = goingOut(changed, clock.now());
      changed.status = out.status;
      if (!out.sendAt) changed.sendAt = undefined;
    }
    const clean = Object.fromEntries(Object.entries(changed).filter(([, v]) => v !== undefined)) as Message;
    if (out?.sendAt) await scheduler.scheduleDispatch(messageId, out.sendAt);
    try {
      await unitOfWork.commit([
        { kind: 'message', message: clean, expectedVersion: message.version },
        messageAudit(deps, by, 'message.edited', messageId, { body: message.body, sendAt: message.sendAt ?? null, slot: message.slot ?? null, contentHash: message.contentHash ?? null, status: message.status }, {
          body: clean.body,
          sendAt: clean.sendAt ?? null,
          slot: clean.slot ?? null,
          contentHash: clean.contentHash,
          status: clean.status,
        }),
      ]);
    } catch (error) {
      // Approved and sent, or edited, in between: read it again and decide again.
      if (error instanceof ConcurrentModificationError) return edit(messageId, patch, by);
      throw error;
    }
    if (message.status === 'scheduled' && clean.status !== 'scheduled') await scheduler.cancelDispatch(messageId);
    if (clean.status === 'sending') await trigger.dispatch(messageId);
    return viewMessage(messages, messageId, config, clock);
  }

  /** Cancels a message not yet sent (under review, rejected, scheduled or queued): 409 once sending began. Nobody receives it. */
  async function cancel(messageId: string, by: Actor): Promise<void> {
    const message = await messages.get(messageId);
    if (!message) throw new NotFoundError('Message', messageId);
    if (message.status === 'cancelled') return;
    if (!['pending-review', 'rejected', 'scheduled', 'queued'].includes(message.status)) {
      throw new ConflictError('sending-began', `Message ${messageId} is ${message.status}: it can no longer be cancelled`);
    }
    try {
      await unitOfWork.commit([
        { kind: 'message', message: { ...message, status: 'cancelled', version: message.version + 1 }, expectedVersion: message.version },
        messageAudit(deps, by, 'message.cancelled', messageId, { status: message.status }, { status: 'cancelled' }),
      ]);
    } catch (error) {
      // The schedule fired (or an approval went out) in between and the dispatcher took the message first.
      if (error instanceof ConcurrentModificationError) {
        const now = await messages.get(messageId);
        if (now && ['pending-review', 'rejected', 'scheduled', 'queued'].includes(now.status)) return cancel(messageId, by);
        throw new ConflictError('sending-began', `Message ${messageId} began sending`, { cause: error });
      }
      throw error;
    }
    if (message.status === 'scheduled') await scheduler.cancelDispatch(messageId);
  }

  /** Newest first, with their status (a finished broadcast as sent). */
  async function list(query: ListMessagesQuery): Promise<{ items: MessageView[]; cursor?: string }> {
    // A finished broadcast is stored as sending: its counts say it is sent.
    const stored = query.status === 'sent' ? 'sending' : query.status;
    const page: Page<Message> = await messages.list({
      ...(stored && { status: stored }),
      ...(query.productCode && { productCode: query.productCode }),
      limit: query.limit ?? 50,
      ...(query.cursor && { cursor: query.cursor }),
    });
    const views = await Promise.all(page.items.map((m) => viewMessage(messages, m.messageId, config, clock)));
    const items = query.status === 'sent' || query.status === 'sending' ? views.filter((v) => v.status === query.status) : views;
    return { items, ...(page.nextCursor && { cursor: page.nextCursor }) };
  }

  /** A message's recipients by status: `sent` lists those still awaiting a receipt. */
  async function recipients(messageId: string, query: { status?: SmsStatus; limit?: number; cursor?: string }) {
    if (!(await messages.get(messageId))) throw new NotFoundError('Message', messageId);
    const page = await deps.smsLog.listForMessage(messageId, { ...(query.status && { status: query.status }), limit: query.limit ?? 100, ...(query.cursor && { cursor: query.cursor }) });
    return {
      items: page.items.map((s) => ({ customerId: s.customerId ?? '', status: s.status, ...(s.reason && { reason: s.reason }), at: s.receiptAt ?? s.sentAt })),
      ...(page.nextCursor && { cursor: page.nextCursor }),
    };
  }

  return { publish, edit, cancel, list, recipients, view: (messageId: string) => viewMessage(messages, messageId, config, clock) };
}

export type MessagePublisher = ReturnType<typeof createMessagePublisher>;
