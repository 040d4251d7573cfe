import * as z from 'zod';
import { undeliveredReason, type DeliveryReceipt } from '../packages/core/index.ts';

/**
 * What a CloudWatch Logs subscription filter hands a Lambda function: `awslogs.data`, the
 * gzipped, base64-encoded payload below. A `CONTROL_MESSAGE` checks the destination and carries
 * no records.
 */
export const cloudWatchLogsEventSchema = z.object({ awslogs: z.object({ data: z.string().min(1) }) });

export const cloudWatchLogsPayloadSchema = z.object({
  messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']),
  owner: z.string(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()),
  logEvents: z.array(z.object({ id: z.string(), timestamp: z.number(), message: z.string() })),
});
export type CloudWatchLogsPayload = z.infer<typeof cloudWatchLogsPayloadSchema>;

/**
 * One record of the SNS SMS delivery-status logs (`sns/<region>/<account>/DirectPublishToPhoneNumber`
 * and `.../Failure`): the SNS MessageId of the publish, what the carrier answered, the price.
 */
export const smsDeliveryStatusSchema = z.object({
  notification: z.object({ messageId: z.string().min(1).max(128), timestamp: z.string().max(40) }),
  delivery: z.object({
    destination: z.string().max(40),
    providerResponse: z.string().max(500),
    priceInUSD: z.number().min(0).max(100).optional(),
    smsType: z.string().max(20).optional(),
    phoneCarrier: z.string().max(200).optional(),
    mcc: z.number().optional(),
    mnc: z.number().optional(),
    dwellTimeMs: z.number().optional(),
    dwellTimeMsUntilDeviceAck: z.number().optional(),
  }),
  status: z.enum(['SUCCESS', 'FAILURE']),
});
export type SmsDeliveryStatus = z.infer<typeof smsDeliveryStatusSchema>;

/** The record as a receipt: SUCCESS is delivered; FAILURE is undelivered, with the reason read from the carrier's answer. */
export function receiptFromDeliveryStatus(record: SmsDeliveryStatus): DeliveryReceipt {
  // SNS writes `2016-06-28 00:40:34.558` (UTC, no zone).
  const at = new Date(`${record.notification.timestamp.replace(' ', 'T')}Z`);
  return {
    smsId: record.notification.messageId,
    status: record.status === 'SUCCESS' ? 'delivered' : 'undelivered',
    ...(record.status === 'FAILURE' && { reason: undeliveredReason(record.delivery.providerResponse) }),
    providerResponse: record.delivery.providerResponse,
    priceUsd: record.delivery.priceInUSD ?? 0,
    destination: record.delivery.destination,
    at: Number.isNaN(at.getTime()) ? new Date().toISOString() : at.toISOString(),
  };
}
