import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/ensure-deps.mjs');

/**
 * A project folder with the script, a package-lock.json and a stub `npm` first on PATH that
 * records its arguments and, for `ci`, leaves node_modules as npm does (with its install record).
 */
function fakeProject(options: { npmExit?: number } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'ensure-deps-'));
  mkdirSync(path.join(root, 'scripts'));
  copyFileSync(SCRIPT, path.join(root, 'scripts', 'ensure-deps.mjs'));
  writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  const calls = path.join(root, 'npm-calls');
  writeFileSync(
    path.join(bin, 'npm'),
    [
      '#!/bin/sh',
      `echo "$@" >> '${calls}'`,
      `[ "$1" = ci ] && [ ${options.npmExit ?? 0} -eq 0 ] && mkdir -p node_modules && echo '{}' > node_modules/.package-lock.json`,
      `exit ${options.npmExit ?? 0}`,
      '',
    ].join('\n'),
  );
  chmodSync(path.join(bin, 'npm'), 0o755);
  const run = () => {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'ensure-deps.mjs')], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
      encoding: 'utf8',
    });
    return { status: result.status, output: result.stdout + result.stderr, stdout: result.stdout, calls: existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [] };
  };
  /** Sets the modification time of a file of the project, in seconds since the epoch. */
  const touch = (file: string, seconds: number) => utimesSync(path.join(root, file), seconds, seconds);
  return { root, run, touch };
}

describe('scripts/ensure-deps.mjs (first step of npm start and npm test)', () => {
  let project: ReturnType<typeof fakeProject>;
  beforeEach(() => {
    project = fakeProject();
  });
  afterEach(() => rmSync(project.root, { recursive: true, force: true }));

  it('runs npm ci when node_modules is missing, and says so in one line', () => {
    const run = project.run();
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(['ci --no-audit --no-fund']);
    expect(run.output).toBe('node_modules is missing: installing the locked dependencies (npm ci)\n');
    expect(run.stdout).toBe('');
    expect(existsSync(path.join(project.root, 'node_modules', '.package-lock.json'))).toBe(true);
  });

  it('runs nothing and prints nothing when node_modules is newer than package-lock.json', () => {
    mkdirSync(path.join(project.root, 'node_modules'));
    writeFileSync(path.join(project.root, 'node_modules', '.package-lock.json'), '{}');
    project.touch('package-lock.json', 1_700_000_000);
    project.touch('node_modules/.package-lock.json', 1_700_000_100);
    const run = project.run();
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([]);
    expect(run.output).toBe('');
  });

  it('runs npm ci when package-lock.json is newer than node_modules', () => {
    mkdirSync(path.join(project.root, 'node_modules'));
    writeFileSync(path.join(project.root, 'node_modules', '.package-lock.json'), '{}');
    project.touch('node_modules/.package-lock.json', 1_700_000_000);
    project.touch('package-lock.json', 1_700_000_100);
    const run = project.run();
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(['ci --no-audit --no-fund']);
    expect(run.output).toBe('package-lock.json is newer than node_modules: installing the locked dependencies (npm ci)\n');
    // npm wrote its install record: the next start has nothing to do.
    expect(project.run()).toMatchObject({ calls: ['ci --no-audit --no-fund'], output: '' });
  });

  it('runs npm ci when node_modules exists without npm having installed it', () => {
    mkdirSync(path.join(project.root, 'node_modules'));
    const run = project.run();
    expect(run.calls).toEqual(['ci --no-audit --no-fund']);
    expect(run.output.trim().split('\n')).toHaveLength(1);
  });
});

describe('scripts/ensure-deps.mjs when npm ci fails', () => {
  it('exits with npm\'s status, so that the command after it does not run', () => {
    const project = fakeProject({ npmExit: 3 });
    try {
      const run = project.run();
      expect(run.status).toBe(3);
      expect(run.calls).toEqual(['ci --no-audit --no-fund']);
    } finally {
      rmSync(project.root, { recursive: true, force: true });
    }
  });
});
