import type { ConsoleConfig } from '../config.ts';

export type { CognitoSettings, ConsoleConfig, SmsTextSettings } from '../config.ts';

/** config.json next to index.html: read once, before anything renders. */
export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}

/** Where the admin API is: config.apiUrl, or this origin when it is absent (the local runtime). */
export function apiBase(config: ConsoleConfig): string {
  return (config.apiUrl ?? '').replace(/\/+$/, '');
}
