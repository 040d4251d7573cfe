import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditRepository } from './audit.ts';
import { DynamoCaseRepository } from './cases.ts';
import { DynamoSurveyRepository } from './surveys.ts';
import { DynamoConsentRepository } from './consents.ts';
import { DynamoCustomerRepository } from './customers.ts';
import { DynamoDailyCapRepository } from './daily-cap.ts';
import { DynamoDeliveryRepository } from './deliveries.ts';
import { DynamoMessageRepository } from './messages.ts';
import { DynamoOperationRepository } from './operations.ts';
import { DynamoPhoneRepository } from './phones.ts';
import { DynamoLedgerRepository } from './points.ts';
import { DynamoProductRepository } from './products.ts';
import { DynamoRecipientRepository } from './recipients.ts';
import { DynamoAudienceRepository } from './subscriptions.ts';
import { CursorCodec } from './cursor.ts';
import { DynamoReceiptRepository } from './receipts.ts';
import { DynamoSmsLogRepository } from './sms-log.ts';
import { TableClient } from './table-client.ts';
import { DynamoUnitOfWork } from './unit-of-work.ts';

/**
 * Every repository of the one table. Each is a small object over the same client; a function
 * picks the ones its services need (the rest cost nothing: no I/O until called).
 */
export function dynamoRepositories(doc: DynamoDBDocumentClient, tableName: string, options: { cursorSecret?: string } = {}) {
  const table = new TableClient(doc, tableName);
  const cursors = new CursorCodec(options.cursorSecret);
  return {
    unitOfWork: new DynamoUnitOfWork(table),
    products: new DynamoProductRepository(table),
    customers: new DynamoCustomerRepository(table),
    ledgers: new DynamoLedgerRepository(table, cursors),
    operations: new DynamoOperationRepository(table),
    phones: new DynamoPhoneRepository(table),
    audit: new DynamoAuditRepository(table, cursors),
    messages: new DynamoMessageRepository(table, cursors),
    audience: new DynamoAudienceRepository(table, cursors),
    recipients: new DynamoRecipientRepository(table),
    deliveries: new DynamoDeliveryRepository(table),
    dailyCaps: new DynamoDailyCapRepository(table),
    consents: new DynamoConsentRepository(table),
    smsLog: new DynamoSmsLogRepository(table, cursors),
    receipts: new DynamoReceiptRepository(table),
    cases: new DynamoCaseRepository(table, cursors),
    surveys: new DynamoSurveyRepository(table, cursors),
  };
}

export type DynamoRepositories = ReturnType<typeof dynamoRepositories>;
