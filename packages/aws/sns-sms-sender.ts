import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { SmsRejectedError, SmsThrottledError, type OutboundSms, type SmsSender } from '../core/index.ts';

export interface SnsSmsOptions {
  /** Registered sender ID (where the destination country supports it). */
  senderId?: string;
  /** Origination identity (a phone number or its ARN) to send from. */
  originationNumber?: string;
  /** Spending limit per message in USD, as a string (AWS.SNS.SMS.MaxPrice). */
  maxPrice?: string;
}

const THROTTLED = new Set(['ThrottledException', 'ThrottlingException', 'TooManyRequestsException', 'KMSThrottlingException']);
const REJECTED = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'OptedOutException', 'EndpointDisabledException']);

/**
 * SmsSender over SNS: one Publish per recipient (SMS to a phone number cannot be batched),
 * with the SMS type and sender attributes. SDK errors become domain errors here: throttling
 * (retry later) or rejection (do not retry); anything else is rethrown as it is.
 */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly sns: SNSClient,
    private readonly options: SnsSmsOptions = {},
  ) {}

  async send(sms: OutboundSms): Promise<{ messageId: string }> {
    const attributes: Record<string, MessageAttributeValue> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: sms.smsType },
    };
    if (this.options.senderId) attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.options.senderId };
    if (this.options.originationNumber) {
      attributes['AWS.MM.SMS.OriginationNumber'] = { DataType: 'String', StringValue: this.options.originationNumber };
    }
    if (this.options.maxPrice) attributes['AWS.SNS.SMS.MaxPrice'] = { DataType: 'Number', StringValue: this.options.maxPrice };
    try {
      const result = await this.sns.send(new PublishCommand({ PhoneNumber: sms.to, Message: sms.body, MessageAttributes: attributes }));
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      const name = (error as Error).name;
      if (THROTTLED.has(name)) throw new SmsThrottledError('SNS throttled the publish', { cause: error });
      if (REJECTED.has(name)) throw new SmsRejectedError(`SNS rejected the message: ${name}`, { cause: error });
      throw error;
    }
  }
}
