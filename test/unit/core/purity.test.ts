import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = path.resolve(import.meta.dirname, '../../../packages/core');
const FORBIDDEN = /from\s+['"](@aws-sdk\/|aws-sdk|@aws-lambda-powertools\/|aws-cdk-lib|node:(fs|http|https|net|child_process|dgram))/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

describe('packages/core', () => {
  it('imports nothing from the AWS SDK and does no I/O', () => {
    const files = sources(CORE);
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => FORBIDDEN.test(line))
        .map((line) => `${path.relative(CORE, file)}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the check itself catches an SDK import', () => {
    expect(FORBIDDEN.test("import { DynamoDBClient } from '@aws-sdk/client-dynamodb';")).toBe(true);
  });
});
