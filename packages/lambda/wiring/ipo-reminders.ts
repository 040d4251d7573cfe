import * as z from 'zod';
import { DEFAULT_IPO_REMINDER_TEMPLATES, createIpoReminderService, type ProductRepository, type ReminderScheduler } from '../../core/index.ts';
import type { PlatformMessagePublisher } from '../../core/index.ts';
import { parseJsonEnv } from '../config.ts';
import { messagesEnv } from './messages.ts';
import type { System } from './env.ts';

export const ipoRemindersEnv = messagesEnv.extend({
  /** IPO reminders go at this exchange-local time (HH:MM) on the subscription and listing days. */
  IPO_REMINDER_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM').default('08:30'),
  IPO_REMINDER_TIMEZONE: z.string().default('Asia/Shanghai'),
  /** {"subscription":"...","listing":"..."} with {stockName}, {stockCode}, {date}; merged over the defaults. */
  IPO_REMINDER_TEMPLATES: z
    .string()
    .transform(parseJsonEnv)
    .pipe(z.strictObject({ subscription: z.string().min(1).optional(), listing: z.string().min(1).optional() }))
    .optional(),
});

export function ipoReminderServiceFromEnv(
  config: z.infer<typeof ipoRemindersEnv>,
  repos: { products: ProductRepository },
  ports: { publisher: PlatformMessagePublisher; scheduler: ReminderScheduler },
  { clock }: System,
) {
  return createIpoReminderService({
    ...repos,
    ...ports,
    clock,
    config: {
      time: config.IPO_REMINDER_TIME,
      timezone: config.IPO_REMINDER_TIMEZONE,
      templates: { ...DEFAULT_IPO_REMINDER_TEMPLATES, ...config.IPO_REMINDER_TEMPLATES },
    },
  });
}
