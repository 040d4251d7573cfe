import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { cloudWatchLogsEventSchema, receiptFromDeliveryStatus } from '../../events/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import { decodeDeliveryLogs, emitCount, fieldErrors, loadConfig, logger, receiptServiceFromEnv, receiptsEnv, system } from '../../packages/lambda/index.ts';

const config = loadConfig(receiptsEnv);
const receipts = receiptServiceFromEnv(config, tableRepositories(config.TABLE_NAME), system);

/** The subscription filters' payloads, and `{ retryParked: true }` from the schedule that tries parked receipts again. */
const inputSchema = z.union([cloudWatchLogsEventSchema, z.strictObject({ retryParked: z.literal(true) })]);

/**
 * SNS SMS delivery-status logs (both log groups, through subscription filters): each record is
 * the receipt of one SMS. A bad record is logged and counted (a metric), never failing the rest;
 * a receipt for an SMS not recorded yet is parked and tried again; one never recorded is counted.
 */
export const handler = middy(async (event: unknown) => {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Expected a CloudWatch Logs subscription event or { retryParked: true }', fieldErrors(parsed.error));
  if ('retryParked' in parsed.data) {
    const outcome = await receipts.retryParked();
    if (outcome.unknown) emitCount('ReceiptsForUnknownSms', outcome.unknown);
    logger.info('parked receipts tried again', { ...outcome });
    return outcome;
  }
  const { records, malformed } = decodeDeliveryLogs(parsed.data.awslogs.data);
  for (const bad of malformed) logger.warn('delivery-status log record skipped', bad);
  if (malformed.length) emitCount('ReceiptRecordsMalformed', malformed.length);
  const outcome = await receipts.handleReceipts(records.map(receiptFromDeliveryStatus));
  logger.info('receipts', { ...outcome, malformed: malformed.length });
  return { ...outcome, malformed: malformed.length };
}).use(injectLambdaContext(logger));
