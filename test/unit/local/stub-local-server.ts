import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { vi } from 'vitest';
import {
  LocalCarrier,
  LocalEventBus,
  LocalOutbox,
  LocalQueue,
  LocalScheduler,
  SmsQuota,
  createLocalAuth,
  createLocalServer,
  lambdaContext,
  type LocalServerDeps,
} from '../../../packages/local/index.ts';

/** Just over the local server's 1 MB body limit, as a JSON object so that only its size is wrong. */
export const OVERSIZE_JSON = JSON.stringify({ pad: 'x'.repeat(1_000_001) });

/** Bodies that are not the JSON object an endpoint reads, by what is wrong with them. */
export const NOT_JSON = '{"from": "+8613800138000",';
export const WRONG_TYPES = ['[]', '"x"', 'null', '42'];

/**
 * The local server on port 0 with stub handlers, queue, bus and scheduler that record whatever
 * reaches them, so a test can tell a refused request from one that was acted on.
 */
export async function startStubServer() {
  const handler = () => vi.fn(async () => ({ statusCode: 200, body: '{}' }));
  const consumer = vi.fn(async () => ({ batchItemFailures: [] }));
  const bus = new LocalEventBus();
  const scheduler = new LocalScheduler();
  const deps = {
    adminHandler: handler(),
    inboundSmsHandler: handler(),
    lambdaFunctions: { dispatcher: handler() },
    queues: { delivery: new LocalQueue(consumer, { name: 'delivery', batchSize: 10, maxConcurrency: 1, maxReceiveCount: 1, context: lambdaContext }) },
    smsQuota: new SmsQuota(undefined),
    awsRequests: {},
    auth: createLocalAuth('stub-secret'),
    outbox: new LocalOutbox(),
    carrier: new LocalCarrier(),
    bus,
    scheduler,
    isReady: async () => true,
  } satisfies LocalServerDeps;
  const spies = {
    busPut: vi.spyOn(bus, 'put'),
    schedulerTick: vi.spyOn(scheduler, 'tick'),
    schedulerUpsert: vi.spyOn(scheduler, 'upsert'),
    carrierSet: vi.spyOn(deps.carrier, 'setOutcome'),
  };
  const server: Server = createLocalServer(deps);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    deps,
    /** What the refused requests must not have reached: empty when nothing was. */
    reached(): string[] {
      return [
        deps.adminHandler.mock.calls.length > 0 && 'admin handler',
        deps.inboundSmsHandler.mock.calls.length > 0 && 'inbound SMS handler',
        deps.lambdaFunctions.dispatcher.mock.calls.length > 0 && 'dispatcher function',
        (consumer.mock.calls.length > 0 || deps.queues.delivery.busy) && 'delivery queue',
        deps.outbox.list().length > 0 && 'outbox',
        spies.carrierSet.mock.calls.length > 0 && 'carrier',
        spies.busPut.mock.calls.length > 0 && 'event bus',
        (spies.schedulerTick.mock.calls.length > 0 || spies.schedulerUpsert.mock.calls.length > 0 || deps.scheduler.list().length > 0) && 'scheduler',
      ].filter((x): x is string => typeof x === 'string');
    },
    async post(path: string, body: string, headers: Record<string, string> = {}) {
      const res = await fetch(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type StubServer = Awaited<ReturnType<typeof startStubServer>>;
