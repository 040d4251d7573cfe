import * as z from 'zod';
import {
  DEFAULT_ALERT_TEMPLATES,
  createAlertService,
  type CustomerRepository,
  type OperationRepository,
  type PhoneRepository,
  type ProductRepository,
  type SmsSender,
  type UnitOfWork,
} from '../../core/index.ts';
import { parseJsonEnv } from '../config.ts';
import { smsTextEnv, tableEnv, type System } from './env.ts';

export const alertsEnv = tableEnv.extend(smsTextEnv.shape).extend({
  /** Account alert templates by event type, e.g. {"trade-filled":"您的委托已成交：{stockCode}"}; merged over the defaults. */
  ALERT_TEMPLATES: z.string().transform(parseJsonEnv).pipe(z.record(z.string(), z.string().min(1))).optional(),
});

/** Account alerts: one transactional SMS per account event, to subscribers of account alerts. */
export function alertServiceFromEnv(
  config: z.infer<typeof alertsEnv>,
  repos: { products: ProductRepository; customers: CustomerRepository; phones: PhoneRepository; operations: OperationRepository; unitOfWork: UnitOfWork },
  sender: SmsSender,
  system: System,
) {
  return createAlertService({ ...repos, ...system, sender, config: { signature: config.SMS_SIGNATURE, templates: { ...DEFAULT_ALERT_TEMPLATES, ...config.ALERT_TEMPLATES }, maxSegments: config.SMS_MAX_SEGMENTS } });
}
