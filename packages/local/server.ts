import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as z from 'zod';
import { detailSchemaFor, eventEnvelopeSchema } from '../../events/index.ts';
import type { CountryCode } from 'libphonenumber-js';
import { ROLES, isRole, normalisePhone } from '../core/index.ts';
import { fieldErrors } from '../lambda/index.ts';
import { callAdminApi, type AdminApiGatewayDeps } from './admin-api-gateway.ts';
import { serveConsole } from './console-site.ts';
import type { LocalEventBus } from './event-bus.ts';
import { RequestBodyError, bodyProblem, json, lambdaContext, parseJsonObject, problem, queryParameters, readBody, send } from './http-helpers.ts';
import { lambdaInvoke, type LambdaApiDeps, type LocalFunction } from './lambda-api.ts';
import { CARRIER_OUTCOMES } from './carrier.ts';
import { ClockBackwardsError } from './scheduler.ts';
import { settle } from './settle.ts';
import { schedulerApi, type SchedulerApiDeps } from './scheduler-api.ts';
import { snsApi, type SnsApiDeps } from './sns-api.ts';
import { sqsApi, type SqsApiDeps } from './sqs-api.ts';

/** What the front door routes to: the AWS API stand-ins' needs, and those of the local-only endpoints. */
export interface LocalServerDeps extends AdminApiGatewayDeps, LambdaApiDeps, SchedulerApiDeps, SnsApiDeps, SqsApiDeps {
  inboundSmsHandler: LocalFunction;
  bus: LocalEventBus;
  /** True once DynamoDB Local answers and the table is ACTIVE. */
  isReady(): Promise<boolean>;
}

/** The number clients text in the local runtime. */
export const LOCAL_NUMBER = '+8610690000';

/**
 * The local HTTP front door: it only routes. `/admin/*` and `/openapi.json` go through the HTTP
 * API stand-in (admin-api-gateway.ts) to the same handler the Lambda exports; `/local/aws/*` are
 * the AWS API stand-ins the handlers' SDK clients reach; the rest of `/local/*` are the
 * local-only endpoints of the README.
 */
export function createLocalServer(deps: LocalServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      console.error(error);
      problem(res, 500, 'internal', 'Internal error');
    });
  });
}

async function handle(deps: LocalServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await route(deps, req, res);
  } catch (error) {
    // The AWS API stand-ins answer these in their service's style; what is left is problem+json.
    if (error instanceof RequestBodyError) return bodyProblem(res, error);
    throw error;
  }
}

async function route(deps: LocalServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  const method = (req.method ?? 'GET').toUpperCase();

  if (url.pathname === '/openapi.json' || url.pathname === '/admin' || url.pathname.startsWith('/admin/')) {
    const answer = await callAdminApi(deps, req, url, method, await readBody(req));
    await settle(deps);
    return send(res, answer);
  }

  if (url.pathname === '/console' || url.pathname.startsWith('/console/')) return serveConsole(res, url, method);

  const invoke = /^\/local\/aws\/lambda\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
  if (method === 'POST' && invoke) return lambdaInvoke(deps, decodeURIComponent(invoke[1]!), req, res);
  const schedule = /^\/local\/aws\/scheduler\/schedules\/([^/]+)$/.exec(url.pathname);
  if (schedule) return schedulerApi(deps, method, decodeURIComponent(schedule[1]!), req, res);

  const key = `${method} ${url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname}`;
  switch (key) {
    case 'GET /local/health': {
      const ready = await deps.isReady().catch(() => false);
      return json(res, ready ? 200 : 503, { status: ready ? 'ok' : 'starting' });
    }
    case 'GET /local/dev-token': {
      const role = url.searchParams.get('role') ?? 'admin';
      if (!isRole(role)) {
        return problem(res, 400, 'validation', 'Unknown role', { errors: [{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }] });
      }
      const user = url.searchParams.get('user') ?? undefined;
      return json(res, 200, { token: await deps.auth.issue(role, user ? { user } : {}), role });
    }
    case 'GET /local/sms/outbox':
    {
      // The number in any format inbound SMS accepts (13800138001, +86 138 0013 8001, an unencoded +).
      const to = queryParameters(url).to;
      let phone: string | undefined;
      if (to !== undefined) {
        try {
          phone = normalisePhone(to, defaultRegion());
        } catch {
          return problem(res, 400, 'validation', 'Invalid phone number', { errors: [{ field: 'to', message: 'is not a valid phone number' }] });
        }
      }
      return json(res, 200, { items: deps.outbox.list(phone) });
    }
    case 'POST /local/sms/inbound': {
      const inbound = z
        .strictObject({ from: z.string().min(3).max(32), text: z.string().max(1600), inboundMessageId: z.string().min(1).max(100).optional() })
        .safeParse(parseJsonObject(await readBody(req)));
      if (!inbound.success) return problem(res, 400, 'validation', 'Invalid inbound SMS', { errors: fieldErrors(inbound.error) });
      const inboundMessageId = inbound.data.inboundMessageId ?? randomUUID();
      // The SNS notification two-way SMS would publish, to the same handler the Lambda exports.
      const message = { originationNumber: inbound.data.from, destinationNumber: LOCAL_NUMBER, messageBody: inbound.data.text, inboundMessageId };
      await deps.inboundSmsHandler(
        { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', Sns: { Type: 'Notification', MessageId: randomUUID(), TopicArn: 'arn:aws:sns:local:000000000000:InboundSms', Message: JSON.stringify(message), Timestamp: new Date().toISOString() } }] },
        lambdaContext('inbound-sms'),
      );
      await settle(deps);
      return json(res, 202, { inboundMessageId });
    }
    case 'POST /local/sms/carrier': {
      const outcome = z
        .strictObject({ phone: z.string().min(3).max(32), outcome: z.enum(CARRIER_OUTCOMES) })
        .safeParse(parseJsonObject(await readBody(req)));
      if (!outcome.success) return problem(res, 400, 'validation', 'Invalid carrier outcome', { errors: fieldErrors(outcome.error) });
      let phone: string;
      try {
        phone = normalisePhone(outcome.data.phone, defaultRegion());
      } catch {
        return problem(res, 400, 'validation', 'Invalid carrier outcome', { errors: [{ field: 'phone', message: 'is not a valid phone number' }] });
      }
      deps.carrier.setOutcome(phone, outcome.data.outcome);
      return send(res, { statusCode: 204, body: '' });
    }
    case 'POST /local/aws/sns':
      return snsApi(deps, req, res);
    case 'POST /local/aws/sqs':
      return sqsApi(deps, req, res);
    case 'POST /local/events': {
      const envelope = eventEnvelopeSchema.safeParse(parseJsonObject(await readBody(req)));
      if (!envelope.success) return problem(res, 400, 'validation', 'Invalid event', { errors: fieldErrors(envelope.error) });
      const detailSchema = detailSchemaFor(envelope.data.source, envelope.data['detail-type']);
      const detail = detailSchema?.safeParse(envelope.data.detail);
      if (detail && !detail.success) {
        return problem(res, 400, 'validation', 'Invalid event detail', { errors: fieldErrors(detail.error, 'detail') });
      }
      const routed = await deps.bus.put(envelope.data);
      await settle(deps);
      return json(res, 202, routed);
    }
    case 'GET /local/clock':
      return json(res, 200, { now: deps.scheduler.now().toISOString() });
    case 'POST /local/scheduler/tick': {
      const tick = z.strictObject({ now: z.iso.datetime({ offset: true }) }).safeParse(parseJsonObject(await readBody(req)));
      if (!tick.success) return problem(res, 400, 'validation', 'Invalid tick', { errors: fieldErrors(tick.error) });
      let fired: string[];
      try {
        fired = await deps.scheduler.tick(new Date(tick.data.now));
      } catch (error) {
        if (error instanceof ClockBackwardsError) return problem(res, 409, 'clock-backwards', 'The local clock never goes back', { detail: error.message });
        throw error;
      }
      await settle(deps);
      // What quiet hours hold now, and until when: each pending release of held recipients.
      const held = deps.scheduler
        .list()
        .filter((s) => s.name.startsWith('release-'))
        .map((s) => ({ messageId: s.name.slice('release-'.length, -'-yyyymmddThhmm'.length), until: s.at }));
      return json(res, 200, { now: deps.scheduler.now().toISOString(), fired, ...(held.length && { held }) });
    }
    default:
      return problem(res, 404, 'no-such-route', `No route ${key}`);
  }
}

/** The region numbers without a country code belong to (as inbound SMS reads them). */
function defaultRegion(): CountryCode {
  return (process.env.DEFAULT_PHONE_REGION ?? 'CN') as CountryCode;
}
