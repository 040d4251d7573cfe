import * as z from 'zod';
import { ConfigurationError } from '../core/index.ts';

/**
 * Reads and validates configuration once (call it at module level, i.e. at cold start).
 * Fails with the names of the variables that are missing or wrong.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`, { cause: result.error });
  }
  return result.data;
}

/** A zod transform for env vars that hold JSON (e.g. tier thresholds). */
export function parseJsonEnv(value: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
    return undefined;
  }
}
