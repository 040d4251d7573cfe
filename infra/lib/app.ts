import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SmsPlatformStack } from './stack.ts';

/** Builds the CDK app (used by infra/bin/app.ts, the infra tests and the benchmarks). */
export function buildApp(options: { outdir?: string; stage?: string; context?: Record<string, unknown> } = {}) {
  const app = new App({ ...(options.outdir && { outdir: options.outdir }), ...(options.context && { context: options.context }) });
  const stage = options.stage ?? (app.node.tryGetContext('stage') as string | undefined) ?? 'dev';
  const stack = new SmsPlatformStack(app, `SmsPlatform-${stage}`, {
    stage,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
