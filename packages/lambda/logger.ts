import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per function process (Powertools: JSON lines with the Lambda context). */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sms-platform' });
