import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function which(command: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error(`${command} not found`);
  return realpathSync(found);
}

describe('npm start without Java', () => {
  it('says in one sentence what to install, without a stack trace, and exits 1', () => {
    // A PATH with node, npm and a shell, but no java.
    const bin = mkdtempSync(path.join(tmpdir(), 'no-java-'));
    for (const command of ['node', 'npm', 'sh', 'env']) symlinkSync(which(command), path.join(bin, command));
    const run = spawnSync('npm', ['start', '--silent'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, PATH: bin, PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'DynamoDB Local needs a Java runtime (17 or newer) and `java` was not found: install one ' +
        '(Debian/Ubuntu: `sudo apt-get install -y default-jre-headless`) and run this again.',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
