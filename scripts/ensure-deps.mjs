/**
 * First step of `npm start` and `npm test`: installs the locked dependencies (`npm ci`) when
 * node_modules is missing or older than package-lock.json, and says so in one line (on stderr,
 * with npm's own output, so that stdout stays the command's). Prints nothing when there is
 * nothing to install. Plain JavaScript without dependencies: it runs before there are any.
 *
 * Freshness: npm writes node_modules/.package-lock.json at the end of every install, so a
 * package-lock.json modified after it (a pull, a checkout, an edit) means the installed tree
 * may not be the locked one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = path.join(root, 'package-lock.json');
const modules = path.join(root, 'node_modules');
const installRecord = path.join(modules, '.package-lock.json');

function reasonToInstall() {
  if (!existsSync(lockFile)) return undefined;
  if (!existsSync(modules)) return 'node_modules is missing';
  if (!existsSync(installRecord)) return 'node_modules was not installed by npm from the lock file';
  if (statSync(lockFile).mtimeMs > statSync(installRecord).mtimeMs) return 'package-lock.json is newer than node_modules';
  return undefined;
}

const reason = reasonToInstall();
if (reason) {
  process.stderr.write(`${reason}: installing the locked dependencies (npm ci)\n`);
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
    shell: process.platform === 'win32',
  });
  if (install.error) {
    process.stderr.write(`npm ci could not run: ${install.error.message}\n`);
    process.exit(1);
  }
  if (install.status !== 0) process.exit(install.status ?? 1);
}
