import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CorsHttpMethod, type CorsPreflightOptions } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { OAuthScope, UserPoolClientIdentityProvider, type CfnUserPoolClient, type UserPool, type UserPoolClient, type UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { buildConsoleSync, contentSecurityPolicy, smsTextSettings, type ConsoleConfig } from '../../packages/console/index.ts';
import { nagEnvironment } from './nag.ts';

export interface StaffConsoleProps {
  userPool: UserPool;
  stage: string;
}

/**
 * The staff console deployed: its static files in a private bucket that only CloudFront reads
 * (origin access control), served over HTTPS with a strict CSP; staff sign in through the user
 * pool's Hosted UI with the authorization code flow and PKCE (a public client, no secret).
 * `publish` writes the files and config.json once the API's URL is known.
 */
export class StaffConsole extends Construct {
  /** https://<distribution>.cloudfront.net: the console's origin, the only one the API's CORS allows. */
  readonly origin: string;
  readonly client: UserPoolClient;
  readonly signInDomain: UserPoolDomain;
  private readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: StaffConsoleProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Emptied by the deployments (retainOnDelete: false) before it is deleted.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "The console's bucket holds only its static build (no client data) and is read only by CloudFront through OAC; every data access is logged by the admin API (access logs, audit records).",
    });

    // The Hosted UI's domain: -c consoleSignInPrefix=... names it, else one per stage and account.
    const prefix = (stack.node.tryGetContext('consoleSignInPrefix') as string | undefined) ?? `sms-staff-${props.stage.toLowerCase()}-${Aws.ACCOUNT_ID}`;
    this.signInDomain = props.userPool.addDomain('StaffSignIn', { cognitoDomain: { domainPrefix: prefix } });

    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Staff console: strict CSP, HSTS, no framing, no referrer',
      securityHeadersBehavior: {
        // The API's stage URL is not known here (its CORS needs this distribution first): any
        // HTTP API of this region and account's partition; the Hosted UI for the token exchange.
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy([`https://*.execute-api.${stack.region}.${stack.urlSuffix}`, this.signInDomain.baseUrl()]),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const distribution = new Distribution(this, 'Distribution', {
      comment: `Staff console (${props.stage})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Staff console distribution: staff sign in from wherever they work; Cognito (MFA required) guards access, not geography.',
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'Staff console distribution: it serves static files only (no data, no forms posted to it); the admin API has its own throttling and JWT authorizer.',
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason: "Staff console distribution: requests for its static files carry no client data; who read or changed what is in the admin API's access logs and audit records.",
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: "Staff console distribution: on the default *.cloudfront.net certificate CloudFront negotiates TLS itself; a custom domain with TLSv1.2_2021 needs a certificate this stack does not own. Viewers are redirected to HTTPS.",
    });
    this.origin = `https://${distribution.distributionDomainName}`;

    // A public client (code + PKCE; no secret can be kept in a browser).
    this.client = props.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.origin}/`],
        logoutUrls: [`${this.origin}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Sign-in happens in the Hosted UI only: no password or SRP flow straight against this client.
    (this.client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
  }

  /** The admin API's CORS: the console's origin only, the methods and headers it sends. */
  get corsPreflight(): CorsPreflightOptions {
    return {
      allowOrigins: [this.origin],
      allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
      allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
      exposeHeaders: ['idempotent-replayed'],
      maxAge: Duration.hours(1),
    };
  }

  /** Deploys the built console and its config.json (the API's URL, the Hosted UI, the client id); outputs ConsoleUrl. */
  publish(apiUrl: string): void {
    const stack = Stack.of(this);
    // Hashed files may be cached for good; index.html and config.json must be asked for each time.
    const built = mkdtempSync(path.join(tmpdir(), 'console-'));
    const [hashed, entry] = [path.join(built, 'hashed'), path.join(built, 'entry')];
    for (const dir of [hashed, entry]) mkdirSync(dir);
    for (const [name, file] of buildConsoleSync()) writeFileSync(path.join(file.immutable ? hashed : entry, name), file.body);
    const config: ConsoleConfig = {
      mode: 'cognito',
      apiUrl,
      cognito: { domain: this.signInDomain.baseUrl(), clientId: this.client.userPoolClientId },
      // The functions read no SMS_* text settings from the stack: theirs are the defaults.
      sms: smsTextSettings({}),
    };
    const files = new BucketDeployment(this, 'HashedFiles', {
      sources: [Source.asset(hashed)],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      // Older hashed files stay: a tab opened before a deployment keeps loading its own.
      prune: false,
      retainOnDelete: false,
    });
    const entryFiles = new BucketDeployment(this, 'EntryFiles', {
      sources: [Source.asset(entry), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.noCache()],
      prune: false,
      retainOnDelete: false,
    });
    // index.html only once the files it names are there.
    entryFiles.node.addDependency(files);
    acknowledgeDeploymentHandler(stack, files.handlerRole, stack.resolve((this.bucket.node.defaultChild as CfnBucket).logicalId) as string);
    new CfnOutput(stack, 'ConsoleUrl', { value: `${this.origin}/`, description: 'The staff console (Cognito Hosted UI sign-in)' });
  }
}

/**
 * BucketDeployment's handler (one per stack, shared by both deployments) is CDK's own: it copies
 * the asset to the bucket. Its findings are acknowledged on it, each for what it covers.
 */
function acknowledgeDeploymentHandler(stack: Stack, role: IConstruct, bucketLogicalId: string): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('BucketDeployment handler not found');
  const env = nagEnvironment(stack);
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason: "The console's BucketDeployment handler: CDK chooses its (Python) runtime and keeps it current with aws-cdk-lib.",
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "The console's BucketDeployment handler role: CDK attaches the basic execution policy so the handler can write its logs.",
  });
  const copies = {
    'Action::s3:GetObject*': 'reads the asset objects',
    'Action::s3:GetBucket*': 'reads the asset and console buckets',
    'Action::s3:List*': 'lists the asset and console buckets',
    'Action::s3:DeleteObject*': 'replaces the console files',
    'Action::s3:Abort*': 'aborts its own failed uploads',
    [`Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${env.account}-${env.region}/*`]: "reads the objects of CDK's asset bucket",
    [`Resource::<${bucketLogicalId}.Arn>/*`]: "writes the objects of the console's bucket",
  };
  for (const [finding, what] of Object.entries(copies)) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[${finding}]`,
      reason: `The console's BucketDeployment handler role (CDK's grants, scoped to the two buckets) ${what}.`,
    });
  }
}
