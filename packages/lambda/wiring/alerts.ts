import * as z from 'zod';
import { alertTemplates, createAlertService, type ClientSmsDeps, type DeliveryRepository, type SmsSender } from '../../core/index.ts';
import { parseJsonEnv } from '../config.ts';
import { smsTextEnv, tableEnv, type System } from './env.ts';

export const alertsEnv = tableEnv.extend(smsTextEnv.shape).extend({
  /**
   * Account alert templates, {"zh":{"trade-filled":"..."},"en":{...}} (or one flat {type: text} for
   * Chinese); merged over the defaults. Every {placeholder} is a data field the alert needs.
   */
  ALERT_TEMPLATES: z
    .string()
    .transform(parseJsonEnv)
    .pipe(z.union([z.strictObject({ zh: z.record(z.string(), z.string().min(1)).optional(), en: z.record(z.string(), z.string().min(1)).optional() }), z.record(z.string(), z.string().min(1))]))
    .optional(),
});

/** Account alerts: one transactional SMS per account event, to subscribers of account alerts. */
export function alertServiceFromEnv(
  config: z.infer<typeof alertsEnv>,
  repos: Omit<ClientSmsDeps, keyof System | 'sender' | 'sleep'> & { deliveries: DeliveryRepository },
  sender: SmsSender,
  system: System,
) {
  return createAlertService({ ...repos, ...system, sender, config: { signature: config.SMS_SIGNATURE, templates: alertTemplates(config.ALERT_TEMPLATES), maxSegments: config.SMS_MAX_SEGMENTS } });
}
