import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestBodyError, countAwsRequest, readBody, send } from './http-helpers.ts';
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
export async function snsApi(deps: SnsApiDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const xml = (status: number, text: string) => send(res, { statusCode: status, headers: { 'content-type': 'text/xml' }, body: text });
  const senderError = (status: number, code: string, message: string) =>
    xml(status, `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await readBody(req));
  } catch (error) {
    if (!(error instanceof RequestBodyError)) throw error;
    return senderError(error.status, 'InvalidParameter', error.message);
  }
  const action = form.get('Action');
  const phone = form.get('PhoneNumber');
  if (action !== 'Publish' || !phone) return senderError(400, 'InvalidParameter', 'Only Publish to a PhoneNumber is supported locally');
  const attributes = new Map<string, string>();
  for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
    attributes.set(form.get(`MessageAttributes.entry.${i}.Name`)!, form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '');
  }
  countAwsRequest(deps.awsRequests, 'SNS.Publish');
  if (!deps.smsQuota.take()) {
    return senderError(429, 'Throttled', `Rate exceeded: the account's SMS quota is ${deps.smsQuota.perSecond} per second`);
  }
  const smsType = attributes.get('AWS.SNS.SMS.SMSType') === 'Promotional' ? 'Promotional' : 'Transactional';
  const { messageId } = await deps.outbox.send({ to: phone, body: form.get('Message') ?? '', smsType });
  return xml(
    200,
    `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
  );
}
