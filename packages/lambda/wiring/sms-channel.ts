import { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod';
import { SnsSmsSender } from '../../aws/index.ts';

export const smsChannelEnv = z.object({
  SMS_SENDER_ID: z.string().optional(),
  SMS_ORIGINATION_NUMBER: z.string().optional(),
});

/**
 * The SMS channel of the deployed functions: SNS Publish with the account's sender identity.
 * The SNS client makes one attempt per call (maxAttempts 1): throttling is retried by the
 * services' RetryingSmsSender, which takes a new send slot for every attempt; the SDK's own
 * retries would resend outside the budget.
 */
export function smsChannelFromEnv(config: z.infer<typeof smsChannelEnv>, sns = new SNSClient({ maxAttempts: 1 })): SnsSmsSender {
  return new SnsSmsSender(sns, {
    ...(config.SMS_SENDER_ID && { senderId: config.SMS_SENDER_ID }),
    ...(config.SMS_ORIGINATION_NUMBER && { originationNumber: config.SMS_ORIGINATION_NUMBER }),
  });
}
