import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Role } from '../../packages/core/index.ts';
import type { HttpEvent } from '../../packages/lambda/index.ts';

/** An API Gateway v2 event as the deployed HTTP API sends it, with the JWT authorizer's claims. */
export function httpEvent(
  method: string,
  path: string,
  options: { body?: unknown; role?: Role | Role[] | null; user?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
): HttpEvent {
  const roles = options.role === undefined ? ['admin'] : options.role === null ? null : [options.role].flat();
  return {
    version: '2.0',
    routeKey: 'ANY /admin/{proxy+}',
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.query && { queryStringParameters: options.query }),
    requestContext: {
      accountId: '111122223333',
      apiId: 'test',
      domainName: 'test.example',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'req',
      routeKey: 'ANY /admin/{proxy+}',
      stage: '$default',
      time: '25/Nov/2026:00:00:00 +0000',
      timeEpoch: 0,
      ...(roles && {
        authorizer: {
          jwt: { claims: { sub: 'u-1', 'cognito:username': options.user ?? 'tester', 'cognito:groups': `[${roles.join(' ')}]` }, scopes: null },
        },
      }),
    },
    ...(options.body !== undefined && { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    isBase64Encoded: false,
  };
}

export function parse(result: APIGatewayProxyStructuredResultV2): { status: number; body: any; headers: Record<string, unknown> } {
  return {
    status: result.statusCode ?? 0,
    body: result.body ? JSON.parse(result.body) : undefined,
    headers: (result.headers ?? {}) as Record<string, unknown>,
  };
}
