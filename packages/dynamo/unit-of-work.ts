import type { Change, ChangeKind, UnitOfWork } from '../core/index.ts';
import { auditWrites } from './audit.ts';
import { consentWrites } from './consents.ts';
import { customerWrites } from './customers.ts';
import { messageWrites } from './messages.ts';
import { operationWrites } from './operations.ts';
import { packageWrites } from './packages.ts';
import { deliverabilityClearedWrites, deliverabilityWrites, optOutWrites, pendingConsumedWrites, pendingWrites } from './phones.ts';
import { pointsWrites } from './points.ts';
import { productCounterWrites, productLatestSurveyWrites, productWrites } from './products.ts';
import { caseWrites } from './cases.ts';
import { surveyAnswerWrites, surveyWrites } from './surveys.ts';
import { subscriptionWrites } from './subscriptions.ts';
import type { GuardedWrite, TableClient } from './table-client.ts';

type Contributor<K extends ChangeKind> = (table: TableClient, change: Extract<Change, { kind: K }>) => GuardedWrite[];

/** Which entity module turns each kind of change into its transaction items (and failures into domain errors). */
const contributors: { [K in ChangeKind]: Contributor<K> } = {
  product: productWrites,
  'product-counter': productCounterWrites,
  'product-latest-survey': productLatestSurveyWrites,
  case: caseWrites,
  survey: surveyWrites,
  'survey-answer': surveyAnswerWrites,
  customer: customerWrites,
  points: pointsWrites,
  subscription: subscriptionWrites,
  package: packageWrites,
  operation: operationWrites,
  'opt-out': optOutWrites,
  pending: pendingWrites,
  'pending-consumed': pendingConsumedWrites,
  message: messageWrites,
  audit: auditWrites,
  consent: consentWrites,
  deliverability: deliverabilityWrites,
  'deliverability-cleared': deliverabilityClearedWrites,
};

function writesOf<K extends ChangeKind>(table: TableClient, change: Extract<Change, { kind: K }>): GuardedWrite[] {
  return (contributors[change.kind] as Contributor<K>)(table, change);
}

/** The UnitOfWork port over one TransactWriteItems: every change of a commit, or none. */
export class DynamoUnitOfWork implements UnitOfWork {
  constructor(private readonly table: TableClient) {}

  async commit(changes: Change[]): Promise<void> {
    await this.table.transact(changes.flatMap((change) => writesOf(this.table, change)));
  }
}
