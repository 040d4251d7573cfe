import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { isIPv6, type AddressInfo } from 'node:net';
import { createLocalAuth } from './dev-token.ts';
import { LOCAL_AWS_ENV, ensureTable, startDynamoDbLocal } from './dynamodb-local.ts';
import { LocalEventBus } from './event-bus.ts';
import { LocalCarrier } from './carrier.ts';
import { LocalOutbox } from './outbox.ts';
import { LocalQueue } from './queue.ts';
import { LocalScheduler } from './scheduler.ts';
import { advanceSystemClock, systemClock } from '../lambda/index.ts';
import { SmsQuota } from './sms-quota.ts';
import { LocalSmsStandIn } from './sms-stand-in.ts';
import { lambdaContext } from './http-helpers.ts';
import { createLocalServer, type LocalServerDeps } from './server.ts';
import type { Context } from 'aws-lambda';
import { DELIVERY_QUEUE, EVENT_RULES, RATE_SCHEDULES, RECURRING_SCHEDULES, type EventEnvelope, type EventTarget, type ScheduleTarget } from '../../events/index.ts';
import { randomBytes, randomUUID } from 'node:crypto';

export interface LocalPlatformOptions {
  port: number;
  /** The address the server listens on (default 127.0.0.1); `0.0.0.0` or `::` for every interface. */
  host?: string;
  /** Keep DynamoDB Local's data in this folder; in memory when absent. */
  dataDir?: string;
  tableName?: string;
  /** DynamoDB endpoint the handlers use (default: the DynamoDB Local started here), e.g. a counting proxy in front of it. */
  dynamoEndpointFor?: (dynamoLocalEndpoint: string) => Promise<string> | string;
  /** The account's SMS quota the SNS stand-in enforces (messages per second); unlimited when absent. */
  smsQuotaPerSecond?: number;
}

export interface LocalPlatform {
  /** Where this machine reaches the server (127.0.0.1 when it listens on every interface). */
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  outbox: LocalOutbox;
  /** The carrier behind the SNS stand-in (the outcome per number, and the receipts it produces). */
  carrier: LocalCarrier;
  /** The SMS quota the SNS stand-in enforces, with its counts of published and throttled calls. */
  smsQuota: SmsQuota;
  /** Requests the SNS, SQS, Lambda and Scheduler stand-ins received, by `service.Operation`. */
  awsRequests: Record<string, number>;
  /** Consumer invocations of each local queue (the sender's, for `delivery`). */
  readonly queueInvocations: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * The embedded platform: DynamoDB Local with the deployed table definition, the same Lambda
 * handlers, and local stand-ins (outbox, event bus, scheduler) behind the same ports.
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const tableName = options.tableName ?? 'sms-platform-local';
  const dynamo = await startDynamoDbLocal(options.dataDir ? { dataDir: options.dataDir } : {});
  try {
    await ensureTable(dynamo.client, tableName);

    // The one clock of the local platform: the handlers' clock, moved ahead by the scheduler's ticks.
    const clock = { now: () => systemClock.now(), advanceTo: advanceSystemClock };
    // The carrier behind the SNS stand-in: a receipt for every SMS accepted (POST /local/sms/carrier sets the outcome).
    const carrier = new LocalCarrier();
    const outbox = new LocalOutbox(clock, (item) => carrier.accepted(item));
    const bus = new LocalEventBus();
    const scheduler = new LocalScheduler(clock);
    const notLoaded = async () => {
      throw new Error('The handlers are still loading');
    };
    const deps: LocalServerDeps = {
      adminHandler: notLoaded,
      inboundSmsHandler: notLoaded,
      lambdaFunctions: {},
      queues: {},
      smsQuota: new SmsQuota(options.smsQuotaPerSecond),
      awsRequests: {},
      auth: createLocalAuth(),
      outbox,
      carrier,
      bus,
      scheduler,
      isReady: async () => {
        if (deps.adminHandler === notLoaded) return false;
        const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }));
        return Table?.TableStatus === 'ACTIVE';
      },
    };
    const server = createLocalServer(deps);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, resolve);
    });
    const url = `http://${urlHost(host)}:${(server.address() as AddressInfo).port}`;

    // The handlers read their configuration at import, exactly as a Lambda cold start does;
    // their SDK clients reach DynamoDB Local and the SNS stand-in (the outbox) through these endpoints.
    // (Not POWERTOOLS_LOG_LEVEL: the logger was created when this module's imports were evaluated;
    // main.ts sets its local default before importing the platform.)
    Object.assign(process.env, LOCAL_AWS_ENV, {
      AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpointFor ? await options.dynamoEndpointFor(dynamo.endpoint) : dynamo.endpoint,
      AWS_ENDPOINT_URL_SNS: `${url}/local/aws/sns`,
      AWS_ENDPOINT_URL_SQS: `${url}/local/aws/sqs`,
      AWS_ENDPOINT_URL_LAMBDA: `${url}/local/aws/lambda`,
      AWS_ENDPOINT_URL_SCHEDULER: `${url}/local/aws/scheduler`,
      DISPATCHER_FUNCTION: 'dispatcher',
      DISPATCHER_ARN: 'arn:aws:lambda:local:000000000000:function:dispatcher',
      SUPERVISION_ARN: 'arn:aws:lambda:local:000000000000:function:supervision',
      SCHEDULE_GROUP: 'local',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/local-scheduler',
      DELIVERY_QUEUE_URL: `${url}/local/aws/sqs/000000000000/delivery`,
      TABLE_NAME: tableName,
      // Page cursors stay valid for this run only (a new key per start), like a stage's key.
      CURSOR_SECRET: process.env.CURSOR_SECRET ?? randomBytes(32).toString('hex'),
    });
    const eventTargets: Record<EventTarget, (event: unknown, context: Context) => Promise<unknown>> = {
      'points-events': (await import('../../functions/points-events/index.ts')).handler,
      'account-alerts': (await import('../../functions/account-alerts/index.ts')).handler,
      'ipo-reminders': (await import('../../functions/ipo-reminders/index.ts')).handler,
    };
    const scheduleTargets: Record<ScheduleTarget, (input: unknown, context: Context) => Promise<unknown>> = {
      loyalty: (await import('../../functions/loyalty/index.ts')).handler,
      'product-slots': (await import('../../functions/product-slots/index.ts')).handler,
    };

    // The same rules and schedules the stack deploys (events/routes.ts), calling the same handlers.
    for (const rule of EVENT_RULES) {
      bus.addRule({
        name: rule.name,
        pattern: { source: [rule.source], 'detail-type': [rule.detailType] },
        target: async (event) => {
          await eventTargets[rule.target](toEventBridgeEvent(event), lambdaContext(rule.target));
        },
      });
    }
    for (const schedule of RECURRING_SCHEDULES) {
      scheduler.upsertRecurring({
        ...schedule,
        fire: async (at) => {
          await scheduleTargets[schedule.target]({ scheduledTime: at.toISOString(), ...schedule.input }, lambdaContext(schedule.target));
        },
      });
    }
    // The subscription filters on both SNS delivery-status log groups call this function.
    const receiptsHandler = (await import('../../functions/delivery-receipts/index.ts')).handler;
    carrier.connect(receiptsHandler);
    // Survey windows (one-time schedules) and the overdue count (a rate schedule) run this one.
    deps.lambdaFunctions.supervision = (await import('../../functions/supervision/index.ts')).handler;
    const rateTargets = { 'delivery-receipts': receiptsHandler, supervision: deps.lambdaFunctions.supervision };
    for (const schedule of RATE_SCHEDULES) {
      scheduler.upsertRate({ ...schedule, fire: async () => void (await rateTargets[schedule.target](schedule.input, lambdaContext(schedule.target))) });
    }
    const { createSenderHandler } = await import('../../functions/sender/index.ts');
    deps.queues.delivery = new LocalQueue(createSenderHandler(new LocalSmsStandIn(outbox, deps.smsQuota, deps.awsRequests)), { name: 'delivery', ...DELIVERY_QUEUE, context: lambdaContext });
    deps.lambdaFunctions.dispatcher = (await import('../../functions/dispatcher/index.ts')).handler;
    // IPO reminder schedules target this function (the Scheduler stand-in invokes it by name).
    deps.lambdaFunctions['ipo-reminders'] = eventTargets['ipo-reminders'];
    deps.inboundSmsHandler = (await import('../../functions/inbound-sms/index.ts')).handler;
    deps.adminHandler = (await import('../../functions/admin-api/index.ts')).handler;

    return {
      url,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      outbox,
      carrier,
      smsQuota: deps.smsQuota,
      awsRequests: deps.awsRequests,
      get queueInvocations() {
        return Object.fromEntries(Object.entries(deps.queues).map(([name, q]) => [name, q.invocations]));
      },
      stop: async () => {
        await new Promise((r) => server.close(r));
        await dynamo.stop();
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}

/** The host part of a URL to a server listening on `host`: loopback for the wildcard addresses. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return isIPv6(host) ? `[${host}]` : host;
}

/** The event as EventBridge hands it to a target. */
function toEventBridgeEvent(event: EventEnvelope) {
  return {
    version: '0',
    id: event.id ?? randomUUID(),
    'detail-type': event['detail-type'],
    source: event.source,
    account: '000000000000',
    time: event.time ?? new Date().toISOString(),
    region: process.env.AWS_REGION ?? 'us-east-1',
    resources: [],
    detail: event.detail,
  };
}
