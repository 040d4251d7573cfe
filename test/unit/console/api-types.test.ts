import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../../../packages/console/index.ts';
import { adminApiDocument } from '../../../scripts/console-api.ts';

describe('the console API client', () => {
  it('is generated from the admin routes as they are now (else: npm run console:api)', async () => {
    const generated = await generateApiTypes(await adminApiDocument());
    // toBe on the whole file would print it all; the first differing line says enough.
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    if (committed !== generated) {
      const a = committed.split('\n');
      const b = generated.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      expect.fail(
        `packages/console/src/api/schema.gen.ts is stale: run npm run console:api. First difference at line ${line + 1}:\n` +
          `  committed: ${a[line] ?? '(end of file)'}\n  generated: ${b[line] ?? '(end of file)'}`,
      );
    }
  }, 30_000);
});
