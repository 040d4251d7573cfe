import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../packages/local/index.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';

/** This machine's first IPv4 address that is not loopback: how another machine on the network reaches it. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
const NO_OUTSIDE_ADDRESS =
  'this machine has no non-loopback IPv4 address, so whether a port is reachable from the network cannot be checked here';

/** Whether a TCP connection to host:port is accepted or refused. */
function probe(host: string, port: number): Promise<'accepted' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 5_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within 5 s (neither accepted nor refused)`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error)));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

for (const { name, sourceMode } of [
  { name: 'DynamoDB Local (startDynamoDbLocal)', sourceMode: false },
  // What runs where the launcher cannot be compiled (a JRE has no javac).
  { name: 'DynamoDB Local, launcher in source mode (startDynamoDbLocal({ sourceMode: true }))', sourceMode: true },
]) {
  describe(name, () => {
    let dynamo: DynamoDbLocal;
    beforeAll(async () => {
      dynamo = await startDynamoDbLocal({ sourceMode });
    }, 90_000);
    afterAll(async () => dynamo?.stop());

    it('answers on 127.0.0.1', async () => {
      expect(dynamo.endpoint).toBe(`http://127.0.0.1:${dynamo.port}`);
      expect(await probe('127.0.0.1', dynamo.port)).toBe('accepted');
      expect((await dynamo.client.send(new ListTablesCommand({}))).TableNames).toBeDefined();
    });

    it('refuses connections on a non-loopback address of this machine', async ({ skip }) => {
      if (!outsideAddress) skip(NO_OUTSIDE_ADDRESS);
      expect(await probe(outsideAddress!, dynamo.port)).toBe('refused');
    });
  });
}

describe('npm start', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatformProcess();
  }, 90_000);
  afterAll(async () => platform?.stop());

  const dynamoPort = () => {
    const endpoint = /DynamoDB Local\s+(http:\/\/\S+)/.exec(platform.output())?.[1];
    expect(endpoint, 'the DynamoDB Local endpoint printed at start-up').toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    return portOf(endpoint!);
  };

  it('serves the API and DynamoDB Local on 127.0.0.1 by default', async () => {
    expect(platform.output()).toMatch(/SMS platform running at http:\/\/127\.0\.0\.1:\d+/);
    expect(await probe('127.0.0.1', portOf(platform.url))).toBe('accepted');
    expect(await probe('127.0.0.1', dynamoPort())).toBe('accepted');
  });

  it('refuses both on a non-loopback address of this machine', async ({ skip }) => {
    if (!outsideAddress) skip(NO_OUTSIDE_ADDRESS);
    expect(await probe(outsideAddress!, portOf(platform.url))).toBe('refused');
    expect(await probe(outsideAddress!, dynamoPort())).toBe('refused');
  });
});

describe('npm start with HOST=0.0.0.0', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatformProcess({ HOST: '0.0.0.0' });
  }, 90_000);
  afterAll(async () => platform?.stop());

  it('serves the API on every interface, DynamoDB Local still only on 127.0.0.1', async ({ skip }) => {
    expect(platform.output()).toMatch(/SMS platform running at http:\/\/127\.0\.0\.1:\d+ \(listening on 0\.0\.0\.0: every interface\)/);
    if (!outsideAddress) skip(NO_OUTSIDE_ADDRESS);
    const health = await fetch(`http://${outsideAddress}:${portOf(platform.url)}/local/health`);
    expect(health.status).toBe(200);
    const dynamoEndpoint = /DynamoDB Local\s+(http:\/\/\S+)/.exec(platform.output())?.[1];
    expect(await probe(outsideAddress!, portOf(dynamoEndpoint!))).toBe('refused');
  });
});
