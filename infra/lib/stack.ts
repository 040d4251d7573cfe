import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
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
import { PlatformFunction } from './platform-function.ts';

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
      reason: 'Threat protection (Plus feature plan) is a per-brokerage cost decision; MFA is required for all staff.',
    });
    for (const role of ROLES) {
      new UserPoolGroup(this, `Group-${role}`, { userPool, groupName: role, description: `Admin API role ${role}` });
    }
    const userPoolClient = userPool.addClient('AdminClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });

    const adminApi = new PlatformFunction(this, 'AdminApi', {
      functionDir: 'admin-api',
      description: 'Admin API: products, customers, audit',
    }).bindTable(table, 'readWrite');

    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'SMS platform admin API',
      createDefaultStage: false,
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
    const integration = new HttpLambdaIntegration('AdminApiIntegration', adminApi);
    httpApi.addRoutes({
      path: '/admin/{proxy+}',
      methods: [HttpMethod.ANY],
      integration,
      authorizer: new HttpUserPoolAuthorizer('StaffAuthorizer', userPool, { userPoolClients: [userPoolClient] }),
    });
    const [openApiRoute] = httpApi.addRoutes({ path: '/openapi.json', methods: [HttpMethod.GET], integration });
    Validations.of(openApiRoute!).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The OpenAPI document is public by contract (API.md); it holds no data.',
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: userPoolClient.userPoolClientId });
  }
}
