import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { detailSchemaFor, eventEnvelopeSchema } from '../../events/index.ts';
import { ROLES, isRole } from '../core/index.ts';
import { fieldErrors, problemResponse, type HttpEvent, type Problem } from '../lambda/index.ts';
import type { LocalAuth } from './dev-token.ts';
import type { LocalEventBus } from './event-bus.ts';
import type { LocalOutbox } from './outbox.ts';
import type { LocalQueue } from './queue.ts';
import type { LocalScheduler } from './scheduler.ts';
import type { SmsQuota } from './sms-quota.ts';

type HttpHandler = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

type EventHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalServerDeps {
  adminHandler: HttpHandler;
  inboundSmsHandler: EventHandler;
  /** Functions the Lambda Invoke stand-in can call, by name. */
  lambdaFunctions: Record<string, EventHandler>;
  /** SQS stand-in: queue name -> the queue and the function its event source mapping feeds. */
  queues: Record<string, LocalQueue>;
  /** The account's SMS quota the SNS stand-in enforces (throttling above it). */
  smsQuota: SmsQuota;
  /** Requests the AWS stand-ins received, by `service.Operation`. */
  awsRequests: Record<string, number>;
  auth: LocalAuth;
  outbox: LocalOutbox;
  bus: LocalEventBus;
  scheduler: LocalScheduler;
  /** True once DynamoDB Local answers and the table is ACTIVE. */
  isReady(): Promise<boolean>;
}

const MAX_BODY_BYTES = 1_000_000;

/**
 * The local HTTP front door. `/admin/*` and `/openapi.json` become the API Gateway v2 events the
 * deployed HTTP API would send (a JWT authorizer stand-in in front) and go to the same handler the
 * Lambda exports; `/local/*` are the local-only endpoints of API.md.
 */
export function createLocalServer(deps: LocalServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      console.error(error);
      send(res, problemResponse({ type: 'urn:sms-platform:problem:internal', title: 'Internal error', status: 500 }));
    });
  });
}

async function handle(deps: LocalServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);

  if (url.pathname === '/openapi.json' || url.pathname === '/admin' || url.pathname.startsWith('/admin/')) {
    return send(res, await callAdminApi(deps, req, url, method, body));
  }

  const invoke = /^\/local\/aws\/lambda\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
  if (method === 'POST' && invoke) return lambdaInvoke(deps, decodeURIComponent(invoke[1]!), body, res);
  const schedule = /^\/local\/aws\/scheduler\/schedules\/([^/]+)$/.exec(url.pathname);
  if (schedule) return schedulerApi(deps, method, decodeURIComponent(schedule[1]!), body, res);

  const route = `${method} ${url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname}`;
  switch (route) {
    case 'GET /local/health': {
      const ready = await deps.isReady().catch(() => false);
      return json(res, ready ? 200 : 503, { status: ready ? 'ok' : 'starting' });
    }
    case 'GET /local/dev-token': {
      const role = url.searchParams.get('role') ?? 'admin';
      if (!isRole(role)) {
        return problem(res, 400, 'validation', 'Unknown role', [{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }]);
      }
      const user = url.searchParams.get('user') ?? undefined;
      return json(res, 200, { token: await deps.auth.issue(role, user ? { user } : {}), role });
    }
    case 'GET /local/sms/outbox':
      return json(res, 200, { items: deps.outbox.list(url.searchParams.get('to') ?? undefined) });
    case 'POST /local/sms/inbound': {
      const inbound = z
        .strictObject({ from: z.string().min(3).max(32), text: z.string().max(1600), inboundMessageId: z.string().min(1).max(100).optional() })
        .safeParse(parseJson(body));
      if (!inbound.success) return problem(res, 400, 'validation', 'Invalid inbound SMS', fieldErrors(inbound.error));
      const inboundMessageId = inbound.data.inboundMessageId ?? randomUUID();
      // The SNS notification two-way SMS would publish, to the same handler the Lambda exports.
      const message = { originationNumber: inbound.data.from, destinationNumber: LOCAL_NUMBER, messageBody: inbound.data.text, inboundMessageId };
      await deps.inboundSmsHandler(
        { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', Sns: { Type: 'Notification', MessageId: randomUUID(), TopicArn: 'arn:aws:sns:local:000000000000:InboundSms', Message: JSON.stringify(message), Timestamp: new Date().toISOString() } }] },
        lambdaContext('inbound-sms'),
      );
      return json(res, 202, { inboundMessageId });
    }
    case 'POST /local/aws/sns':
      return snsApi(deps, body, res);
    case 'POST /local/aws/sqs':
      return sqsApi(deps, req, body, res);
    case 'POST /local/events': {
      const parsed = parseJson(body);
      const envelope = eventEnvelopeSchema.safeParse(parsed);
      if (!envelope.success) return problem(res, 400, 'validation', 'Invalid event', fieldErrors(envelope.error));
      const detailSchema = detailSchemaFor(envelope.data.source, envelope.data['detail-type']);
      const detail = detailSchema?.safeParse(envelope.data.detail);
      if (detail && !detail.success) {
        return problem(res, 400, 'validation', 'Invalid event detail', fieldErrors(detail.error, 'detail'));
      }
      const routed = await deps.bus.put(envelope.data);
      await drained(deps);
      return json(res, 202, routed);
    }
    case 'POST /local/scheduler/tick': {
      const tick = z.strictObject({ now: z.iso.datetime({ offset: true }) }).safeParse(parseJson(body) ?? {});
      if (!tick.success) return problem(res, 400, 'validation', 'Invalid tick', fieldErrors(tick.error));
      const fired = await deps.scheduler.tick(new Date(tick.data.now));
      await drained(deps);
      return json(res, 200, { fired });
    }
    default:
      return problem(res, 404, 'no-such-route', `No route ${route}`);
  }
}

/** Waits until every queue is drained: the local runtime answers once the work a request caused is done. */
async function drained(deps: LocalServerDeps): Promise<void> {
  const queues = Object.values(deps.queues);
  // A consumer of one queue may put work on another: wait until all are idle at once.
  while (queues.some((q) => q.busy)) await Promise.all(queues.map((q) => q.idle()));
}

function countRequest(deps: LocalServerDeps, name: string): void {
  deps.awsRequests[name] = (deps.awsRequests[name] ?? 0) + 1;
}

/** The number clients text in the local runtime. */
export const LOCAL_NUMBER = '+8610690000';

/**
 * A stand-in for the SNS API (query protocol) at AWS_ENDPOINT_URL_SNS: `Publish` to a phone
 * number lands in the outbox. The handlers keep their real SNS adapter; only the endpoint differs.
 */
async function snsApi(deps: LocalServerDeps, body: string, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  const phone = form.get('PhoneNumber');
  const xml = (status: number, text: string) => send(res, { statusCode: status, headers: { 'content-type': 'text/xml' }, body: text });
  if (action !== 'Publish' || !phone) {
    return xml(400, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Only Publish to a PhoneNumber is supported locally</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  }
  const attributes = new Map<string, string>();
  for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
    attributes.set(form.get(`MessageAttributes.entry.${i}.Name`)!, form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '');
  }
  countRequest(deps, 'SNS.Publish');
  if (!deps.smsQuota.take()) {
    return xml(429, `<ErrorResponse><Error><Type>Sender</Type><Code>Throttled</Code><Message>Rate exceeded: the account's SMS quota is ${deps.smsQuota.perSecond} per second</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  }
  const smsType = attributes.get('AWS.SNS.SMS.SMSType') === 'Promotional' ? 'Promotional' : 'Transactional';
  const { messageId } = await deps.outbox.send({ to: phone, body: form.get('Message') ?? '', smsType });
  return xml(
    200,
    `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
  );
}

/**
 * The Lambda Invoke API stand-in (AWS_ENDPOINT_URL_LAMBDA): runs the named function in process
 * and, unlike AWS for an `Event` invocation, answers only when it has finished, so that the
 * local admin API answers after all the work it caused.
 */
async function lambdaInvoke(deps: LocalServerDeps, name: string, body: string, res: ServerResponse): Promise<void> {
  const fn = deps.lambdaFunctions[name];
  if (!fn) {
    return send(res, { statusCode: 404, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' }, body: JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }) });
  }
  countRequest(deps, 'Lambda.Invoke');
  await fn(body ? JSON.parse(body) : {}, lambdaContext(name));
  await drained(deps);
  return send(res, { statusCode: 202, headers: { 'content-type': 'application/json' }, body: '' });
}

/**
 * The EventBridge Scheduler API stand-in (AWS_ENDPOINT_URL_SCHEDULER): CreateSchedule of a
 * one-time `at(...)` schedule targeting a local function becomes a local one-time schedule
 * (fired by `POST /local/scheduler/tick`); DeleteSchedule removes it.
 */
async function schedulerApi(deps: LocalServerDeps, method: string, name: string, body: string, res: ServerResponse): Promise<void> {
  const reply = (status: number, payload: unknown, errorType?: string) =>
    send(res, { statusCode: status, headers: { 'content-type': 'application/json', ...(errorType && { 'x-amzn-errortype': errorType }) }, body: JSON.stringify(payload) });
  countRequest(deps, `Scheduler.${({ DELETE: 'DeleteSchedule', PUT: 'UpdateSchedule' } as Record<string, string>)[method] ?? 'CreateSchedule'}`);
  if (method === 'DELETE') {
    return deps.scheduler.delete(name) ? reply(200, {}) : reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
  }
  if (method !== 'POST' && method !== 'PUT') return reply(400, { Message: `${method} is not supported locally` }, 'ValidationException');
  const input = JSON.parse(body) as { ScheduleExpression: string; ScheduleExpressionTimezone?: string; Target: { Arn: string; Input?: string } };
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(input.ScheduleExpression)?.[1];
  const fn = deps.lambdaFunctions[input.Target.Arn.split(':').at(-1)!];
  if (!at || (input.ScheduleExpressionTimezone ?? 'UTC') !== 'UTC' || !fn) {
    return reply(400, { Message: 'Locally: one-time at(...) schedules in UTC targeting a local function only' }, 'ValidationException');
  }
  const payload: unknown = input.Target.Input ? JSON.parse(input.Target.Input) : {};
  // CreateSchedule (POST) of a name in use is a conflict; UpdateSchedule (PUT) replaces an existing one.
  if (method === 'POST' && deps.scheduler.has(name)) return reply(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
  if (method === 'PUT' && !deps.scheduler.has(name)) return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
  deps.scheduler.upsert({ name, at: new Date(`${at}Z`), fire: async () => void (await fn(payload, lambdaContext(name))) });
  return reply(200, { ScheduleArn: `arn:aws:scheduler:local:000000000000:schedule/local/${name}` });
}

/**
 * The SQS API stand-in (JSON protocol, AWS_ENDPOINT_URL_SQS): SendMessageBatch puts the messages
 * on the local queue, whose event source mapping stand-in feeds the consumer (see LocalQueue).
 */
async function sqsApi(deps: LocalServerDeps, req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const reply = (status: number, payload: unknown) =>
    send(res, { statusCode: status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(payload) });
  countRequest(deps, `SQS.${target.replace(/^AmazonSQS\./, '')}`);
  if (target !== 'AmazonSQS.SendMessageBatch') {
    return reply(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `${target} is not supported locally` });
  }
  const input = JSON.parse(body) as { QueueUrl: string; Entries: Array<{ Id: string; MessageBody: string }> };
  const queueName = input.QueueUrl.split('/').at(-1)!;
  const queue = deps.queues[queueName];
  if (!queue) return reply(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: `No queue ${queueName}` });
  const ids = queue.send(input.Entries.map((e) => e.MessageBody));
  return reply(200, {
    Successful: input.Entries.map((e, i) => ({ Id: e.Id, MessageId: ids[i], MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') })),
    Failed: [],
  });
}

/** The JWT authorizer stand-in, then the admin-API handler with an API Gateway v2 event. */
async function callAdminApi(
  deps: LocalServerDeps,
  req: IncomingMessage,
  url: URL,
  method: string,
  body: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  let claims: Record<string, string> | undefined;
  if (url.pathname !== '/openapi.json') {
    // Like API Gateway's JWT authorizer: no valid token, no call to the function.
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    claims = token ? await deps.auth.verify(token) : undefined;
    if (!claims) {
      return problemResponse({
        type: 'urn:sms-platform:problem:unauthenticated',
        title: 'Authentication required',
        status: 401,
        detail: token ? 'The token is invalid or expired' : 'A bearer token is required',
      });
    }
  }
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  const now = new Date();
  const event: HttpEvent = {
    version: '2.0',
    routeKey: url.pathname === '/openapi.json' ? 'GET /openapi.json' : 'ANY /admin/{proxy+}',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search && { queryStringParameters: Object.fromEntries(url.searchParams) }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: req.headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: 'ANY /admin/{proxy+}',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(claims && { authorizer: { jwt: { claims, scopes: null } } }),
    },
    ...(body && { body }),
    isBase64Encoded: false,
  };
  return deps.adminHandler(event, lambdaContext('admin-api'));
}

/** A Lambda context for calling a handler in process. */
export function lambdaContext(functionName: string): Context {
  // Locally nothing times out: the longest a Lambda function may run (15 minutes).
  const deadline = Date.now() + 900_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  res.end(result.body ?? '');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function problem(res: ServerResponse, status: number, slug: string, title: string, errors?: Problem['errors']): void {
  send(res, problemResponse({ type: `urn:sms-platform:problem:${slug}`, title, status, ...(errors && { errors }) }));
}
