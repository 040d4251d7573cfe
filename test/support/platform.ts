import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../packages/local/index.ts';

export interface RunningPlatform {
  url: string;
  /** Milliseconds from `npm start` to the first 200 of /local/health. */
  startupMs: number;
  output(): string;
  stop(): Promise<void>;
}

/** Runs `npm start` (with `args` after `--`) exactly as a user would, on a free port, and waits for /local/health. */
export async function startPlatformProcess(env: Record<string, string> = {}, args: string[] = []): Promise<RunningPlatform> {
  const port = await freePort();
  const started = Date.now();
  const child: ChildProcess = spawn('npm', ['start', '--silent', ...(args.length ? ['--', ...args] : [])], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() ends npm, node and DynamoDB Local's java together
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const deadline = started + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/local/health`);
      if (res.status === 200) return { url, startupMs: Date.now() - started, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`npm start did not serve /local/health within 60 s:\n${output}`);
}
