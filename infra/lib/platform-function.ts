import { Aspects, Duration, RemovalPolicy, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import { nagEnvironment } from './nag.ts';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * ESM bundles of the AWS SDK call `require` for Node built-ins; without this banner they fail
 * at import with "Dynamic require of node:https is not supported".
 */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * The table actions a function may be given, each only when its code uses it (bindTable).
 * Scan is deliberately absent (every read is a Get or a Query), and so is DescribeTable;
 * BatchWriteItem is for the SMS records of a batch and parked receipts (unconditional puts). TransactWriteItems has no action of its own: each item of a
 * transaction needs the action of its kind (PutItem, UpdateItem, DeleteItem, ConditionCheckItem).
 */
export const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;
export type TableAction = (typeof TABLE_ACTIONS)[number];

export interface PlatformFunctionProps {
  /** Folder under functions/, e.g. `admin-api`. */
  functionDir: string;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  environment?: Record<string, string>;
}

/**
 * The project's one Lambda construct: Node 22 on arm64, ESM + minified + source-mapped bundle
 * with the createRequire banner, its own log group, X-Ray tracing, JSON logs.
 * `bind*` helpers set the env var and grant least privilege together.
 */
/**
 * Reads (GetItem, Query) and writes of whole items (PutItem, alone or in a transaction): what a
 * service that reads, decides and commits new item versions needs of the table.
 */
export const READ_AND_PUT: TableAction[] = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'];

export class PlatformFunction extends NodejsFunction {
  /**
   * What the role's statements on `*` allow, and why there is no narrower resource: the reason
   * of the role's one AwsSolutions-IAM5[Resource::*] acknowledgement (bindSmsSending adds to it).
   */
  private readonly onAnyResource = ['xray:PutTraceSegments and xray:PutTelemetryRecords (X-Ray tracing; they have no resource-level permissions)'];
  private anyResourceAcknowledged = false;
  private schedulesBound = false;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The function's own role, without managed policies: it writes logs to its own log group only.
    const role = new Role(scope, `${id}ServiceRole`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.functionDir} function`,
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // The log group's Arn attribute ends in `:*`, which covers its log streams.
        resources: [logGroup.logGroupArn],
      }),
    );
    super(scope, id, {
      entry: path.join(ROOT, 'functions', props.functionDir, 'index.ts'),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.functionDir,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: CREATE_REQUIRE_BANNER,
        // Bundle the SDK too: the version we test is the version that runs.
        externalModules: [],
      },
    });
    // The role is not inside the function: its findings are acknowledged on the role itself.
    // X-Ray and SNS statements share the role's one policy, hence one `*` finding, whose reason
    // depends on the bind* calls: it is written at synthesis, once they have all run.
    Aspects.of(this).add({
      visit: (node) => {
        if (node !== this || this.anyResourceAcknowledged) return;
        this.anyResourceAcknowledged = true;
        Validations.of(role).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: `The role of ${id} allows on *: ${this.onAnyResource.join('; and ')}.`,
        });
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${id} runs nodejs22.x, the newest runtime this project builds and tests for (DESIGN.md: Node 20 here, 22 on Lambda).`,
    });
  }

  /**
   * Lets the function send SMS with SNS Publish to phone numbers (which have no ARN, so the
   * resource is *), while publishing to any topic is explicitly denied.
   */
  bindSmsSending(): this {
    this.addToRolePolicy(new PolicyStatement({ sid: 'SendSmsToPhoneNumbers', actions: ['sns:Publish'], resources: ['*'] }));
    this.onAnyResource.push('sns:Publish (SMS to phone numbers, which have no ARN; publishing to any topic is denied by NoTopicPublishing)');
    this.addToRolePolicy(
      new PolicyStatement({
        sid: 'NoTopicPublishing',
        effect: Effect.DENY,
        actions: ['sns:Publish'],
        resources: [Stack.of(this).formatArn({ service: 'sns', region: '*', account: '*', resource: '*' })],
      }),
    );
    return this;
  }

  /** Sets `envName` to `target`'s name and lets this function invoke it (and nothing else). */
  bindInvoke(envName: string, target: PlatformFunction): this {
    this.addEnvironment(envName, target.functionName);
    target.grantInvoke(this);
    acknowledgeInvokeVersions(this.role!, target);
    return this;
  }

  /**
   * SCHEDULE_GROUP, SCHEDULER_ROLE_ARN and SCHEDULER_DLQ_ARN, with exactly `actions` on the
   * one-time schedules named `<prefix>*` in the stage's group, and iam:PassRole of the scheduler
   * role to EventBridge Scheduler only.
   */
  bindSchedules(options: { group: { scheduleGroupName: string }; role: IRole; deadLetterQueue: IQueue; prefix: string; actions: string[] }): this {
    const stack = Stack.of(this);
    const groupName = options.group.scheduleGroupName;
    // A function may manage schedules of several prefixes (one statement each); the group and role once.
    if (!this.schedulesBound) {
      this.schedulesBound = true;
      this.addEnvironment('SCHEDULE_GROUP', groupName);
      this.addEnvironment('SCHEDULER_ROLE_ARN', options.role.roleArn);
      this.addEnvironment('SCHEDULER_DLQ_ARN', options.deadLetterQueue.queueArn);
      this.addToRolePolicy(
        new PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [options.role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
    }
    this.addToRolePolicy(
      new PolicyStatement({
        sid: `ManageSchedules${options.prefix.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase())}`,
        actions: options.actions,
        resources: [stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${groupName}/${options.prefix}*` })],
      }),
    );
    const env = nagEnvironment(stack);
    Validations.of(this.role!).acknowledge({
      id:
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${env.region}:` +
        `${env.account}:schedule/${stack.resolve(groupName) as string}/${options.prefix}*]`,
      reason:
        `${options.actions.join(', ')} by ${this.node.id} on the one-time schedules named ${options.prefix}<id> ` +
        `in this stage's schedule group only (schedule/${stack.resolve(groupName) as string}/${options.prefix}*).`,
    });
    return this;
  }

  /**
   * TABLE_NAME + exactly `actions`, the ones the function's code uses: item actions on the table,
   * Query on the table and its indexes.
   */
  bindTable(table: ITable, actions: readonly TableAction[]): this {
    if (actions.length === 0) throw new Error(`${this.node.id}: bindTable needs the table actions the function uses`);
    // The statements below cover the table only; a customer-managed key would need its own grant.
    if (table.encryptionKey) throw new Error(`${this.node.id}: bindTable does not grant the table's customer-managed key`);
    this.addEnvironment('TABLE_NAME', table.tableName);
    const itemActions = actions.filter((action) => action !== 'dynamodb:Query');
    if (itemActions.length > 0) {
      this.addToRolePolicy(new PolicyStatement({ sid: 'TableItems', actions: [...new Set(itemActions)], resources: [table.tableArn] }));
    }
    if (actions.includes('dynamodb:Query')) {
      this.addToRolePolicy(
        new PolicyStatement({ sid: 'TableQueries', actions: ['dynamodb:Query'], resources: [table.tableArn, `${table.tableArn}/index/*`] }),
      );
      const tableLogicalId = Stack.of(table).resolve((table.node.defaultChild as CfnResource).logicalId) as string;
      Validations.of(this.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
        reason: `dynamodb:Query by ${this.node.id} on the global secondary indexes of the platform table, <${tableLogicalId}.Arn>/index/*; no other action there.`,
      });
    }
    return this;
  }
}

/**
 * grantInvoke allows `<function arn>` and `<function arn>:*` (its versions and aliases);
 * cdk-nag reports the second as a wildcard: acknowledged, on `grantee`, for that function only.
 */
export function acknowledgeInvokeVersions(grantee: Construct, fn: NodejsFunction): void {
  const logicalId = Stack.of(fn).resolve((fn.node.defaultChild as CfnResource).logicalId) as string;
  Validations.of(grantee).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
    reason: `lambda:InvokeFunction on ${fn.node.id} and its versions (<arn>:*), as CDK grantInvoke writes it; no other function.`,
  });
}
