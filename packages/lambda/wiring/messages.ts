import * as z from 'zod';
import {
  DEFAULT_CONTENT_RULES,
  createMessageDispatcher,
  createMessagePublisher,
  createMessageReview,
  createPlatformMessagePublisher,
  createSlotRelease,
  type AudienceRepository,
  type ContentRules,
  type DeliveryQueue,
  type DeliveryRepository,
  type DispatchScheduler,
  type DispatchTrigger,
  type MessageRepository,
  type MessageTextConfig,
  type ProductRepository,
  type ReviewRules,
  type SmsLogRepository,
  type UnitOfWork,
} from '../../core/index.ts';
import { PRODUCT_SLOTS } from '../../../events/index.ts';
import { parseJsonEnv } from '../config.ts';
import { receiptWaitEnv, smsTextEnv, tableEnv, type System } from './env.ts';

/** How a message is composed, reviewed and checked: every function that publishes, shows or dispatches one reads these. */
export const messagesEnv = tableEnv.extend(smsTextEnv.shape).extend(receiptWaitEnv.shape).extend({
  /** The adviser line of investment advice, `{name}` and `{code}` filled. */
  SMS_ADVISER_LINE: z.string().min(1).default('投资顾问：{name}（执业编号{code}）'),
  /** The risk warning after it. */
  SMS_RISK_WARNING: z.string().min(1).default('投资有风险，入市需谨慎。'),
  /** Recipients (counted when reviewed) from which a message needs two approvals by different reviewers. */
  REVIEW_TWO_APPROVERS_FROM: z.coerce.number().int().min(1).default(10_000),
  /** {"rule":["phrase",...]}: phrases no message may contain; merged over the defaults (promised returns, insider claims). */
  CONTENT_RULES: z.string().transform(parseJsonEnv).pipe(z.record(z.string(), z.array(z.string().min(1)))).optional(),
});
type MessagesConfig = z.infer<typeof messagesEnv>;

export function messageTextConfig(config: MessagesConfig): MessageTextConfig {
  return {
    signature: config.SMS_SIGNATURE,
    footer: config.SMS_PROMOTIONAL_FOOTER,
    maxSegments: config.SMS_MAX_SEGMENTS,
    adviserLine: config.SMS_ADVISER_LINE,
    riskWarning: config.SMS_RISK_WARNING,
  };
}

function reviewRules(config: MessagesConfig): ReviewRules {
  return { twoApproversFrom: config.REVIEW_TWO_APPROVERS_FROM };
}

export function contentRules(config: MessagesConfig): ContentRules {
  return { ...DEFAULT_CONTENT_RULES, ...config.CONTENT_RULES };
}

interface RecordingRepositories {
  products: ProductRepository;
  messages: MessageRepository;
  audience: AudienceRepository;
  unitOfWork: UnitOfWork;
}

/** Staff messages (admin API): now, at sendAt, or at a product slot; held for review where the product says so. */
export function messagePublisherFromEnv(config: MessagesConfig, repos: RecordingRepositories & { smsLog: SmsLogRepository }, ports: { trigger: DispatchTrigger; scheduler: DispatchScheduler }, system: System) {
  return createMessagePublisher({
    ...repos,
    ...ports,
    ...system,
    config: { text: messageTextConfig(config), review: reviewRules(config), receiptWaitHours: config.RECEIPT_WAIT_HOURS, contentRules: contentRules(config), slots: PRODUCT_SLOTS },
  });
}

/** Compliance review of held messages (admin API). */
export function messageReviewFromEnv(config: MessagesConfig, repos: RecordingRepositories, ports: { trigger: DispatchTrigger; scheduler: DispatchScheduler }, system: System) {
  return createMessageReview({ ...repos, ...ports, ...system, config: { text: messageTextConfig(config), review: reviewRules(config) } });
}

/** Platform messages with an identity of their own (IPO reminders). */
export function platformPublisherFromEnv(config: MessagesConfig, repos: RecordingRepositories, trigger: DispatchTrigger, system: System) {
  return createPlatformMessagePublisher({ ...repos, trigger, ...system, config: { text: messageTextConfig(config), review: reviewRules(config) } });
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
