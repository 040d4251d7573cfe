import type { Actor } from '../../access.ts';
import { auditRecord } from '../../audit.ts';
import { ConcurrentModificationError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Message, MessageView, PublishMessageInput } from '../../message.ts';
import type { Change } from '../../ports/changes.ts';
import type { DispatchScheduler, DispatchTrigger } from '../../ports/delivery.ts';
import type { AudienceRepository, MessageRepository, ProductRepository, UnitOfWork } from '../../ports/repositories.ts';
import type { Clock, IdGenerator } from '../../ports/system.ts';
import type { Product } from '../../product.ts';
import { assertWithinSegments, messageText, viewMessage, type MessageTextConfig } from './text.ts';

/** What recording and starting a message needs, for staff (admin API) and platform messages (IPO reminders) alike. */
export interface MessageRecordingDeps {
  products: ProductRepository;
  messages: MessageRepository;
  audience: AudienceRepository;
  unitOfWork: UnitOfWork;
  trigger: DispatchTrigger;
  clock: Clock;
  ids: IdGenerator;
  config: { text: MessageTextConfig };
}

export interface MessagePublisherDeps extends MessageRecordingDeps {
  scheduler: DispatchScheduler;
  config: {
    text: MessageTextConfig;
    /** Recurring product slots messages may be queued for. */
    slots: Array<{ name: string; timezone: string }>;
  };
}

const YEAR_MS = 366 * 86_400_000;

/** The product a message goes to: it must exist and be listed. */
async function listedProduct(products: ProductRepository, code: string) {
  const product = await products.get(code);
  if (!product) throw new NotFoundError('Product', code);
  if (!product.listed) throw new ConflictError('product-not-listed', `${product.code} is not listed (下架): nothing is sent for it`);
  return product;
}

function messageAudit(deps: Pick<MessageRecordingDeps, 'clock' | 'ids'>, by: Actor, action: string, messageId: string, before: Record<string, unknown> | null, after: Record<string, unknown>): Change {
  return { kind: 'audit', record: auditRecord(by, { action, entityType: 'message', entity: messageId, before, after }, deps.ids.next(), deps.clock.now().toISOString()) };
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
  message.estimate.segments = assertWithinSegments(messageText(message, deps.config.text), deps.config.text.maxSegments, 'body');
  return message;
}

/**
 * Platform messages with an identity of their own (an IPO reminder for (IPO, day, product)):
 * publishing one again dispatches the existing message again, which sends to nobody twice.
 */
export function createPlatformMessagePublisher(deps: MessageRecordingDeps) {
  async function publishOnce(messageId: string, input: { productCode: string; body: string }, by: Actor): Promise<MessageView> {
    const existing = await deps.messages.get(messageId);
    if (existing) {
      if (existing.status === 'sending') await deps.trigger.dispatch(existing.messageId);
      return viewMessage(deps.messages, existing.messageId);
    }
    const product = await listedProduct(deps.products, input.productCode);
    const message = await newMessage(deps, product, { messageId, body: input.body, status: 'sending', createdBy: by.actor });
    await deps.unitOfWork.commit([
      { kind: 'message', message, expectedVersion: 0 },
      messageAudit(deps, by, 'message.published', messageId, null, { productCode: message.productCode, body: message.body, estimate: message.estimate }),
    ]);
    await deps.trigger.dispatch(messageId);
    return viewMessage(deps.messages, messageId);
  }
  return { publishOnce };
}

export type PlatformMessagePublisher = ReturnType<typeof createPlatformMessagePublisher>;

/**
 * Staff messages (admin API): publish to a product's active subscribers now, at `sendAt` (a
 * one-time schedule) or at a product slot's next occurrence; cancel before sending begins; view.
 */
export function createMessagePublisher(deps: MessagePublisherDeps) {
  const { messages, unitOfWork, scheduler, trigger, clock, ids, config } = deps;

  /** Records a message and starts it (now, or a schedule for `sendAt`, or the slot's queue). */
  async function publish(input: PublishMessageInput, by: Actor): Promise<MessageView> {
    const product = await listedProduct(deps.products, input.productCode);
    const now = clock.now();
    const sendAt = input.sendAt ? new Date(input.sendAt) : undefined;
    if (sendAt && sendAt.getTime() > now.getTime() + YEAR_MS) {
      throw new ValidationError('sendAt is too far ahead', [{ field: 'sendAt', message: 'at most a year from now' }]);
    }
    const scheduled = !!sendAt && sendAt > now;
    if (input.slot && !config.slots.some((s) => s.name === input.slot)) {
      throw new ValidationError('Unknown slot', [{ field: 'slot', message: `must be one of: ${config.slots.map((s) => s.name).join(', ') || 'no slots are configured'}` }]);
    }
    const queued = !!input.slot;
    const message = await newMessage(deps, product, {
      messageId: ids.next(),
      body: input.body,
      status: queued ? 'queued' : scheduled ? 'scheduled' : 'sending',
      ...(scheduled && { sendAt: sendAt.toISOString() }),
      ...(queued && { slot: input.slot }),
      createdBy: by.actor,
    });
    // Scheduled: the schedule exists before the message is stored, so a stored scheduled message always has one.
    if (scheduled) await scheduler.scheduleDispatch(message.messageId, sendAt);
    await unitOfWork.commit([
      { kind: 'message', message, expectedVersion: 0 },
      messageAudit(deps, by, 'message.published', message.messageId, null, {
        productCode: message.productCode,
        body: message.body,
        estimate: message.estimate,
        ...(scheduled && { sendAt: message.sendAt }),
        ...(queued && { slot: message.slot }),
      }),
    ]);
    if (!scheduled && !queued) await trigger.dispatch(message.messageId);
    return viewMessage(messages, message.messageId);
  }

  /** Cancels a scheduled or queued message: 409 once sending began. Its schedule is removed; nobody receives it. */
  async function cancel(messageId: string, by: Actor): Promise<void> {
    const message = await messages.get(messageId);
    if (!message) throw new NotFoundError('Message', messageId);
    if (message.status === 'cancelled') return;
    if (message.status !== 'scheduled' && message.status !== 'queued') throw new ConflictError('sending-began', `Message ${messageId} is ${message.status}: it can no longer be cancelled`);
    try {
      await unitOfWork.commit([
        { kind: 'message', message: { ...message, status: 'cancelled', version: message.version + 1 }, expectedVersion: message.version },
        messageAudit(deps, by, 'message.cancelled', messageId, { status: message.status }, { status: 'cancelled' }),
      ]);
    } catch (error) {
      // The schedule fired in between and the dispatcher took the message first.
      if (error instanceof ConcurrentModificationError) throw new ConflictError('sending-began', `Message ${messageId} began sending`, { cause: error });
      throw error;
    }
    if (message.status === 'scheduled') await scheduler.cancelDispatch(messageId);
  }

  return { publish, cancel, view: (messageId: string) => viewMessage(messages, messageId) };
}

export type MessagePublisher = ReturnType<typeof createMessagePublisher>;
