import type { ServerResponse } from 'node:http';
import { buildConsole, contentSecurityPolicy, localConsoleConfig, type ConsoleFiles } from '../console/index.ts';
import { problem } from './http-helpers.ts';

let built: Promise<ConsoleFiles> | undefined;

/**
 * The staff console, built in memory once per run (esbuild: well under a second). `npm start`
 * begins it at launch, while DynamoDB Local starts, so a fresh clone serves a console built from
 * its own sources: there is no build output to go missing or stale. A failed build is tried
 * again by the next request.
 */
export function prepareConsole(): Promise<ConsoleFiles> {
  if (!built) {
    built = buildConsole();
    built.catch(() => {
      built = undefined;
    });
  }
  return built;
}

/** The headers CloudFront's response headers policy sets when deployed, so local use meets the same CSP. */
const SECURITY_HEADERS = {
  'content-security-policy': contentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** GET /console/...: index.html, the hashed script and stylesheet, and config.json (dev-token sign-in, same origin). */
export async function serveConsole(res: ServerResponse, url: URL, method: string): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') return problem(res, 405, 'method-not-allowed', `${method} is not allowed on the console's files`);
  // Relative asset URLs need the trailing slash.
  if (url.pathname === '/console') {
    res.writeHead(308, { location: `/console/${url.search}` });
    return void res.end();
  }
  let name: string;
  try {
    name = decodeURIComponent(url.pathname.slice('/console/'.length)) || 'index.html';
  } catch {
    return problem(res, 400, 'bad-request', 'The path is not a valid percent-encoding');
  }
  if (name === 'config.json') {
    // Read per request: the SMS text settings are those of this run's environment.
    const body = JSON.stringify(localConsoleConfig(process.env));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', ...SECURITY_HEADERS });
    return void res.end(method === 'HEAD' ? undefined : body);
  }
  let files: ConsoleFiles;
  try {
    files = await prepareConsole();
  } catch (error) {
    console.error('The console could not be built:', error);
    return problem(res, 500, 'console-build', 'The console could not be built', { detail: error instanceof Error ? error.message : String(error) });
  }
  const file = files.get(name);
  if (!file) return problem(res, 404, 'no-such-file', `No console file ${name}`);
  res.writeHead(200, {
    'content-type': file.contentType,
    'content-length': String(file.body.length),
    'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY_HEADERS,
  });
  res.end(method === 'HEAD' ? undefined : file.body);
}
