import * as z from 'zod';
import {
  budgetPacer,
  createBatchSender,
  parseQuietHours,
  sleep,
  unpacedSending,
  type DailyCapRepository,
  type DeliveryRepository,
  type RecipientRepository,
  type ReleaseScheduler,
  type SendBudget,
  type SmsLogRepository,
  type SurveyRepository,
  type SmsSender,
} from '../../core/index.ts';
import { tableEnv, type System } from './env.ts';

export const batchSenderEnv = tableEnv.extend({
  DEFAULT_TIMEZONE: z.string().default('Asia/Shanghai'),
  /** Local hours when promotional messages are held (`HH:MM-HH:MM`, in each client's time zone); `00:00-00:00` turns them off. */
  QUIET_HOURS: z
    .string()
    .default('21:00-08:00')
    .transform((text, ctx) => parseQuietHours(text) ?? (ctx.addIssue({ code: 'custom', message: 'expected HH:MM-HH:MM, e.g. 21:00-08:00' }), z.NEVER)),
  /** Promotional SMS per client per local day; 0 turns the cap off. */
  PROMOTIONAL_DAILY_CAP: z.coerce.number().int().min(0).default(5),
  /** The account's SMS messages-per-second quota, shared by all senders; unlimited when unset. */
  SMS_MPS_BUDGET: z.coerce.number().positive().optional(),
});

/**
 * The sender's service: quiet hours, the daily cap, the opt-out fence, and sends paced by the
 * shared budget when one is configured (`budget` is the table's budget item for SMS_MPS_BUDGET).
 */
export function batchSenderFromEnv(
  config: z.infer<typeof batchSenderEnv>,
  repos: { deliveries: DeliveryRepository; smsLog: SmsLogRepository; surveys: SurveyRepository; recipients: RecipientRepository; dailyCaps: DailyCapRepository },
  ports: { sender: SmsSender; releases: ReleaseScheduler; budget: SendBudget | undefined },
  system: System,
) {
  return createBatchSender({
    ...repos,
    sender: ports.sender,
    releases: ports.releases,
    pacer: ports.budget ? budgetPacer(ports.budget, { realTime: Date.now, sleep }) : unpacedSending,
    ...system,
    config: {
      quietHours: config.QUIET_HOURS,
      defaultTimezone: config.DEFAULT_TIMEZONE,
      ...(config.PROMOTIONAL_DAILY_CAP > 0 && { dailyPromotionalCap: config.PROMOTIONAL_DAILY_CAP }),
    },
  });
}
