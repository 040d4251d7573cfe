import * as z from 'zod';
import { createReceiptService, type PhoneRepository, type Sleep, type ReceiptRepository, type SmsLogRepository, type UnitOfWork } from '../../core/index.ts';
import { receiptWaitEnv, tableEnv, type System } from './env.ts';

export const receiptsEnv = tableEnv.extend(receiptWaitEnv.shape);

export function receiptServiceFromEnv(
  config: z.infer<typeof receiptsEnv>,
  repos: { smsLog: SmsLogRepository; receipts: ReceiptRepository; phones: PhoneRepository; unitOfWork: UnitOfWork },
  system: System & { sleep?: Sleep },
) {
  return createReceiptService({ ...repos, ...system, config: { waitHours: config.RECEIPT_WAIT_HOURS } });
}
