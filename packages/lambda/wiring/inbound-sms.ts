import type { CountryCode } from 'libphonenumber-js';
import * as z from 'zod';
import {
  DEFAULT_REGISTER_TEXT,
  DEFAULT_TIER_THRESHOLDS,
  OPT_OUT_CONFIRMATION_DELAY_MS,
  createKeywordParser,
  createSmsService,
  withAliases,
  type PhoneRepository,
  type SmsLogRepository,
  type SmsSender,
} from '../../core/index.ts';
import { parseJsonEnv } from '../config.ts';
import { pointsEnv, pointsServiceFromEnv, type PointsRepositories } from './customers.ts';
import { feedbackConfig, feedbackEnv, smsTextEnv, type System } from './env.ts';

export const inboundSmsEnv = pointsEnv.extend(smsTextEnv.shape).extend(feedbackEnv.shape).extend({
  SMS_REGISTER_TEXT: z.string().min(1).default(DEFAULT_REGISTER_TEXT),
  CONFIRM_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** Extra keyword aliases, e.g. {"subscribe":{"zh":["订阅"]}} (added to API.md's table). */
  SMS_KEYWORD_ALIASES: z
    .string()
    .transform(parseJsonEnv)
    .pipe(z.record(z.string(), z.strictObject({ zh: z.array(z.string()).optional(), en: z.array(z.string()).optional() })))
    .optional(),
  /** How long the confirmation of an opt-out waits (the opt-out fence; see delivery-rules.ts). */
  OPT_OUT_CONFIRMATION_DELAY_MS: z.coerce.number().int().min(0).default(OPT_OUT_CONFIRMATION_DELAY_MS),
});

/** Two-way SMS: keyword commands from clients, one reply each (redemptions through the points service). */
export function inboundSmsServiceFromEnv(
  config: z.infer<typeof inboundSmsEnv>,
  repos: PointsRepositories & { phones: PhoneRepository; smsLog: SmsLogRepository },
  sender: SmsSender,
  system: System,
) {
  return createSmsService({
    ...repos,
    ...system,
    sender,
    points: pointsServiceFromEnv(config, repos, system),
    parse: createKeywordParser(withAliases((config.SMS_KEYWORD_ALIASES ?? {}) as Parameters<typeof withAliases>[0])),
    tierThresholds: config.TIER_THRESHOLDS ?? DEFAULT_TIER_THRESHOLDS,
    config: {
      signature: config.SMS_SIGNATURE,
      registerText: config.SMS_REGISTER_TEXT,
      confirmWindowMinutes: config.CONFIRM_WINDOW_SECONDS / 60,
      defaultRegion: config.DEFAULT_PHONE_REGION as CountryCode,
      optOutConfirmationDelayMs: config.OPT_OUT_CONFIRMATION_DELAY_MS,
      feedback: feedbackConfig(config),
    },
  });
}
