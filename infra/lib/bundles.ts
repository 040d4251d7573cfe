import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface FunctionBundle {
  /** Construct path of the function, e.g. SmsPlatform-dev/AdminApi/Resource. */
  path: string;
  /** The bundled entry file as deployed (index.mjs). */
  file: string;
  sizeBytes: number;
  /** The function's environment as the template sets it (tokens replaced by placeholders). */
  environment: Record<string, string>;
}

/**
 * Every Node.js Lambda bundle of a synthesised cloud assembly (`npm run synth` writes cdk.out/),
 * found through the asset metadata of each AWS::Lambda::Function.
 */
export function listFunctionBundles(outdir: string): FunctionBundle[] {
  const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  return templates.flatMap((name) => {
    const template = JSON.parse(readFileSync(path.join(outdir, name), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, string> }>;
    };
    return Object.entries(template.Resources)
      // Node.js bundles only: CDK's own Python handlers (the console's BucketDeployment) are not ours to size.
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'] && String(r.Properties?.Runtime ?? '').startsWith('nodejs'))
      .map(([logicalId, r]) => {
        const dir = path.join(outdir, r.Metadata!['aws:asset:path']!);
        const file = ['index.mjs', 'index.js'].map((f) => path.join(dir, f)).find((f) => existsSync(f));
        if (!file) throw new Error(`No bundle in ${dir} for ${logicalId}`);
        const variables = (r.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
        return {
          path: r.Metadata!['aws:cdk:path'] ?? logicalId,
          file,
          sizeBytes: readFileSync(file).length,
          environment: Object.fromEntries(
            Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : `placeholder-for-${k.toLowerCase()}-resolved-at-deploy-time`]),
          ),
        };
      });
  });
}
