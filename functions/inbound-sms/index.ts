import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { inboundSmsSchema, snsEventSchema } from '../../events/index.ts';
import { ValidationError, maskPhone } from '../../packages/core/index.ts';
import { tableRepositories } from '../../packages/dynamo/index.ts';
import { fieldErrors, inboundSmsEnv, inboundSmsServiceFromEnv, loadConfig, logger, smsChannelEnv, smsChannelFromEnv, system } from '../../packages/lambda/index.ts';

const config = loadConfig(inboundSmsEnv.extend(smsChannelEnv.shape));
const sms = inboundSmsServiceFromEnv(config, tableRepositories(config.TABLE_NAME), smsChannelFromEnv(config), system);

/**
 * SNS subscriber for the inbound SMS topic (two-way SMS). Each message is handled once by its
 * inboundMessageId; a failure is thrown so that SNS/Lambda retry it and, at last, the DLQ keeps it.
 */
export const handler = middy(async (event: unknown) => {
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('Not an SNS event', fieldErrors(parsed.error));
  const outcomes = [];
  for (const record of parsed.data.Records) {
    let json: unknown;
    try {
      json = JSON.parse(record.Sns.Message);
    } catch (error) {
      throw new ValidationError('The SNS message is not JSON', [], { cause: error });
    }
    const message = inboundSmsSchema.safeParse(json);
    if (!message.success) throw new ValidationError('Not an inbound SMS', fieldErrors(message.error));
    const { originationNumber, destinationNumber, messageBody, inboundMessageId } = message.data;
    const outcome = await sms.handleInbound({ from: originationNumber, text: messageBody, inboundMessageId, ...(destinationNumber && { to: destinationNumber }) });
    logger.info('inbound sms', { from: maskPhone(originationNumber), inboundMessageId, ...outcome });
    outcomes.push(outcome);
  }
  return { outcomes };
}).use(injectLambdaContext(logger));
