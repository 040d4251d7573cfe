import type { AuditRecord } from '../audit.ts';
import type { ConsentEntry } from '../consent.ts';
import type { Customer } from '../customer.ts';
import type { Message } from '../message.ts';
import type { CountedReceipt } from '../receipts.ts';
import type { Case } from '../cases.ts';
import type { Score, Survey } from '../surveys.ts';
import type { LedgerEntry, PointsAccount } from '../points.ts';
import type { Product } from '../product.ts';
import type { CustomerPackage, Subscription } from '../subscription.ts';
import type { PendingAction } from './repositories.ts';

/**
 * One change of a unit of work. `expectedVersion` is the version read (0: the item must not
 * exist yet); the unit of work writes all changes of a commit atomically or none of them.
 */
export type Change =
  | { kind: 'product'; product: Product; expectedVersion: number }
  | { kind: 'product-counter'; productCode: string; counter: 'subscribes' | 'unsubscribes' | 'feedback' }
  /** The product's most recent survey (its statistics show that survey's average). */
  | { kind: 'product-latest-survey'; productCode: string; surveyId: string }
  /** A case, created (expectedVersion 0) or changed (closed). */
  | { kind: 'case'; case: Case; expectedVersion: number }
  | { kind: 'survey'; survey: Survey; expectedVersion: number }
  /** A number's first score for a survey it was sent (a second fails: SurveyAlreadyAnsweredError), counted on one of the survey's counter shards. */
  | { kind: 'survey-answer'; phone: string; surveyId: string; customerId: string; score: Score; at: string }
  /** `previous` undefined: a new customer. The number is claimed when it is new or changed (one holder per number). */
  | { kind: 'customer'; customer: Customer; previous: Customer | undefined }
  | { kind: 'points'; customerId: string; account: PointsAccount; expectedVersion: number; entry: LedgerEntry }
  | { kind: 'subscription'; subscription: Subscription; expectedVersion: number; active: boolean }
  | { kind: 'package'; pkg: CustomerPackage; expectedVersion: number }
  | { kind: 'operation'; key: string; request: string; result: unknown; at: string }
  /** The number opted out or back in (by its own SMS): it is alive, so its receipts are forgotten too (as with `deliverability-cleared`). */
  | { kind: 'opt-out'; phone: string; optedOut: boolean; at: string }
  | { kind: 'pending'; pending: PendingAction }
  | { kind: 'pending-consumed'; phone: string; pendingId: string }
  | { kind: 'message'; message: Message; expectedVersion: number }
  | { kind: 'audit'; record: AuditRecord }
  | { kind: 'consent'; entry: ConsentEntry }
  /** A number's deliverability after receipts, written only if `receiptsVersion` is still `expectedVersion` (0: never written). */
  | { kind: 'deliverability'; phone: string; recentReceipts: CountedReceipt[]; undeliverable: boolean; expectedVersion: number }
  /** A number deliverable again, its receipts forgotten: the client texted from it. */
  | { kind: 'deliverability-cleared'; phone: string };

export type ChangeKind = Change['kind'];
