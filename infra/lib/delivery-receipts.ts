import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterPattern, LogGroup, RetentionDays, SubscriptionFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { AwsCustomResource, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { nagEnvironment } from './nag.ts';
import { PlatformFunction } from './platform-function.ts';

/**
 * How a stage takes part in the account's SMS delivery-status logging (an account and region has
 * one setting and one pair of log groups, whatever the stages): `owner` turns it on and creates
 * the log groups; `subscriber` only subscribes to them (a second stage: a log group takes two
 * subscription filters, and each stage counts the other's receipts as unknown).
 */
export type SmsDeliveryLogging = 'owner' | 'subscriber';

export interface DeliveryReceiptsProps {
  table: ITable;
  logging: SmsDeliveryLogging;
  /** How long the delivery-status logs are kept (the carriers' word on each SMS). */
  retention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * The deployed path of delivery receipts: SNS writes a delivery-status record for every SMS to
 * `sns/<region>/<account>/DirectPublishToPhoneNumber` (and `.../Failure`), and a subscription
 * filter on each hands the records to the delivery-receipts function.
 */
export class DeliveryReceipts extends Construct {
  readonly handler: PlatformFunction;
  readonly logGroups: { success: ILogGroup; failure: ILogGroup };

  constructor(scope: Construct, id: string, props: DeliveryReceiptsProps) {
    super(scope, id);
    // BatchGetItem: the SMS a payload names, their numbers; Query: parked receipts; UpdateItem:
    // each SMS's final status, product counters, numbers' receipts; PutItem: receipt counts (in the
    // same transaction); BatchWriteItem: parking and unparking receipts.
    this.handler = new PlatformFunction(this, 'ReceiptsFunction', {
      functionDir: 'delivery-receipts',
      description: 'SNS SMS delivery-status logs (subscription filters): each SMS delivered or undelivered, counts, dead numbers',
      timeout: Duration.minutes(1),
    }).bindTable(props.table, ['dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem']);

    const names = smsDeliveryLogGroupNames();
    if (props.logging === 'owner') {
      const group = (groupId: string, logGroupName: string) => new LogGroup(this, groupId, { logGroupName, retention: props.retention, removalPolicy: props.removalPolicy });
      this.logGroups = { success: group('SuccessLogs', names.success), failure: group('FailureLogs', names.failure) };
      this.turnOnDeliveryStatusLogging();
    } else {
      this.logGroups = { success: LogGroup.fromLogGroupName(this, 'SuccessLogs', names.success), failure: LogGroup.fromLogGroupName(this, 'FailureLogs', names.failure) };
    }
    for (const [filterId, logGroup] of [['SuccessFilter', this.logGroups.success], ['FailureFilter', this.logGroups.failure]] as const) {
      new SubscriptionFilter(this, filterId, { logGroup, destination: new LambdaDestination(this.handler), filterPattern: FilterPattern.allEvents() });
    }
  }

  /**
   * The account's SMS attributes DeliveryStatusIAMRole (the role SNS writes the logs with: log
   * streams and events in these two groups only) and DeliveryStatusSuccessSamplingRate 100 (every
   * delivered SMS, not a sample), set by a custom resource that may do exactly that.
   */
  private turnOnDeliveryStatusLogging(): void {
    const stack = Stack.of(this);
    const names = smsDeliveryLogGroupNames();
    const snsRole = new Role(this, 'SnsDeliveryStatusRole', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: 'SNS writes SMS delivery-status logs with this role',
    });
    const logsResource = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: `${names.success}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    snsRole.addToPolicy(
      new PolicyStatement({
        sid: 'WriteSmsDeliveryStatusLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logsResource],
      }),
    );
    const env = nagEnvironment(stack);
    Validations.of(snsRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${env.region}:${env.account}:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber*]`,
      reason: 'SNS writes log streams in the two SMS delivery-status log groups (DirectPublishToPhoneNumber and DirectPublishToPhoneNumber/Failure) only; their stream names are chosen by SNS.',
    });

    const attributes = (role: string, rate: string) => ({ service: 'SNS', action: 'setSMSAttributes', parameters: { attributes: { DeliveryStatusIAMRole: role, DeliveryStatusSuccessSamplingRate: rate } } });
    const setting = new AwsCustomResource(this, 'SmsDeliveryStatusLogging', {
      onCreate: { ...attributes(snsRole.roleArn, '100'), physicalResourceId: PhysicalResourceId.of('sms-delivery-status-logging') },
      onUpdate: { ...attributes(snsRole.roleArn, '100'), physicalResourceId: PhysicalResourceId.of('sms-delivery-status-logging') },
      // Without the stage there is no role: SNS stops writing delivery-status logs.
      onDelete: attributes('', '0'),
      policy: {
        statements: [
          // SetSMSAttributes has no resource-level permissions.
          new PolicyStatement({ sid: 'SetSmsAttributes', actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
          new PolicyStatement({
            sid: 'PassDeliveryStatusRole',
            actions: ['iam:PassRole'],
            resources: [snsRole.roleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'sns.amazonaws.com' } },
          }),
        ],
      },
      installLatestAwsSdk: false,
      logGroup: new LogGroup(this, 'SmsDeliveryStatusLoggingLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    });
    setting.node.addDependency(this.logGroups.success, this.logGroups.failure);
    Validations.of(setting).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'sns:SetSMSAttributes has no resource-level permissions; the policy allows nothing else on *.' });
    // The custom resource's provider function is CDK's singleton; acknowledged where it lives.
    const provider = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
    if (provider) {
      Validations.of(provider).acknowledge(
        { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: "CDK's AwsCustomResource provider logs with the AWS managed basic execution policy; it runs only at deployment." },
        { id: 'AwsSolutions-L1', reason: "CDK's AwsCustomResource provider runtime is chosen by aws-cdk-lib; it runs only at deployment." },
      );
    }
  }
}

/** The singleton Lambda behind every AwsCustomResource of a stack (its construct id is fixed by aws-cdk-lib). */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** Where SNS writes SMS delivery status: fixed names per account and region. */
export function smsDeliveryLogGroupNames() {
  const success = `sns/${Aws.REGION}/${Aws.ACCOUNT_ID}/DirectPublishToPhoneNumber`;
  return { success, failure: `${success}/Failure` };
}
