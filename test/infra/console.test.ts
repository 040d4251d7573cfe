import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Validations, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { smsTextSettings } from '../../packages/console/index.ts';
import { buildApp } from '../../infra/lib/app.ts';

let outdir: string;
let stack: Stack;
let template: Template;

const only = (type: string) => {
  const found = Object.entries(template.findResources(type));
  expect(found, type).toHaveLength(1);
  return found[0]! as [string, any];
};
const domainName = () => ({ 'Fn::GetAtt': [only('AWS::CloudFront::Distribution')[0], 'DomainName'] });
/** `https://<the distribution's domain>` as the template says it, and the console's URL (with the slash). */
const consoleOrigin = () => ({ 'Fn::Join': ['', ['https://', domainName()]] });
const consoleUrl = () => ({ 'Fn::Join': ['', ['https://', domainName(), '/']] });

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'cdk-console-'));
  // The functions' bundles are not what this file checks: skip bundling them (the console's
  // files are built all the same); cdk-nag still runs on synthesis and throws on any finding.
  const built = buildApp({ outdir, stage: 'test', context: { 'aws:cdk:bundling-stacks': [] } });
  stack = built.stack;
  built.app.synth();
  template = Template.fromStack(stack);
}, 120_000);

describe('the staff console, deployed', () => {
  it('keeps its files in a private bucket: every public access blocked, no website hosting, HTTPS only, read by this distribution alone', () => {
    const [bucketId, bucket] = only('AWS::S3::Bucket');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    const [, policy] = only('AWS::S3::BucketPolicy');
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allowed = statements.filter((s) => s.Effect === 'Allow');
    expect(allowed).toHaveLength(1);
    expect(allowed[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] } });
    // Origin access control: only requests CloudFront signs for this distribution.
    expect(JSON.stringify(allowed[0].Condition.StringEquals['AWS:SourceArn'])).toContain(only('AWS::CloudFront::Distribution')[0]);
  });

  it('serves it through CloudFront with origin access control, redirecting HTTP to HTTPS, with a strict CSP', () => {
    const [oacId, oac] = only('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Origins).toEqual([
      expect.objectContaining({ OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } }),
    ]);
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.CacheBehaviors).toBeUndefined();
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    const [headersId, headers] = only('AWS::CloudFront::ResponseHeadersPolicy');
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: headersId });
    const security = headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(stack.resolve(security.ContentSecurityPolicy.ContentSecurityPolicy));
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000, Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
  });

  it('signs staff in with a public app client: authorization code flow only (PKCE), no secret, back to the console', () => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as any[];
    const oauth = clients.filter((c) => c.Properties.AllowedOAuthFlowsUserPoolClient);
    expect(oauth).toHaveLength(1);
    const props = oauth[0].Properties;
    expect(props.AllowedOAuthFlows).toEqual(['code']);
    expect(props.GenerateSecret).toBe(false);
    expect(props.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(props.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(props.CallbackURLs).toEqual([consoleUrl()]);
    expect(props.LogoutURLs).toEqual([consoleUrl()]);
    // No client of the pool may use the implicit flow now that the Hosted UI has a domain.
    for (const client of clients) expect(client.Properties.AllowedOAuthFlows ?? []).not.toContain('implicit');
    const [, domain] = only('AWS::Cognito::UserPoolDomain');
    expect(domain.Properties.UserPoolId).toEqual(props.UserPoolId);
  });

  it("lets the admin API's CORS name the console's origin and nothing else, and its authorizer accept the console's tokens", () => {
    const [, api] = only('AWS::ApiGatewayV2::Api');
    const cors = api.Properties.CorsConfiguration;
    expect(cors.AllowOrigins).toEqual([consoleOrigin()]);
    expect(cors.AllowCredentials).toBeUndefined();
    expect(cors.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'idempotency-key']));
    const [clientId] = Object.entries(template.findResources('AWS::Cognito::UserPoolClient')).find(([, c]: [string, any]) => c.Properties.AllowedOAuthFlowsUserPoolClient)!;
    const [, authorizer] = only('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties.JwtConfiguration.Audience).toContainEqual({ Ref: clientId });
  });

  it('writes config.json with the API URL, the Hosted UI and the client id; outputs ConsoleUrl', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment')) as any[];
    const entry = deployments.find((d) => d.Properties.SourceMarkers);
    expect(entry.Properties.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    const markers = entry.Properties.SourceMarkers.find((m: object) => Object.keys(m).length > 0) as Record<string, unknown>;
    const [apiId] = only('AWS::ApiGatewayV2::Api');
    const [domainId] = only('AWS::Cognito::UserPoolDomain');
    const [clientId] = Object.entries(template.findResources('AWS::Cognito::UserPoolClient')).find(([, c]: [string, any]) => c.Properties.AllowedOAuthFlowsUserPoolClient)!;
    const marker = (ref: string) => Object.keys(markers).find((k) => JSON.stringify(markers[k]) === JSON.stringify({ Ref: ref }))!;
    const staged = readdirSync(outdir).map((d) => path.join(outdir, d, 'config.json')).find((f) => existsSync(f))!;
    expect(JSON.parse(readFileSync(staged, 'utf8'))).toEqual({
      mode: 'cognito',
      apiUrl: expect.stringMatching(new RegExp(`^https://${marker(apiId)}\\.execute-api\\..+/$`)),
      cognito: { domain: expect.stringMatching(new RegExp(`^https://${marker(domainId)}\\.auth\\.`)), clientId: marker(clientId) },
      sms: smsTextSettings({}),
    });
    template.hasOutput('ConsoleUrl', { Value: consoleUrl() });
  });

  it("acknowledges the console's cdk-nag findings each with a reason that names what it covers", () => {
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((p: { violations: unknown[] }) => p.violations)).toEqual([]);
    const consoleParts = stack.node.findAll().filter((c) => c.node.path.includes('/Console') || c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const reasons = consoleParts.flatMap((c: IConstruct) =>
      c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.values(m.data as Record<string, string>)),
    );
    expect(reasons.length).toBeGreaterThan(5);
    for (const reason of reasons) expect(reason).toMatch(/console/i);
  });
});
