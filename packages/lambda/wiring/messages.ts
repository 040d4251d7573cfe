import * as z from 'zod';
import {
  createMessageDispatcher,
  createMessagePublisher,
  createPlatformMessagePublisher,
  createSlotRelease,
  type AudienceRepository,
  type DeliveryQueue,
  type DeliveryRepository,
  type DispatchScheduler,
  type DispatchTrigger,
  type MessageRepository,
  type MessageTextConfig,
  type ProductRepository,
  type UnitOfWork,
} from '../../core/index.ts';
import { PRODUCT_SLOTS } from '../../../events/index.ts';
import { smsTextEnv, tableEnv, type System } from './env.ts';

/** Publishing needs the text rules (for the segment estimate); the dispatcher composes the SMS with them. */
export const messagesEnv = tableEnv.extend(smsTextEnv.shape);
type MessagesConfig = z.infer<typeof messagesEnv>;

export function messageTextConfig(config: z.infer<typeof smsTextEnv>): MessageTextConfig {
  return { signature: config.SMS_SIGNATURE, footer: config.SMS_PROMOTIONAL_FOOTER, maxSegments: config.SMS_MAX_SEGMENTS };
}

interface RecordingRepositories {
  products: ProductRepository;
  messages: MessageRepository;
  audience: AudienceRepository;
  unitOfWork: UnitOfWork;
}

/** Staff messages (admin API): now, at sendAt, or at a product slot. */
export function messagePublisherFromEnv(config: MessagesConfig, repos: RecordingRepositories, ports: { trigger: DispatchTrigger; scheduler: DispatchScheduler }, system: System) {
  return createMessagePublisher({ ...repos, ...ports, ...system, config: { text: messageTextConfig(config), slots: PRODUCT_SLOTS } });
}

/** Platform messages with an identity of their own (IPO reminders). */
export function platformPublisherFromEnv(config: MessagesConfig, repos: RecordingRepositories, trigger: DispatchTrigger, system: System) {
  return createPlatformMessagePublisher({ ...repos, trigger, ...system, config: { text: messageTextConfig(config) } });
}

export function messageDispatcherFromEnv(
  config: MessagesConfig,
  repos: { messages: MessageRepository; audience: AudienceRepository; deliveries: DeliveryRepository; unitOfWork: UnitOfWork },
  queue: DeliveryQueue,
) {
  return createMessageDispatcher({ ...repos, queue, config: { text: messageTextConfig(config) } });
}

export const slotReleaseEnv = tableEnv.extend({
  /** Non-trading days, `YYYY-MM-DD,YYYY-MM-DD,...` (exchange-local): product slots skip them. */
  TRADING_HOLIDAYS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((d) => d.trim()).filter(Boolean))
    .pipe(z.array(z.iso.date())),
});

export function slotReleaseFromEnv(config: z.infer<typeof slotReleaseEnv>, repos: { messages: MessageRepository; unitOfWork: UnitOfWork }, trigger: DispatchTrigger) {
  return createSlotRelease({ ...repos, trigger, config: { slots: PRODUCT_SLOTS, tradingHolidays: config.TRADING_HOLIDAYS } });
}
