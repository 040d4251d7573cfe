/**
 * config.json, next to the console's index.html: where the API is and how staff sign in. Locally
 * `npm start` serves it (same origin, dev tokens); deployed, the stack writes it (Cognito).
 * Types only: the browser code and the Node code that writes the file share them.
 */

/** How the platform composes a message's SMS (the same settings the admin API reads), for the live preview. */
export interface SmsTextSettings {
  signature: string;
  footer: string;
  adviserLine: string;
  riskWarning: string;
  maxSegments: number;
}

export interface CognitoSettings {
  /** The Hosted UI's base URL, e.g. https://prefix.auth.region.amazoncognito.com */
  domain: string;
  clientId: string;
}

export type ConsoleConfig =
  /** Local runtime: dev tokens from /local/dev-token; `apiUrl` absent means this origin. */
  | { mode: 'local'; apiUrl?: string; sms: SmsTextSettings }
  /** Deployed: Cognito Hosted UI, authorization code with PKCE. */
  | { mode: 'cognito'; apiUrl: string; cognito: CognitoSettings; sms: SmsTextSettings };
