import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { problemResponse, problemType, type HttpEvent } from '../lambda/index.ts';
import type { LocalAuth } from './dev-token.ts';
import { lambdaContext, queryParameters } from './http-helpers.ts';

/** The admin-API Lambda's handler, as the HTTP API integration calls it. */
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface AdminApiGatewayDeps {
  adminHandler: HttpHandler;
  auth: LocalAuth;
}

/**
 * The HTTP API in front of the admin API: the JWT authorizer stand-in, then the admin-API
 * handler with the API Gateway v2 event the deployed HTTP API would send.
 */
export async function callAdminApi(
  deps: AdminApiGatewayDeps,
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
        type: problemType('unauthenticated'),
        title: 'Authentication required',
        status: 401,
        detail: token ? 'The token is invalid or expired' : 'A bearer token is required',
      });
    }
  }
  return deps.adminHandler(httpApiEvent(req, url, method, body, claims), lambdaContext('admin-api'));
}

/** The API Gateway v2 (HTTP API, payload format 2.0) event of a request. */
function httpApiEvent(req: IncomingMessage, url: URL, method: string, body: string, claims: Record<string, string> | undefined): HttpEvent {
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  const now = new Date();
  return {
    version: '2.0',
    routeKey: url.pathname === '/openapi.json' ? 'GET /openapi.json' : 'ANY /admin/{proxy+}',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search && { queryStringParameters: queryParameters(url) }),
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
}
