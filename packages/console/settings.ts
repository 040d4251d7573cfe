import { messagesEnv } from '../lambda/index.ts';
import type { ConsoleConfig, SmsTextSettings } from './config.ts';

const smsTextEnv = messagesEnv.pick({ SMS_SIGNATURE: true, SMS_PROMOTIONAL_FOOTER: true, SMS_ADVISER_LINE: true, SMS_RISK_WARNING: true, SMS_MAX_SEGMENTS: true });

/**
 * The SMS text settings from the same variables (and defaults) the admin API composes messages
 * with, so the console's preview is the text that will be sent.
 */
export function smsTextSettings(env: Record<string, string | undefined>): SmsTextSettings {
  const config = smsTextEnv.parse(env);
  return {
    signature: config.SMS_SIGNATURE,
    footer: config.SMS_PROMOTIONAL_FOOTER,
    adviserLine: config.SMS_ADVISER_LINE,
    riskWarning: config.SMS_RISK_WARNING,
    maxSegments: config.SMS_MAX_SEGMENTS,
  };
}

/** config.json of the local runtime: the API on the same origin, dev-token sign-in. */
export function localConsoleConfig(env: Record<string, string | undefined>): ConsoleConfig {
  return { mode: 'local', sms: smsTextSettings(env) };
}

/**
 * The console's Content-Security-Policy: its own script and styles only (no inline code, no
 * eval), no framing, and requests only to `connect` (the API and, deployed, Cognito's token endpoint).
 */
export function contentSecurityPolicy(connect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
