import type { CountryCode } from 'libphonenumber-js';
import { ulid } from 'ulid';
import * as z from 'zod';
import {
  DEFAULT_POINTS_RULES,
  DEFAULT_REGISTER_TEXT,
  DEFAULT_TIER_THRESHOLDS,
  OPT_OUT_CONFIRMATION_DELAY_MS,
  parseQuietHours,
  createAlertService,
  createAuditService,
  DEFAULT_ALERT_TEMPLATES,
  createKeywordParser,
  createMessageService,
  createIpoReminderService,
  DEFAULT_IPO_REMINDER_TEMPLATES,
  createSmsService,
  withAliases,
  createCatalogService,
  createCustomerService,
  createPackageService,
  createPointsService,
  pointsRulesSchema,
  tierThresholdsSchema,
  type Clock,
  type DeliveryQueue,
  type DispatchTrigger,
  type MessageScheduler,
  type ReminderScheduler,
  type SendBudget,
  type IdGenerator,
  type SmsSender,
  type Store,
} from '../core/index.ts';
import { PRODUCT_SLOTS } from '../../events/index.ts';
import { parseJsonEnv } from './config.ts';

/** The environment every function that runs platform services reads at cold start. */
export const platformConfigSchema = z.object({
  TABLE_NAME: z.string().min(1),
  TIER_THRESHOLDS: z.string().transform(parseJsonEnv).pipe(tierThresholdsSchema).optional(),
  POINTS_RULES: z.string().transform(parseJsonEnv).pipe(pointsRulesSchema).optional(),
  DEFAULT_PHONE_REGION: z.string().length(2).default('CN'),
  DEFAULT_TIMEZONE: z.string().default('Asia/Shanghai'),
  SMS_SIGNATURE: z.string().default('【XX证券】'),
  SMS_REGISTER_TEXT: z.string().min(1).default(DEFAULT_REGISTER_TEXT),
  CONFIRM_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** Extra keyword aliases, e.g. {"subscribe":{"zh":["订阅"]}} (added to API.md's table). */
  SMS_KEYWORD_ALIASES: z
    .string()
    .transform(parseJsonEnv)
    .pipe(z.record(z.string(), z.strictObject({ zh: z.array(z.string()).optional(), en: z.array(z.string()).optional() })))
    .optional(),
  SMS_SENDER_ID: z.string().optional(),
  /** Account alert templates by event type, e.g. {"trade-filled":"您的委托已成交：{stockCode}"}; merged over the defaults. */
  ALERT_TEMPLATES: z.string().transform(parseJsonEnv).pipe(z.record(z.string(), z.string().min(1))).optional(),
  /** The unsubscribe footer of promotional messages. */
  SMS_PROMOTIONAL_FOOTER: z.string().default('回TD退订'),
  /** Local hours when promotional messages are held (`HH:MM-HH:MM`, in each client's time zone); `00:00-00:00` turns them off. */
  QUIET_HOURS: z
    .string()
    .default('21:00-08:00')
    .transform((text, ctx) => parseQuietHours(text) ?? (ctx.addIssue({ code: 'custom', message: 'expected HH:MM-HH:MM, e.g. 21:00-08:00' }), z.NEVER)),
  /** Promotional SMS per client per local day; 0 turns the cap off. */
  PROMOTIONAL_DAILY_CAP: z.coerce.number().int().min(0).default(5),
  /** The account's SMS messages-per-second quota, shared by all senders; unlimited when unset. */
  SMS_MPS_BUDGET: z.coerce.number().positive().optional(),
  /** Non-trading days, `YYYY-MM-DD,YYYY-MM-DD,...` (exchange-local): product slots skip them. */
  TRADING_HOLIDAYS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((d) => d.trim()).filter(Boolean))
    .pipe(z.array(z.iso.date())),
  /** IPO reminders go at this exchange-local time (HH:MM) on the subscription and listing days. */
  IPO_REMINDER_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM').default('08:30'),
  IPO_REMINDER_TIMEZONE: z.string().default('Asia/Shanghai'),
  /** {"subscription":"...","listing":"..."} with {stockName}, {stockCode}, {date}; merged over the defaults. */
  IPO_REMINDER_TEMPLATES: z.string().transform(parseJsonEnv).pipe(z.strictObject({ subscription: z.string().min(1).optional(), listing: z.string().min(1).optional() })).optional(),
  /** How long the confirmation of an opt-out waits (the opt-out fence; see delivery-rules.ts). */
  OPT_OUT_CONFIRMATION_DELAY_MS: z.coerce.number().int().min(0).default(OPT_OUT_CONFIRMATION_DELAY_MS),
  SMS_ORIGINATION_NUMBER: z.string().optional(),
});
export type PlatformConfig = z.infer<typeof platformConfigSchema>;

export const systemClock: Clock = { now: () => new Date() };
export const ulidGenerator: IdGenerator = { next: () => ulid() };

/**
 * The composition root: every domain service, wired to one store, clock and id generator
 * (and, for the SMS service, an SmsSender).
 */
export function createPlatformServices(
  config: PlatformConfig,
  store: Store,
  clock: Clock = systemClock,
  ids: IdGenerator = ulidGenerator,
  sender?: SmsSender,
) {
  const tierThresholds = config.TIER_THRESHOLDS ?? DEFAULT_TIER_THRESHOLDS;
  const points = createPointsService({
    store,
    clock,
    ids,
    rules: config.POINTS_RULES ?? DEFAULT_POINTS_RULES,
    tierThresholds,
    defaultTimezone: config.DEFAULT_TIMEZONE,
  });
  const needSender = (): SmsSender => {
    if (!sender) throw new Error('This service needs an SmsSender');
    return sender;
  };
  const sms = () => {
    return createSmsService({
      store,
      clock,
      ids,
      sender: needSender(),
      points,
      parse: createKeywordParser(withAliases((config.SMS_KEYWORD_ALIASES ?? {}) as Parameters<typeof withAliases>[0])),
      tierThresholds,
      config: {
        signature: config.SMS_SIGNATURE,
        registerText: config.SMS_REGISTER_TEXT,
        confirmWindowMinutes: config.CONFIRM_WINDOW_SECONDS / 60,
        defaultRegion: config.DEFAULT_PHONE_REGION as CountryCode,
        optOutConfirmationDelayMs: config.OPT_OUT_CONFIRMATION_DELAY_MS,
      },
    });
  };
  const messages = (ports: { queue?: DeliveryQueue; trigger?: DispatchTrigger; scheduler?: MessageScheduler; budget?: SendBudget } = {}) =>
    createMessageService({
      store,
      clock,
      ids,
      ...ports,
      ...(sender && { sender }),
      config: {
        signature: config.SMS_SIGNATURE,
        footer: config.SMS_PROMOTIONAL_FOOTER,
        quietHours: config.QUIET_HOURS,
        defaultTimezone: config.DEFAULT_TIMEZONE,
        ...(config.PROMOTIONAL_DAILY_CAP > 0 && { dailyPromotionalCap: config.PROMOTIONAL_DAILY_CAP }),
        slots: PRODUCT_SLOTS,
        tradingHolidays: config.TRADING_HOLIDAYS,
      },
    });
  const ipoReminders = (ports: { scheduler: ReminderScheduler; trigger: DispatchTrigger }) =>
    createIpoReminderService({
      store,
      clock,
      scheduler: ports.scheduler,
      messages: messages({ trigger: ports.trigger }),
      config: {
        time: config.IPO_REMINDER_TIME,
        timezone: config.IPO_REMINDER_TIMEZONE,
        templates: { ...DEFAULT_IPO_REMINDER_TEMPLATES, ...(config.IPO_REMINDER_TEMPLATES as Partial<typeof DEFAULT_IPO_REMINDER_TEMPLATES> | undefined) },
      },
    });
  const alerts = () =>
    createAlertService({
      store,
      clock,
      ids,
      sender: needSender(),
      config: { signature: config.SMS_SIGNATURE, templates: { ...DEFAULT_ALERT_TEMPLATES, ...config.ALERT_TEMPLATES } },
    });
  return {
    sms,
    messages,
    ipoReminders,
    alerts,
    catalog: createCatalogService({ store, clock, ids }),
    customers: createCustomerService({
      store,
      clock,
      ids,
      tierThresholds,
      defaultRegion: config.DEFAULT_PHONE_REGION as CountryCode,
      defaultTimezone: config.DEFAULT_TIMEZONE,
    }),
    audit: createAuditService({ store }),
    points,
    packages: createPackageService({ store, clock, ids, tierThresholds }),
  };
}
export type PlatformServices = ReturnType<typeof createPlatformServices>;
