import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import { accountEventSchema, eventBridgeEvent } from '../../events/index.ts';
import { SnsSmsSender } from '../../packages/aws/index.ts';
import { ValidationError } from '../../packages/core/index.ts';
import { createDynamoStore } from '../../packages/dynamo/index.ts';
import { createPlatformServices, fieldErrors, loadConfig, logger, platformConfigSchema, systemClock, ulidGenerator } from '../../packages/lambda/index.ts';

const config = loadConfig(platformConfigSchema);
const sender = new SnsSmsSender(new SNSClient({}), {
  ...(config.SMS_SENDER_ID && { senderId: config.SMS_SENDER_ID }),
  ...(config.SMS_ORIGINATION_NUMBER && { originationNumber: config.SMS_ORIGINATION_NUMBER }),
});
const alerts = createPlatformServices(config, createDynamoStore(config.TABLE_NAME), systemClock, ulidGenerator, sender).alerts();
const eventSchema = eventBridgeEvent('trading', 'AccountEvent', accountEventSchema);

/** EventBridge target for trading/AccountEvent: one transactional alert, once per eventId. */
export const handler = middy(async (event: unknown) => {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Not an AccountEvent', fieldErrors(parsed.error));
  const outcome = await alerts.sendAccountAlert(parsed.data.detail);
  logger.info('account alert', { eventId: parsed.data.detail.eventId, type: parsed.data.detail.type, outcome });
  return { outcome };
}).use(injectLambdaContext(logger));
