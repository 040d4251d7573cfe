import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { countAwsRequest, send } from './http-helpers.ts';
import type { LocalOutbox } from './outbox.ts';
import type { SmsQuota } from './sms-quota.ts';

export interface SnsApiDeps {
  /** The account's SMS quota (throttling above it). */
  smsQuota: SmsQuota;
  outbox: LocalOutbox;
  awsRequests: Record<string, number>;
}

/**
 * A stand-in for the SNS API (query protocol) at AWS_ENDPOINT_URL_SNS: `Publish` to a phone
 * number lands in the outbox. The handlers keep their real SNS adapter; only the endpoint differs.
 */
export async function snsApi(deps: SnsApiDeps, body: string, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  const phone = form.get('PhoneNumber');
  const xml = (status: number, text: string) => send(res, { statusCode: status, headers: { 'content-type': 'text/xml' }, body: text });
  if (action !== 'Publish' || !phone) {
    return xml(400, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Only Publish to a PhoneNumber is supported locally</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  }
  const attributes = new Map<string, string>();
  for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
    attributes.set(form.get(`MessageAttributes.entry.${i}.Name`)!, form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '');
  }
  countAwsRequest(deps.awsRequests, 'SNS.Publish');
  if (!deps.smsQuota.take()) {
    return xml(429, `<ErrorResponse><Error><Type>Sender</Type><Code>Throttled</Code><Message>Rate exceeded: the account's SMS quota is ${deps.smsQuota.perSecond} per second</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  }
  const smsType = attributes.get('AWS.SNS.SMS.SMSType') === 'Promotional' ? 'Promotional' : 'Transactional';
  const { messageId } = await deps.outbox.send({ to: phone, body: form.get('Message') ?? '', smsType });
  return xml(
    200,
    `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
  );
}
