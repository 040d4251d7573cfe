import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BROADCAST_RETRIES, RetryingSmsSender, SmsThrottledError } from '../../../packages/core/index.ts';
import { smsChannelFromEnv } from '../../../packages/lambda/index.ts';

/**
 * Through real HTTP (aws-sdk-client-mock replaces `send`, so it cannot see the SDK's own retries):
 * an SNS endpoint that throttles every Publish, and the channel the deployed functions build.
 */
let server: Server;
let publishes = 0;
const saved = new Map<string, string | undefined>();
const sms = { to: '+8613800138000', body: '【XX证券】早盘策略回TD退订', smsType: 'Promotional' as const };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume().on('end', () => {
      publishes++;
      res.writeHead(429, { 'content-type': 'text/xml' });
      res.end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttled</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const env = {
    AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  for (const [name, value] of Object.entries(env)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

beforeEach(() => {
  publishes = 0;
});

describe('smsChannelFromEnv', () => {
  it('makes one Publish request per send: the SDK does not retry a throttled SMS by itself', async () => {
    await expect(smsChannelFromEnv({}).send(sms)).rejects.toBeInstanceOf(SmsThrottledError);
    expect(publishes).toBe(1);
  });
});

describe('RetryingSmsSender over the channel', () => {
  it('retries a throttled SMS up to its attempt limit, each attempt at a send slot of its own', async () => {
    let slots = 0;
    const retrying = new RetryingSmsSender(smsChannelFromEnv({}), BROADCAST_RETRIES, async () => undefined);
    await expect(retrying.sendGuarded(sms, { pace: async () => void slots++ })).rejects.toBeInstanceOf(SmsThrottledError);
    expect({ publishes, slots }).toEqual({ publishes: BROADCAST_RETRIES.maxAttempts, slots: BROADCAST_RETRIES.maxAttempts });
  });

  it('stops without sending when the guard says the recipient may no longer get it', async () => {
    const retrying = new RetryingSmsSender(smsChannelFromEnv({}), BROADCAST_RETRIES, async () => undefined);
    let checks = 0;
    const result = await retrying.sendGuarded(sms, { guard: async () => (++checks > 1 ? 'opted-out' : undefined) });
    expect(result).toEqual({ outcome: 'stopped', reason: 'opted-out' });
    expect(publishes).toBe(1);
  });
});
