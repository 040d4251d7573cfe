import { PublishCommand, SNSClient, ThrottledException, InvalidParameterException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsSmsSender } from '../../../packages/aws/index.ts';
import { SmsRejectedError, SmsThrottledError } from '../../../packages/core/index.ts';

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

const sms = { to: '+8613800138000', body: '【XX证券】您已订阅IPO提醒', smsType: 'Transactional' as const };

describe('SnsSmsSender', () => {
  it('publishes one SMS to the phone number with the SMS type and sender attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const sender = new SnsSmsSender(new SNSClient({ region: 'cn-north-1' }), { senderId: 'XXSEC', originationNumber: '+8610690000', maxPrice: '0.50' });
    expect(await sender.send(sms)).toEqual({ messageId: 'm-1' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: '+8613800138000',
      Message: sms.body,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'XXSEC' },
        'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+8610690000' },
        'AWS.SNS.SMS.MaxPrice': { DataType: 'Number', StringValue: '0.50' },
      },
    });
  });

  it('turns throttling into SmsThrottledError and a bad request into SmsRejectedError', async () => {
    const sender = new SnsSmsSender(new SNSClient({ region: 'cn-north-1' }));
    sns.on(PublishCommand).rejects(new ThrottledException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(sender.send(sms)).rejects.toBeInstanceOf(SmsThrottledError);
    sns.on(PublishCommand).rejects(new InvalidParameterException({ message: 'Invalid phone number', $metadata: {} }));
    await expect(sender.send(sms)).rejects.toBeInstanceOf(SmsRejectedError);
    sns.on(PublishCommand).rejects(new Error('socket hang up'));
    await expect(sender.send(sms)).rejects.toThrow('socket hang up');
  });
});
