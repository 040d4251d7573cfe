import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnPhoneNumber } from 'aws-cdk-lib/aws-smsvoice';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { PlatformFunction, READ_AND_PUT } from './platform-function.ts';

/**
 * Two-way SMS: the KMS-encrypted topic End User Messaging publishes inbound SMS to, the
 * inbound-sms function subscribed to it, and (with `-c twoWaySmsNumber`) the number itself.
 * Created in the stack's own scope, so the resources keep their logical ids.
 */
export function addTwoWaySms(stack: Stack, props: { table: ITable; eventsDlq: IQueue; isProd: boolean }): { inboundTopic: Topic; inboundSms: PlatformFunction } {
  const { table, eventsDlq, isProd } = props;
  // Two-way SMS: End User Messaging publishes each inbound SMS to this topic.
  const inboundKey = new Key(stack, 'InboundSmsKey', {
    enableKeyRotation: true,
    description: 'Encrypts the inbound SMS topic; AWS End User Messaging SMS publishes to it',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Like the topic policy below: End User Messaging may use the key only on behalf of this account.
  inboundKey.addToResourcePolicy(
    new PolicyStatement({
      sid: 'TwoWaySmsEncrypts',
      principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );
  const inboundTopic = new Topic(stack, 'InboundSms', { enforceSSL: true, masterKey: inboundKey });
  inboundTopic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'TwoWaySmsPublishes',
      principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [inboundTopic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );
  const inboundSms = new PlatformFunction(stack, 'InboundSmsHandler', {
    functionDir: 'inbound-sms',
    description: 'Two-way SMS: keyword commands, one reply per inbound message',
  })
    // UpdateItem: a number's opt-out, product counters; DeleteItem: a confirmation once used.
    .bindTable(table, [...READ_AND_PUT, 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'])
    .bindSmsSending();
  inboundTopic.addSubscription(new LambdaSubscription(inboundSms, { deadLetterQueue: eventsDlq }));

  // Optional: the two-way number itself, e.g. -c twoWaySmsNumber='{"isoCountryCode":"US","numberType":"TOLL_FREE"}'.
  const numberContext = stack.node.tryGetContext('twoWaySmsNumber') as string | { isoCountryCode: string; numberType: string } | undefined;
  if (numberContext) {
    const number = typeof numberContext === 'string' ? (JSON.parse(numberContext) as { isoCountryCode: string; numberType: string }) : numberContext;
    new CfnPhoneNumber(stack, 'TwoWayNumber', {
      isoCountryCode: number.isoCountryCode,
      numberType: number.numberType,
      numberCapabilities: ['SMS'],
      // The platform owns opt-out semantics (TD IPO must not become a carrier-level opt-out).
      selfManagedOptOutsEnabled: true,
      twoWay: { enabled: true, channelArn: inboundTopic.topicArn },
      mandatoryKeywords: {
        help: { message: 'Reply BZ or HELP for the list of commands.' },
        stop: { message: 'Reply START to opt back in.' },
      },
      deletionProtectionEnabled: isProd,
    });
  }
  return { inboundTopic, inboundSms };
}
