export { buildConsole, buildConsoleSync, type ConsoleFile, type ConsoleFiles } from './build.ts';
export { generateApiTypes, API_TYPES_FILE } from './api-types.ts';
export { contentSecurityPolicy, localConsoleConfig, smsTextSettings } from './settings.ts';
export type { CognitoSettings, ConsoleConfig, SmsTextSettings } from './config.ts';
