import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConfigurationError } from '../../../packages/core/index.ts';
import { loadConfig, parseJsonEnv } from '../../../packages/lambda/index.ts';

const schema = z.object({
  TABLE_NAME: z.string().min(1),
  LIMITS: z.string().transform(parseJsonEnv).pipe(z.object({ max: z.number() })).optional(),
});

describe('loadConfig', () => {
  it('returns the typed configuration', () => {
    expect(loadConfig(schema, { TABLE_NAME: 't', LIMITS: '{"max":3}' })).toEqual({ TABLE_NAME: 't', LIMITS: { max: 3 } });
  });

  it('fails naming the missing variable', () => {
    expect(() => loadConfig(schema, {})).toThrow(ConfigurationError);
    expect(() => loadConfig(schema, {})).toThrow(/TABLE_NAME/);
  });

  it('fails naming a variable that holds bad JSON', () => {
    expect(() => loadConfig(schema, { TABLE_NAME: 't', LIMITS: '{oops' })).toThrow(/LIMITS/);
  });
});
