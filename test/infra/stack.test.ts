import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../packages/core/index.ts';
import { createTableInput, tableDefinition } from '../../packages/dynamo/index.ts';
import { EVENT_RULES } from '../../events/index.ts';
import { buildApp } from '../../infra/lib/app.ts';
import { listFunctionBundles } from '../../infra/lib/bundles.ts';
import { PlatformFunction } from '../../infra/lib/platform-function.ts';

let outdir: string;
let template: Template;
let stack: Stack;

/** The DynamoDB actions each function's code uses (packages/dynamo, through its services). */
const TABLE_ACCESS: Record<string, string[]> = {
  'admin-api': ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchGetItem'],
  supervision: ['GetItem', 'Query', 'PutItem'],
  dispatcher: ['GetItem', 'Query', 'PutItem'],
  sender: ['BatchGetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
  'delivery-receipts': ['BatchGetItem', 'Query', 'UpdateItem', 'PutItem', 'BatchWriteItem'],
  'inbound-sms': ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
  'account-alerts': ['GetItem', 'Query', 'PutItem'],
  'points-events': ['GetItem', 'Query', 'PutItem'],
  loyalty: ['GetItem', 'Query', 'PutItem'],
  'ipo-reminders': ['GetItem', 'Query', 'PutItem'],
  'product-slots': ['GetItem', 'Query', 'PutItem'],
};

/** The functions that text phone numbers (bindSmsSending), by construct id. */
const SMS_SENDERS = ['InboundSmsHandler', 'Sender', 'AccountAlerts', 'AdminApi'];

/** Each function of the template by its folder under functions/ (POWERTOOLS_SERVICE_NAME); not CDK's own handlers (the console's BucketDeployment). */
function functionsByService(): Record<string, { logicalId: string; roleId: string; properties: any }> {
  return Object.fromEntries(
    Object.entries(template.findResources('AWS::Lambda::Function'))
      // Not CDK's own deployment-time functions (the AwsCustomResource provider).
      .filter(([, r]: [string, any]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
      .map(([logicalId, r]: [string, any]) => [
      r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME,
      { logicalId, roleId: r.Properties.Role['Fn::GetAtt'][0], properties: r.Properties },
    ]),
  );
}

/** Every statement a role has: its inline policies and the AWS::IAM::Policy resources attached to it. */
function roleStatements(roleId: string): any[] {
  const attached = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => (p.Properties.Roles ?? []).some((r: any) => r.Ref === roleId));
  const inline = template.findResources('AWS::IAM::Role')[roleId]!.Properties.Policies ?? [];
  return [...attached, ...inline.map((p: any) => ({ Properties: p }))].flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: any[]) => new Set(statements.flatMap((s) => [s.Action].flat() as string[]));

/** Reasons of the acknowledgements of `id` that cover `resource` (on it or on an ancestor), nearest first. */
function acknowledgementsCovering(resource: IConstruct, id: string): string[] {
  const reasons: string[] = [];
  for (let node: IConstruct | undefined = resource; node; node = node.node.scope) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        if (key.replace(/^annotation::/i, '') === id) reasons.push(reason);
      }
    }
  }
  return reasons;
}

const platformFunctions = () => stack.node.findAll().filter((c): c is PlatformFunction => c instanceof PlatformFunction);

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'cdk-test-'));
  const built = buildApp({
    outdir,
    stage: 'test',
    context: { 'aws:cdk:enable-asset-metadata': true, twoWaySmsNumber: '{"isoCountryCode":"US","numberType":"TOLL_FREE"}' },
  });
  stack = built.stack;
  // Throws "Validation failed" if cdk-nag (AwsSolutions) reports anything not acknowledged.
  built.app.synth();
  template = Template.fromStack(stack);
});

describe('SmsPlatformStack', () => {
  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const violations = report.pluginReports.flatMap((p: { violations: unknown[] }) => p.violations);
    expect(violations).toEqual([]);
  });

  it('passes cdk-nag too when the environment names the region and account (cdk synth with a configured profile)', () => {
    const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
    try {
      process.env.CDK_DEFAULT_REGION = 'ap-east-1';
      process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
      const built = buildApp({ stage: 'concrete', context: { 'aws:cdk:bundling-stacks': [] } });
      expect(built.stack.region).toBe('ap-east-1');
      expect(() => built.app.synth()).not.toThrow();
    } finally {
      for (const [key, value] of [['CDK_DEFAULT_REGION', saved.region], ['CDK_DEFAULT_ACCOUNT', saved.account]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('the nag check does fail a stack that breaks a rule', () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'cdk-bad-')) });
    const stack = new Stack(app, 'Bad');
    new Table(stack, 'NoPitr', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
  });

  it('has the one table, keyed exactly like the local table (one definition): on-demand, PITR on, no fixed name', () => {
    const local = createTableInput('local');
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: local.BillingMode,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayEquals(local.AttributeDefinitions!.map((a) => Match.objectEquals(a as unknown as Record<string, unknown>))),
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      GlobalSecondaryIndexes: local.GlobalSecondaryIndexes,
      TableName: Match.absent(),
    });
  });

  it('runs the admin API on Node 22, arm64, traced, with its own log group and the table name bound', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') } }) },
      FunctionName: Match.absent(),
    });
  });

  it('grants table actions to the functions only, and none of them Scan, DescribeTable or dynamodb:* (BatchWriteItem only to the sender and receipts)', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const functionRoles = new Set(Object.values(functionsByService()).map((fn) => fn.roleId));
    const withTableActions = Object.values(policies).filter((p: any) =>
      p.Properties.PolicyDocument.Statement.some((s: any) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:'))),
    );
    expect(withTableActions.length).toBeGreaterThan(0);
    for (const policy of withTableActions as any[]) expect(policy.Properties.Roles.every((r: any) => functionRoles.has(r.Ref))).toBe(true);
    expect(JSON.stringify(policies)).not.toMatch(/dynamodb:(\*|Scan|DescribeTable)/);
    const batchWriters = Object.entries(functionsByService()).filter(([, fn]) => actionsOf(roleStatements(fn.roleId)).has('dynamodb:BatchWriteItem'));
    expect(batchWriters.map(([name]) => name).sort()).toEqual(['delivery-receipts', 'sender']);
  });

  it('has a table access list for every function, and binds TABLE_NAME to each', () => {
    const functions = functionsByService();
    expect(Object.keys(functions).sort()).toEqual(Object.keys(TABLE_ACCESS).sort());
    const [tableId] = Object.keys(template.findResources('AWS::DynamoDB::Table'));
    for (const fn of Object.values(functions)) expect(fn.properties.Environment.Variables.TABLE_NAME).toEqual({ Ref: tableId });
  });

  it.each(Object.entries(TABLE_ACCESS))('grants %s exactly the table actions its code uses (%s), Query alone on the indexes', (service, actions) => {
    const fn = functionsByService()[service]!;
    const [tableId] = Object.keys(template.findResources('AWS::DynamoDB::Table'));
    const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
    const indexArns = { 'Fn::Join': ['', [tableArn, '/index/*']] };
    const statements = roleStatements(fn.roleId).filter((s) => [...actionsOf([s])].some((a) => a.startsWith('dynamodb:')));
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(actionsOf(statements)).toEqual(new Set(actions.map((a) => `dynamodb:${a}`)));
    for (const statement of statements) {
      const resources = [statement.Resource].flat();
      for (const resource of resources) expect([tableArn, indexArns]).toContainEqual(resource);
      if (resources.some((r) => JSON.stringify(r) === JSON.stringify(indexArns))) expect(statement.Action).toEqual('dynamodb:Query');
    }
    if (actions.includes('Query')) {
      expect(statements).toContainEqual(expect.objectContaining({ Action: 'dynamodb:Query', Resource: [tableArn, indexArns] }));
    }
  });

  it('lets End User Messaging use the inbound topic key only for this account, like the topic policy', () => {
    const account = stack.resolve(stack.account);
    const smsVoice = (s: any) => JSON.stringify(s.Principal ?? {}).includes('sms-voice.amazonaws.com');
    const keyStatements = Object.values(template.findResources('AWS::KMS::Key')).flatMap((k: any) => k.Properties.KeyPolicy.Statement).filter(smsVoice);
    expect(keyStatements.length).toBeGreaterThan(0);
    expect(actionsOf(keyStatements)).toEqual(new Set(['kms:GenerateDataKey*', 'kms:Decrypt']));
    for (const statement of keyStatements) expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': account } });
    const topicStatements = Object.values(template.findResources('AWS::SNS::TopicPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement).filter(smsVoice);
    expect(topicStatements.length).toBeGreaterThan(0);
    for (const statement of topicStatements) expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': account } });
  });

  it.each(Object.keys(TABLE_ACCESS))('runs %s as a role of its own, without managed policies, writing logs only to its own log group', (service) => {
    const functions = functionsByService();
    const fn = functions[service]!;
    expect(Object.values(functions).filter((other) => other.roleId === fn.roleId)).toHaveLength(1);
    const role = template.findResources('AWS::IAM::Role')[fn.roleId]!;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
    ]);
    const logGroupId = fn.properties.LoggingConfig.LogGroup.Ref;
    const statements = roleStatements(fn.roleId);
    const logs = statements.filter((s) => [...actionsOf([s])].some((a) => a.startsWith('logs:')));
    expect(actionsOf(logs)).toEqual(new Set(['logs:CreateLogStream', 'logs:PutLogEvents']));
    for (const statement of logs) expect([statement.Resource].flat()).toEqual([{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]);
    // Tracing still works.
    expect([...actionsOf(statements)]).toEqual(expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
  });

  it('acknowledges the * resource of each function policy for what it covers: X-Ray everywhere, sns:Publish only where SMS is sent', () => {
    const functions = platformFunctions();
    expect(functions).toHaveLength(Object.keys(TABLE_ACCESS).length);
    for (const fn of functions) {
      const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild!;
      const onStar = (stack.resolve((policy as any).policyDocument).Statement as any[]).filter((s) => s.Effect === 'Allow' && [s.Resource].flat().includes('*'));
      const sendsSms = SMS_SENDERS.includes(fn.node.id);
      expect(actionsOf(onStar), fn.node.id).toEqual(new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', ...(sendsSms ? ['sns:Publish'] : [])]));
      const reasons = acknowledgementsCovering(policy, 'AwsSolutions-IAM5[Resource::*]');
      expect(reasons, fn.node.id).toHaveLength(1);
      if (sendsSms) expect(reasons[0], fn.node.id).toContain('sns:Publish');
      else expect(reasons[0], fn.node.id).not.toMatch(/sns/i);
      for (const name of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', fn.node.id]) expect(reasons[0], fn.node.id).toContain(name);
    }
  });

  it('acknowledges <table>/index/* only for the functions that may Query, naming the action, the table and the function', () => {
    const tableLogicalId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0];
    const services = functionsByService();
    for (const fn of platformFunctions()) {
      const service = Object.keys(services).find((s) => services[s]!.logicalId === stack.resolve((fn.node.defaultChild as any).logicalId))!;
      const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild!;
      const reasons = acknowledgementsCovering(policy, `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`);
      if (!TABLE_ACCESS[service]!.includes('Query')) {
        expect(reasons, fn.node.id).toEqual([]);
        continue;
      }
      expect(reasons, fn.node.id).toHaveLength(1);
      for (const name of ['dynamodb:Query', `<${tableLogicalId}.Arn>/index/*`, fn.node.id]) expect(reasons[0], fn.node.id).toContain(name);
    }
  });

  it('routes each consumed event from the platform bus to its function, with retries and a DLQ', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const logicalIdOf = (dir: string) =>
      Object.entries(functions).find(([, r]: [string, any]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === dir)![0];
    for (const rule of EVENT_RULES) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: Match.stringLikeRegexp('^PlatformBus') },
        EventPattern: { source: [rule.source], 'detail-type': [rule.detailType] },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalIdOf(rule.target), 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsDlq'), 'Arn'] } },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
          }),
        ],
      });
    }
    template.resourceCountIs('AWS::Events::Rule', EVENT_RULES.length);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOf('points-events') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsDlq'), 'Arn'] } } },
    });
  });

  it('runs loyalty daily at 01:00 Asia/Shanghai through EventBridge Scheduler, passing the scheduled time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      GroupName: Match.stringLikeRegexp('Schedules'),
      Target: Match.objectLike({
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsDlq'), 'Arn'] } },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SchedulerRole'), 'Arn'] },
      }),
    });
    const schedulerPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('SchedulerRole'))!;
    const actions = (schedulerPolicy[1] as any).Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat());
    expect(new Set(actions)).toEqual(new Set(['lambda:InvokeFunction', 'sqs:SendMessage']));
  });

  it('subscribes the inbound-sms function to the inbound topic, with a DLQ, and lets only End User Messaging publish', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const inboundFn = Object.entries(functions).find(([, r]: [string, any]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'inbound-sms')![0];
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [inboundFn, 'Arn'] },
      TopicArn: { Ref: Match.stringLikeRegexp('^InboundSms') },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsDlq'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'TwoWaySmsPublishes', Principal: { Service: 'sms-voice.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('lets only the SMS-sending functions (inbound replies, sender, account alerts, complaint resolutions from the admin API) text phone numbers, and none publish to a topic', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')) as Array<[string, any]>;
    const senders = ['InboundSmsHandler', 'Sender', 'AccountAlerts', 'AdminApi'];
    for (const prefix of senders) {
      const [, policy] = policies.find(([id]) => id.startsWith(prefix))!;
      const statements = policy.Properties.PolicyDocument.Statement;
      expect(statements).toContainEqual(expect.objectContaining({ Sid: 'SendSmsToPhoneNumbers', Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }));
      expect(statements).toContainEqual(expect.objectContaining({ Sid: 'NoTopicPublishing', Effect: 'Deny', Action: 'sns:Publish' }));
    }
    const others = policies.filter(([id]) => !senders.some((prefix) => id.startsWith(prefix)));
    expect(JSON.stringify(others)).not.toContain('sns:Publish');
  });

  it('runs the delivery pipeline: admin API invokes the dispatcher, which queues batches for the sender (partial batch failures, DLQ)', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const idOf = (dir: string) =>
      Object.entries(functions).find(([, r]: [string, any]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === dir)![0];
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryDlq'), 'Arn'] }, maxReceiveCount: 5 },
      VisibilityTimeout: 1800, // six times the sender timeout (5 min)
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: idOf('sender') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryQueue'), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 1,
    });
    const adminEnv = (functions[idOf('admin-api')] as any).Properties.Environment.Variables;
    expect(adminEnv.DISPATCHER_FUNCTION).toEqual({ Ref: idOf('dispatcher') });
    // The stage's cursor key: a generated secret, resolved into the admin API's environment only.
    const [secretId] = Object.keys(template.findResources('AWS::SecretsManager::Secret', { Properties: { GenerateSecretString: { PasswordLength: 64 } } }));
    expect(JSON.stringify(adminEnv.CURSOR_SECRET)).toContain(`{{resolve:secretsmanager:`);
    expect(JSON.stringify(adminEnv.CURSOR_SECRET)).toContain(secretId);
    for (const [id, fn] of Object.entries(functions) as Array<[string, any]>) {
      if (id !== idOf('admin-api')) expect(fn.Properties.Environment?.Variables?.CURSOR_SECRET, id).toBeUndefined();
    }
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')) as Array<[string, any]>;
    const statementsOf = (prefix: string) => policies.find(([id]) => id.startsWith(prefix))![1].Properties.PolicyDocument.Statement;
    expect(statementsOf('AdminApi')).toContainEqual(
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: [{ 'Fn::GetAtt': [idOf('dispatcher'), 'Arn'] }, expect.anything()] }),
    );
    expect(JSON.stringify(statementsOf('Dispatcher'))).toContain('sqs:SendMessage');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryDlq'), 'QueueName'] } }],
    });
  });

  it('configures the two-way number (when given) with self-managed opt-outs, delivering to the inbound topic', () => {
    template.hasResourceProperties('AWS::SMSVOICE::PhoneNumber', {
      SelfManagedOptOutsEnabled: true,
      TwoWay: { Enabled: true, ChannelArn: { Ref: Match.stringLikeRegexp('^InboundSms') } },
      NumberCapabilities: ['SMS'],
    });
  });

  it.each([
    ['AdminApi', 'message-', ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule']],
    ['AdminApi', 'survey-', ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']],
    ['Sender', 'release-', 'scheduler:CreateSchedule'],
    ['IpoReminders', 'ipo-', ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule']],
  ])('lets %s manage only its own schedules (%s*) in the group, passing only the scheduler role', (fn, prefix, actions) => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')) as Array<[string, any]>;
    const statements = policies.find(([id]) => id.startsWith(`${fn}ServiceRoleDefaultPolicy`))![1].Properties.PolicyDocument.Statement;
    const sid = `ManageSchedules${prefix.replace('-', '').replace(/^./, (c) => c.toUpperCase())}`;
    const manage = statements.find((s: any) => s.Sid === sid);
    expect(manage.Action).toEqual(actions);
    expect(JSON.stringify(manage.Resource)).toMatch(new RegExp(`:schedule/.*Schedules.*/${prefix}\\*`));
    expect(statements.find((s: any) => s.Sid === 'PassSchedulerRole')).toMatchObject({
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulerRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
  });

  it('lets the scheduler role invoke the dispatcher (scheduled messages, releases) and ipo-reminders (reminders)', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')) as Array<[string, any]>;
    const functions = template.findResources('AWS::Lambda::Function');
    const idOf = (service: string) => Object.entries(functions).find(([, r]: [string, any]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service)![0];
    const schedulerRole = JSON.stringify(policies.find(([id]) => id.startsWith('SchedulerRole'))![1].Properties.PolicyDocument.Statement);
    expect(schedulerRole).toContain(idOf('dispatcher'));
    expect(schedulerRole).toContain(idOf('ipo-reminders'));
  });

  it('routes market/IpoScheduled to ipo-reminders, and feeds the sender one recipient batch per invocation, at most 10 at once', () => {
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['market'], 'detail-type': ['IpoScheduled'] } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 10 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('runs the morning product slot Monday to Friday at 08:45 Shanghai time, and the loyalty job daily', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(45 8 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Input: Match.serializedJson({ scheduledTime: '<aws.scheduler.scheduled-time>', slot: 'morning' }) }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 1 * * ? *)', ScheduleExpressionTimezone: 'Asia/Shanghai' });
  });

  it('gives the sender the account SMS budget from -c smsMpsBudget, and refuses a bad one', () => {
    // No bundling: the nine bundles again would take longer than the test's 30 s on a busy machine.
    const withBudget = Template.fromStack(buildApp({ context: { smsMpsBudget: '100', 'aws:cdk:bundling-stacks': [] } }).stack);
    withBudget.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'sender', SMS_MPS_BUDGET: '100' }) },
    });
    expect(() => buildApp({ context: { smsMpsBudget: '-1' } })).toThrow(/smsMpsBudget/);
  });

  it('alarms on a non-empty events DLQ and on function errors, to the ops topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsAlarms') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda' });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
  });

  it('protects /admin/* with a Cognito JWT authorizer and leaves only /openapi.json public', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: Match.objectLike({ Issuer: Match.anyValue(), Audience: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /admin/{proxy+}', AuthorizationType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /openapi.json', AuthorizationType: 'NONE' });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 2);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('has one Cognito group per role, and a user pool that requires MFA', () => {
    for (const role of ROLES) template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'compliance', Description: Match.stringLikeRegexp('compliance') });
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', UserPoolName: Match.absent() });
  });

  it('keeps the table (consents and audit records: evidence kept for decades, no TTL on them) in prod: deletion protection, retained on stack deletion', () => {
    const prod = Template.fromStack(buildApp({ context: { stage: 'prod', 'aws:cdk:bundling-stacks': [] } }).stack);
    prod.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }) });
  });

  it('creates the two SNS SMS delivery-status log groups, with retention, each feeding delivery-receipts by a subscription filter', () => {
    const receipts = functionsByService()['delivery-receipts']!;
    const groupName = (suffix: string) => ({ 'Fn::Join': ['', ['sns/', { Ref: 'AWS::Region' }, '/', { Ref: 'AWS::AccountId' }, `/DirectPublishToPhoneNumber${suffix}`]] });
    const groups = template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.objectLike({ 'Fn::Join': Match.anyValue() }) } });
    const byName = new Map(Object.entries(groups).map(([id, g]: [string, any]) => [JSON.stringify(g.Properties.LogGroupName), { id, g }]));
    for (const suffix of ['', '/Failure']) {
      const found = byName.get(JSON.stringify(groupName(suffix)));
      expect(found, suffix).toBeDefined();
      expect(found!.g.Properties.RetentionInDays).toBe(30);
      template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
        LogGroupName: { Ref: found!.id },
        FilterPattern: '',
        DestinationArn: { 'Fn::GetAtt': [receipts.logicalId, 'Arn'] },
      });
      // CloudWatch Logs may invoke the function for this log group only.
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [receipts.logicalId, 'Arn'] },
        Principal: 'logs.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [found!.id, 'Arn'] },
      });
    }
  });

  it('turns on SMS delivery-status logging by a custom resource that may set SMS attributes and pass the one SNS role, nothing else', () => {
    const [roleId, role] = Object.entries(template.findResources('AWS::IAM::Role')).find(([, r]: [string, any]) =>
      r.Properties.AssumeRolePolicyDocument.Statement.some((st: any) => st.Principal?.Service === 'sns.amazonaws.com'),
    ) as [string, any];
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    const snsStatements = roleStatements(roleId);
    expect(actionsOf(snsStatements)).toEqual(new Set(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']));
    expect(JSON.stringify(snsStatements.map((st) => st.Resource))).toContain('/DirectPublishToPhoneNumber*');

    const [custom] = Object.values(template.findResources('Custom::AWS')) as any[];
    const create = JSON.parse(JSON.stringify(custom.Properties.Create));
    expect(JSON.stringify(create)).toContain('setSMSAttributes');
    expect(JSON.stringify(create)).toContain('"DeliveryStatusSuccessSamplingRate\\":\\"100\\"');
    expect(JSON.stringify(create)).toContain(roleId);
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
      p.Properties.PolicyDocument.Statement.some((st: any) => [st.Action].flat().includes('sns:SetSMSAttributes')),
    ) as any[];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'SetSmsAttributes', Action: 'sns:SetSMSAttributes', Effect: 'Allow', Resource: '*' },
      {
        Sid: 'PassDeliveryStatusRole',
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [roleId, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'sns.amazonaws.com' } },
      },
    ]);
  });

  it('tries parked receipts again every 15 minutes, and a second stage only subscribes to the account\'s log groups', () => {
    const receipts = functionsByService()['delivery-receipts']!;
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [receipts.logicalId, 'Arn'] }, Input: JSON.stringify({ retryParked: true }) }),
    });
    const second = Template.fromStack(buildApp({ stage: 'second', context: { smsDeliveryLogging: 'subscriber', 'aws:cdk:bundling-stacks': [] } }).stack);
    second.resourceCountIs('Custom::AWS', 0);
    second.resourceCountIs('AWS::Logs::SubscriptionFilter', 2);
    expect(Object.values(second.findResources('AWS::Logs::LogGroup')).some((g: any) => JSON.stringify(g.Properties.LogGroupName ?? '').includes('DirectPublishToPhoneNumber'))).toBe(false);
    expect(() => buildApp({ stage: 'bad', context: { smsDeliveryLogging: 'maybe', 'aws:cdk:bundling-stacks': [] } })).toThrow(/owner or subscriber/);
  });

  it('counts overdue complaints every 15 minutes into a metric an alarm watches, and lets the admin API schedule only survey- closes to supervision', () => {
    const supervision = functionsByService().supervision!;
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [supervision.logicalId, 'Arn'] }, Input: JSON.stringify({ task: 'count-overdue-cases' }) }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'SmsPlatform',
      MetricName: 'OverdueComplaints',
      Dimensions: [{ Name: 'service', Value: 'supervision' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsAlarms') }],
    });
    // The scheduler role may invoke supervision (survey closes, the overdue count).
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')) as Array<[string, any]>;
    expect(JSON.stringify(policies.find(([id]) => id.startsWith('SchedulerRole'))![1].Properties.PolicyDocument.Statement)).toContain(supervision.logicalId);
    // The admin API creates survey-* schedules, and deletes one only when its survey's creation failed (never moved).
    const admin = functionsByService()['admin-api']!;
    expect(admin.properties.Environment.Variables).toMatchObject({ SUPERVISION_ARN: { 'Fn::GetAtt': [supervision.logicalId, 'Arn'] } });
    const statements = roleStatements(admin.roleId);
    const create = statements.find((s) => s.Sid === 'ManageSchedulesSurvey');
    expect([create.Action].flat()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
    expect(JSON.stringify(create.Resource)).toContain('/survey-*');
  });

  it('builds every function bundle under 1 MB, and each imports cleanly in plain Node', () => {
    const bundles = listFunctionBundles(outdir);
    expect(bundles.length).toBeGreaterThanOrEqual(1);
    for (const bundle of bundles) {
      expect(bundle.sizeBytes).toBeLessThan(1_000_000);
      const probe = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(bundle.file).href)}); if (typeof m.handler !== 'function') process.exit(3);`],
        {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, AWS_REGION: 'cn-north-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...bundle.environment, NODE_OPTIONS: '' },
        },
      );
      expect(probe.stderr, bundle.path).toBe('');
      expect(probe.status, bundle.path).toBe(0);
    }
  });
});
