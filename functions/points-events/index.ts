import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { commissionChargedSchema, customerReferredSchema, eventBridgeEvent } from '../../events/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import { fieldErrors, loadConfig, logger, pointsEnv, pointsServiceFromEnv, system } from '../../packages/lambda/index.ts';

const config = loadConfig(pointsEnv);
const points = pointsServiceFromEnv(config, tableRepositories(config.TABLE_NAME), system);

const pointsEventSchema = z.union([
  eventBridgeEvent('trading', 'CommissionCharged', commissionChargedSchema),
  eventBridgeEvent('crm', 'CustomerReferred', customerReferredSchema),
]);

/**
 * EventBridge target for the events that earn points. Each is applied once (by tradeId /
 * referred customer) however often EventBridge or Lambda retries it; an event that cannot be
 * parsed or applied fails, is retried, and ends in the DLQ.
 */
export const handler = middy(async (event: unknown) => {
  const parsed = pointsEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Not a points event', fieldErrors(parsed.error));
  const e = parsed.data;
  const by = { actor: e.source, role: 'system', channel: 'event' } as const;
  const entry =
    e['detail-type'] === 'CommissionCharged'
      ? await points.creditCommission(e.detail, by)
      : await points.creditReferral(e.detail, by);
  logger.info('points event applied', { detailType: e['detail-type'], eventId: e.id, credited: entry?.delta ?? 0 });
  return { credited: entry?.delta ?? 0, entryId: entry?.entryId };
}).use(injectLambdaContext(logger));
