import { CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { DELIVERY_QUEUE, EVENT_RULES, RATE_SCHEDULES, RECURRING_SCHEDULES, type EventTarget, type ScheduleTarget } from '../../events/index.ts';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, Mfa, UserPool, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ROLES } from '../../packages/core/index.ts';
import { tableDefinition } from '../../packages/dynamo/index.ts';
import { DeliveryReceipts, type SmsDeliveryLogging } from './delivery-receipts.ts';
import { Supervision } from './supervision.ts';
import { StaffConsole } from './console.ts';
import { PlatformFunction, READ_AND_PUT, acknowledgeInvokeVersions } from './platform-function.ts';
import { addTwoWaySms } from './two-way-sms.ts';

export interface SmsPlatformStackProps extends StackProps {
  /** Stage name (dev, prod, ...): several stages fit one account, no resource names are fixed. */
  stage: string;
}

export class SmsPlatformStack extends Stack {
  constructor(scope: Construct, id: string, props: SmsPlatformStackProps) {
    super(scope, id, props);
    const isProd = props.stage === 'prod';

    // The one table, from the definition the local runtime also uses.
    const table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: isProd,
      removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const gsi of tableDefinition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // Staff sign in through Cognito; their group is their role.
    const userPool = new UserPool(this, 'StaffUserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'StaffUserPool: threat protection (Plus feature plan) is a per-brokerage cost decision; MFA is required for all staff.',
    });
    for (const role of ROLES) {
      new UserPoolGroup(this, `Group-${role}`, { userPool, groupName: role, description: `Admin API role ${role}` });
    }
    const userPoolClient = userPool.addClient('AdminClient', {
      authFlows: { userSrp: true },
      disableOAuth: true, // SRP only: with the console's Hosted UI domain, OAuth flows here would be reachable too
      generateSecret: false,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    const staffConsole = new StaffConsole(this, 'Console', { userPool, stage: props.stage });

    // UpdateItem: a customer's claim of a phone number, a product's latest survey; BatchGetItem: a
    // survey and its counter shards; SMS: a complaint's resolution to the client.
    const adminApi = new PlatformFunction(this, 'AdminApi', {
      functionDir: 'admin-api',
      description: 'Admin API: products, customers, points, packages, messages, reviews, cases, surveys, audit',
    })
      .bindTable(table, [...READ_AND_PUT, 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem'])
      .bindSmsSending();
    // The stage's key for the page cursors the admin API hands out (sealed, so a caller can neither
    // read nor steer them). Resolved into the function's environment at deploy time.
    const cursorSecret = new Secret(this, 'CursorSecret', {
      description: 'Seals the admin API page cursors (AES-GCM key material); a new value only invalidates cursors in flight',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'CursorSecret only seals page cursors, which live for minutes; rotating it (a new deploy value) would only make cursors in flight a 400, so it is not rotated automatically.',
    });
    adminApi.addEnvironment('CURSOR_SECRET', cursorSecret.secretValue.unsafeUnwrap());

    // Delivery pipeline: admin API -> dispatcher (async invoke) -> SQS recipient batches -> sender -> SNS.
    const deliveryDlq = new Queue(this, 'DeliveryDlq', {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deliveryDlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'DeliveryDlq is itself the dead-letter queue of DeliveryQueue.' });
    // 100 recipients at 10 MPS shared by 10 senders take 100 s: room for that, and for retries.
    const senderTimeout = Duration.minutes(5);
    const deliveryQueue = new Queue(this, 'DeliveryQueue', {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      // Six times the sender's timeout, as AWS advises for an event source mapping.
      visibilityTimeout: Duration.seconds(senderTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: deliveryDlq, maxReceiveCount: DELIVERY_QUEUE.maxReceiveCount },
    });
    const dispatcher = new PlatformFunction(this, 'Dispatcher', {
      functionDir: 'dispatcher',
      description: "Pages a message's audience into recipient batches on the delivery queue",
      timeout: Duration.minutes(5),
    }).bindTable(table, READ_AND_PUT);
    dispatcher.addEnvironment('DELIVERY_QUEUE_URL', deliveryQueue.queueUrl);
    deliveryQueue.grantSendMessages(dispatcher);
    const sender = new PlatformFunction(this, 'Sender', {
      functionDir: 'sender',
      description: 'Sends one SMS per recipient of a batch (SNS Publish), once, and records the outcome',
      timeout: senderTimeout,
    })
      // BatchGetItem: profiles, numbers and subscriptions; PutItem: delivery claims, deferrals,
      // batch outcomes; UpdateItem: released claims, daily caps, the send budget; BatchWriteItem:
      // the record of each SMS sent (its SNS MessageId, for its receipt).
      .bindTable(table, ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'])
      .bindSmsSending();
    sender.addEventSource(
      new SqsEventSource(deliveryQueue, { batchSize: DELIVERY_QUEUE.batchSize, maxConcurrency: DELIVERY_QUEUE.maxConcurrency, reportBatchItemFailures: true }),
    );
    // Non-trading days for product slots: -c tradingHolidays=2027-01-01,2027-02-08 (exchange-local dates).
    const tradingHolidays = this.node.tryGetContext('tradingHolidays') as string | undefined;
    if (tradingHolidays !== undefined && !/^(\d{4}-\d{2}-\d{2})(,\d{4}-\d{2}-\d{2})*$/.test(String(tradingHolidays))) {
      throw new Error(`tradingHolidays must be YYYY-MM-DD dates separated by commas, got ${String(tradingHolidays)}`);
    }
    // The account's SMS quota (messages per second), shared by all senders: -c smsMpsBudget=100.
    const smsMpsBudget = this.node.tryGetContext('smsMpsBudget') as string | number | undefined;
    if (smsMpsBudget !== undefined) {
      if (!(Number(smsMpsBudget) > 0)) throw new Error(`smsMpsBudget must be a positive number of messages per second, got ${String(smsMpsBudget)}`);
      sender.addEnvironment('SMS_MPS_BUDGET', String(Number(smsMpsBudget)));
    }
    adminApi.bindInvoke('DISPATCHER_FUNCTION', dispatcher);

    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'SMS platform admin API',
      createDefaultStage: false,
      corsPreflight: staffConsole.corsPreflight,
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    staffConsole.publish(stage.url);
    const integration = new HttpLambdaIntegration('AdminApiIntegration', adminApi);
    httpApi.addRoutes({
      path: '/admin/{proxy+}',
      methods: [HttpMethod.ANY],
      integration,
      authorizer: new HttpUserPoolAuthorizer('StaffAuthorizer', userPool, { userPoolClients: [userPoolClient, staffConsole.client] }),
    });
    const [openApiRoute] = httpApi.addRoutes({ path: '/openapi.json', methods: [HttpMethod.GET], integration });
    Validations.of(openApiRoute!).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'GET /openapi.json: the OpenAPI document is public by contract (API.md); it holds no data. /admin/* requires the Cognito JWT.',
    });

    // Operators subscribe to this topic to hear about alarms.
    const opsTopic = new Topic(this, 'OpsAlarms', {
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
    });
    const alarm = (id: string, props: ConstructorParameters<typeof Alarm>[2]) =>
      new Alarm(this, id, { treatMissingData: TreatMissingData.NOT_BREACHING, ...props }).addAlarmAction(new SnsAction(opsTopic));

    // Upstream systems (trading, CRM, market data) put their events on this bus.
    const bus = new EventBus(this, 'PlatformBus', { description: 'Events consumed by the SMS platform (API.md)' });
    const eventsDlq = new Queue(this, 'EventsDlq', {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(eventsDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'EventsDlq is itself the dead-letter queue of the event rules, the schedules, the inbound SMS subscription and asynchronous invocations.',
    });
    alarm('EventsDlqNotEmpty', {
      alarmDescription: 'An event or schedule could not be processed after its retries: look at the EventsDlq messages.',
      metric: eventsDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    const { inboundTopic, inboundSms } = addTwoWaySms(this, { table, eventsDlq, isProd });

    alarm('DeliveryDlqNotEmpty', {
      alarmDescription: `Recipient batches could not be sent after ${DELIVERY_QUEUE.maxReceiveCount} receives: look at the DeliveryDlq messages.`,
      metric: deliveryDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    alarm('SenderErrors', {
      alarmDescription: 'The sender function failed',
      metric: sender.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // Delivery receipts: SNS delivery-status logs -> subscription filters -> delivery-receipts.
    // -c smsDeliveryLogging=subscriber for a second stage in an account that already has them.
    const smsDeliveryLogging = (this.node.tryGetContext('smsDeliveryLogging') as string | undefined) ?? 'owner';
    if (smsDeliveryLogging !== 'owner' && smsDeliveryLogging !== 'subscriber') {
      throw new Error(`Context smsDeliveryLogging must be owner or subscriber, not "${smsDeliveryLogging}"`);
    }
    const receipts = new DeliveryReceipts(this, 'DeliveryReceipts', {
      table,
      logging: smsDeliveryLogging satisfies SmsDeliveryLogging,
      retention: isProd ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
      removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const supervision = new Supervision(this, 'Supervision', { table });
    supervision.overdueComplaints.addAlarmAction(new SnsAction(opsTopic));

    const targets: Record<EventTarget | ScheduleTarget | 'inbound-sms' | 'dispatcher' | 'delivery-receipts' | 'supervision', PlatformFunction> = {
      'inbound-sms': inboundSms,
      dispatcher,
      'delivery-receipts': receipts.handler,
      supervision: supervision.handler,
      'account-alerts': new PlatformFunction(this, 'AccountAlerts', {
        functionDir: 'account-alerts',
        description: 'trading/AccountEvent: one transactional alert to an account-alerts subscriber, once per eventId',
      })
        .bindTable(table, READ_AND_PUT)
        .bindSmsSending(),
      'points-events': new PlatformFunction(this, 'PointsEvents', {
        functionDir: 'points-events',
        description: 'Points from CommissionCharged and CustomerReferred events, once per trade / referral',
      }).bindTable(table, READ_AND_PUT),
      'ipo-reminders': new PlatformFunction(this, 'IpoReminders', {
        functionDir: 'ipo-reminders',
        description: 'market/IpoScheduled: reminder schedules for the subscription and listing days; publishes each reminder',
      })
        .bindTable(table, READ_AND_PUT)
        .bindInvoke('DISPATCHER_FUNCTION', dispatcher),
      'product-slots': new PlatformFunction(this, 'ProductSlots', {
        functionDir: 'product-slots',
        description: 'Product slots (e.g. weekdays 08:45): starts the messages queued for the slot, except on non-trading days',
      })
        .bindTable(table, READ_AND_PUT)
        .bindInvoke('DISPATCHER_FUNCTION', dispatcher),
      loyalty: new PlatformFunction(this, 'Loyalty', {
        functionDir: 'loyalty',
        description: 'Daily: loyalty points on account anniversaries',
        timeout: Duration.minutes(5),
      }).bindTable(table, READ_AND_PUT),
    };
    for (const [name, fn] of Object.entries(targets)) {
      // Asynchronous invocations (EventBridge, Scheduler): two Lambda retries, then the DLQ.
      fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(eventsDlq) });
      alarm(`${fn.node.id}Errors`, {
        alarmDescription: `The ${name} function failed`,
        metric: fn.metricErrors({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }

    // Rules and schedules come from events/routes.ts, like the local runtime's bus and scheduler.
    for (const rule of EVENT_RULES) {
      new Rule(this, `Rule${rule.name}`, {
        eventBus: bus,
        description: `${rule.source}/${rule.detailType} -> ${rule.target}`,
        eventPattern: { source: [rule.source], detailType: [rule.detailType] },
        targets: [
          new LambdaFunction(targets[rule.target], { deadLetterQueue: eventsDlq, retryAttempts: 8, maxEventAge: Duration.hours(24) }),
        ],
      });
    }
    const scheduleGroup = new ScheduleGroup(this, 'Schedules', { removalPolicy: RemovalPolicy.DESTROY });
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: invoke the scheduled functions, send failures to the DLQ',
    });
    for (const schedule of RECURRING_SCHEDULES) {
      new Schedule(this, `Schedule-${schedule.name}`, {
        description: `${schedule.weekdaysOnly ? 'Mon-Fri' : 'Daily'} ${schedule.hour}:${String(schedule.minute).padStart(2, '0')} ${schedule.timezone} -> ${schedule.target}`,
        scheduleGroup,
        schedule: ScheduleExpression.cron({
          minute: String(schedule.minute),
          hour: String(schedule.hour),
          ...(schedule.weekdaysOnly && { weekDay: 'MON-FRI' }),
          timeZone: TimeZone.of(schedule.timezone),
        }),
        target: new LambdaInvoke(targets[schedule.target], {
          input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime, ...schedule.input }),
          deadLetterQueue: eventsDlq,
          retryAttempts: 3,
          role: schedulerRole,
        }),
      });
      acknowledgeInvokeVersions(schedulerRole, targets[schedule.target]);
    }

    for (const schedule of RATE_SCHEDULES) {
      new Schedule(this, `Schedule-${schedule.name}`, {
        description: `Every ${schedule.everyMinutes} minutes -> ${schedule.target}`,
        scheduleGroup,
        schedule: ScheduleExpression.rate(Duration.minutes(schedule.everyMinutes)),
        target: new LambdaInvoke(targets[schedule.target], { input: ScheduleTargetInput.fromObject(schedule.input), deadLetterQueue: eventsDlq, retryAttempts: 3, role: schedulerRole }),
      });
      acknowledgeInvokeVersions(schedulerRole, targets[schedule.target]);
    }

    if (tradingHolidays) targets['product-slots'].addEnvironment('TRADING_HOLIDAYS', String(tradingHolidays));

    // One-time schedules, each function only under its own name prefix, run as the scheduler role:
    // scheduled messages (admin API), quiet-hours releases (sender), IPO reminders (ipo-reminders).
    const schedules = { group: scheduleGroup, role: schedulerRole, deadLetterQueue: eventsDlq };
    adminApi.addEnvironment('DISPATCHER_ARN', dispatcher.functionArn);
    // Update: an edit moves a scheduled message's time.
    adminApi.bindSchedules({ ...schedules, prefix: 'message-', actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'] });
    sender.addEnvironment('DISPATCHER_ARN', dispatcher.functionArn);
    sender.bindSchedules({ ...schedules, prefix: 'release-', actions: ['scheduler:CreateSchedule'] });
    targets['ipo-reminders'].bindSchedules({
      ...schedules,
      prefix: 'ipo-',
      actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
    });
    // Surveys (admin API): the one-time schedule that closes each at the end of its window.
    adminApi.addEnvironment('SUPERVISION_ARN', supervision.handler.functionArn);
    // Delete: only the close of a survey whose creation failed.
    adminApi.bindSchedules({ ...schedules, prefix: 'survey-', actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'] });
    for (const fn of [dispatcher, targets['ipo-reminders'], supervision.handler]) {
      fn.grantInvoke(schedulerRole);
      acknowledgeInvokeVersions(schedulerRole, fn);
    }
    schedulerRole.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [eventsDlq.queueArn] }));

    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
    new CfnOutput(this, 'InboundSmsTopicArn', { value: inboundTopic.topicArn });
    new CfnOutput(this, 'OpsAlarmTopicArn', { value: opsTopic.topicArn });
    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: userPoolClient.userPoolClientId });
  }
}
