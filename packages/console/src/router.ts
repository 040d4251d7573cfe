import { signal } from '@preact/signals';

/**
 * Hash routes (#/messages/01J...): the console is static files, and a hash never reaches the
 * server, so every screen loads from index.html both locally and behind CloudFront.
 */
export interface Route {
  screen: string;
  /** The second segment: an id, or `new`. */
  id: string | undefined;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [screen = '', id] = path.split('/').map((s) => decodeURIComponent(s));
  return { screen, id: id || undefined, params: new URLSearchParams(query) };
}

export const route = signal<Route>(parseRoute(location.hash));
addEventListener('hashchange', () => {
  route.value = parseRoute(location.hash);
});

/** The href of a screen: `href('messages', id)`. */
export function href(screen: string, id?: string, params?: Record<string, string>): string {
  const query = params && Object.keys(params).length ? `?${new URLSearchParams(params)}` : '';
  return `#/${screen}${id ? `/${encodeURIComponent(id)}` : ''}${query}`;
}

export function go(screen: string, id?: string, params?: Record<string, string>): void {
  location.hash = href(screen, id, params);
}
