import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { accountEventSchema, eventBridgeEvent } from '../../events/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import { alertServiceFromEnv, alertsEnv, emitCount, fieldErrors, loadConfig, logger, smsChannelEnv, smsChannelFromEnv, system } from '../../packages/lambda/index.ts';

const config = loadConfig(alertsEnv.extend(smsChannelEnv.shape));
const alerts = alertServiceFromEnv(config, tableRepositories(config.TABLE_NAME), smsChannelFromEnv(config), system);
const eventSchema = eventBridgeEvent('trading', 'AccountEvent', accountEventSchema);

/** EventBridge target for trading/AccountEvent: one transactional alert, once per eventId. */
export const handler = middy(async (event: unknown) => {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Not an AccountEvent', fieldErrors(parsed.error));
  const outcome = await alerts.sendAccountAlert(parsed.data.detail);
  logger.info('account alert', { eventId: parsed.data.detail.eventId, type: parsed.data.detail.type, outcome });
  // An alert the event could not fill: the upstream system sent less than the template needs.
  if (outcome === 'missing-data') emitCount('AlertMissingData', 1, { type: parsed.data.detail.type });
  return { outcome };
}).use(injectLambdaContext(logger));
