import type { AuditRecord } from '../audit.ts';
import type { ConsentEntry } from '../consent.ts';
import type { CountedReceipt, DeliveryReceipt, SentSms, SmsStatus, UndeliveredReason } from '../receipts.ts';
import type { Case, CaseKind, CaseStatus } from '../cases.ts';
import type { ScoreCounts, Survey, SurveyInvitation } from '../surveys.ts';
import type { Customer } from '../customer.ts';
import type { BatchOutcome, Message } from '../message.ts';
import type { LedgerEntry, PointsAccount } from '../points.ts';
import type { Product } from '../product.ts';
import type { CustomerPackage, Subscription } from '../subscription.ts';
import type { Change } from './changes.ts';

/**
 * The persistence ports, one narrow repository per entity: each service depends on exactly the
 * ones it uses. Reads come from the repositories; every write goes through the unit of work.
 */

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** Everything the platform keeps about one customer, read in one request. */
export interface CustomerState {
  customer: Customer;
  points: PointsAccount;
  subscriptions: Subscription[];
  packages: CustomerPackage[];
}

/** A paid action disclosed by SMS and waiting for the client's `Y` (China's SMS rules). */
export interface PendingAction {
  pendingId: string;
  phone: string;
  customerId: string;
  action: 'redeem';
  productCode: string;
  language: 'zh' | 'en';
  createdAt: string;
  expiresAt: string;
  /** The disclosure SMS the client was sent: what their `Y` confirms (kept in the consent ledger). */
  disclosure?: string;
}

/** What the platform knows about one phone number (opt-out lives on the number, not the customer). */
export interface PhoneState {
  phone: string;
  customerId?: string;
  optedOut: boolean;
  optedOutAt?: string;
  /** Two invalid-number receipts in a row: broadcasts and alerts skip the number. */
  undeliverable?: boolean;
  /** The number's latest delivered and invalid-number receipts, oldest first (what decides `undeliverable`). */
  recentReceipts?: CountedReceipt[];
  /** Counts the writes of `recentReceipts`: a receipt's update is conditional on the version it read. */
  receiptsVersion?: number;
  pending?: PendingAction;
  /** The surveys sent to this number whose answers may still come (read with the number: a score costs no other read). */
  surveys?: SurveyInvitation[];
}

/** Who a recipient of a broadcast is: their number and time zone (undefined phone: no such customer). */
export interface RecipientProfile {
  customerId: string;
  phone?: string;
  timezone?: string;
}

/** What decides, just before a publish, whether a recipient may still get a broadcast. */
export interface SendState {
  optedOut: boolean;
  undeliverable?: boolean;
  subscription?: Subscription;
}

/** A promotional SMS counted against a client's cap on their local day. */
export interface DailyCapEntry {
  customerId: string;
  /** `YYYY-MM-DD` in the client's zone. */
  day: string;
}

/** Audit query with its window resolved (the service fills the defaults from its clock). */
export interface AuditWindowQuery {
  entity?: string;
  actor?: string;
  from: string;
  to: string;
  limit: number;
  /** Where the previous page stopped (opaque, from that page). */
  cursor?: string;
}

/**
 * Applies the changes of one unit of work atomically (one transaction).
 * @throws ConcurrentModificationError when an item is no longer at its expected version.
 * @throws OperationAlreadyAppliedError when an `operation` key is recorded (or a confirmation used) already.
 * @throws ConflictError when a unique value is taken (`product-exists`, `phone-taken`).
 */
export interface UnitOfWork {
  commit(changes: Change[]): Promise<void>;
}

export interface ProductRepository {
  get(code: string): Promise<Product | undefined>;
  /** The whole catalog, in code order. */
  list(): Promise<Product[]>;
  /** Subscribe/unsubscribe counts by SMS, and SMS delivered and their cost from the receipts (the product's statistics). */
  counters(code: string): Promise<ProductCounters>;
}

/** A product's statistics as counted. */
export interface ProductCounters {
  subscribes: number;
  unsubscribes: number;
  delivered: number;
  priceUsd: number;
  /** Feedback cases (FK) about the product. */
  feedback: number;
  /** The product's most recent survey. */
  latestSurveyId?: string;
}

export interface CaseRepository {
  get(caseId: string): Promise<Case | undefined>;
  /** Newest first; `overdue`: open cases past their due time, oldest due first. @throws ValidationError for a cursor it did not issue. */
  list(query: { kinds: CaseKind[]; status?: CaseStatus; productCode?: string; overdueAt?: string; limit: number; cursor?: string }): Promise<Page<Case>>;
  /** A client's cases, newest first. @throws ValidationError for a cursor it did not issue. */
  listForCustomer(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<Case>>;
  /** How many open cases of `kind` are past their due time at `at`. */
  countOverdue(kind: CaseKind, at: string): Promise<number>;
}

export interface SurveyRepository {
  get(surveyId: string): Promise<Survey | undefined>;
  /** The survey and its score counts, in one read. */
  results(surveyId: string): Promise<{ survey: Survey; counts: ScoreCounts } | undefined>;
  /** Surveys newest first: all of them, or one product's; a page at a time. */
  list(query: { productCode?: string; limit: number; cursor?: string }): Promise<Page<Survey>>;
  /** Remembers, with each recipient's number, that the survey was sent to it (batched writes). */
  recordInvitations(invitations: Array<SurveyInvitation & { phone: string }>): Promise<void>;
}

export interface CustomerRepository {
  get(customerId: string): Promise<Customer | undefined>;
  /** The customer's whole picture in one read; undefined when there is no such customer. */
  getState(customerId: string): Promise<CustomerState | undefined>;
  /** Ids of customers whose account-opening anniversary is `monthDay` (`MM-DD`). */
  idsByAnniversary(monthDay: string): Promise<string[]>;
}

export interface LedgerRepository {
  /** A customer's ledger, newest first. @throws ValidationError for a cursor it did not issue. */
  page(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<LedgerEntry>>;
}

export interface OperationRepository {
  /** The recorded request and result of an operation applied once. */
  get(key: string): Promise<{ request: string; result: unknown } | undefined>;
}

export interface PhoneRepository {
  /** Holder, opt-out state and pending confirmation of a number, in one read. */
  getState(phone: string): Promise<PhoneState>;
  /** Holder, opt-out and deliverability of several numbers, in one batched read (no pending confirmation). */
  getMany(phones: string[]): Promise<Map<string, PhoneState>>;
}

export interface AuditRepository {
  /** Newest first, within the window. */
  list(query: AuditWindowQuery): Promise<Page<AuditRecord>>;
}

/** What the records of a message's batches and receipts add up to. */
export interface MessageCounts extends BatchOutcome {
  batches: number;
  /** While quiet hours hold recipients: the first instant they are held until. */
  heldUntil?: string;
  /** When the last batch was recorded (receipts can lag by up to 72 hours after it). */
  lastBatchAt?: string;
  receipts: { delivered: number; undelivered: number; undeliveredByReason: Partial<Record<UndeliveredReason, number>>; priceUsd: number };
}

export interface MessageRepository {
  get(messageId: string): Promise<Message | undefined>;
  /** Messages newest first, of one stored status or all, of one product or all. @throws ValidationError for a cursor it did not issue. */
  list(query: { status?: Message['status']; productCode?: string; limit: number; cursor?: string }): Promise<Page<Message>>;
  /** Messages queued for a product slot, oldest first. */
  listQueued(slot: string): Promise<Message[]>;
  /** The outcomes recorded so far for a message, summed over its batches, with its receipts. */
  counts(messageId: string): Promise<MessageCounts>;
}

export interface AudienceRepository {
  /** How many active subscribers a product has (for an estimate). */
  count(productCode: string): Promise<number>;
  /** One page of a product's active audience: customer ids. */
  page(productCode: string, options: { limit: number; cursor?: string }): Promise<Page<string>>;
}

export interface RecipientRepository {
  /** Number and time zone of each recipient, in one batched read. */
  profiles(customerIds: string[]): Promise<RecipientProfile[]>;
  /** Opt-out state of each number and each customer's subscription to the product, read just before sending. */
  sendStates(productCode: string, recipients: Array<{ customerId: string; phone: string }>): Promise<Map<string, SendState>>;
}

export interface DeliveryRepository {
  /**
   * Claims one delivery per (message, customer); returns the customers claimed now (a customer
   * claimed before, by this or another sender, is left out: never sent twice). Stage `release`
   * claims, once, a delivery that quiet hours held back.
   */
  claim(messageId: string, customerIds: string[], options: { stage: 'send' | 'release'; at: string }): Promise<string[]>;
  /** Records recipients held by quiet hours until `releaseAt` (`recordId` unique per batch attempt). */
  recordDeferred(messageId: string, releaseAt: string, recordId: string, customerIds: string[]): Promise<void>;
  /** Every recipient of a message held until `releaseAt`. */
  listDeferred(messageId: string, releaseAt: string): Promise<string[]>;
  /**
   * Records the outcome of one attempt at a batch (`recordId` unique per attempt), giving back,
   * in the same write, the daily-cap counts of recipients that were counted but got nothing.
   * @throws OperationAlreadyAppliedError when that attempt was recorded before.
   */
  recordOutcome(messageId: string, recordId: string, outcome: BatchOutcome, options: { at: string; giveBackCap: DailyCapEntry[] }): Promise<void>;
}

export interface DailyCapRepository {
  /**
   * Counts one promotional SMS per (customer, local day) against `cap`; returns the customers
   * still under it (and counted now). The others are at the cap and get nothing.
   */
  reserve(entries: DailyCapEntry[], cap: number): Promise<string[]>;
}

export interface ConsentRepository {
  /** Every consent entry of a number, oldest first. */
  list(phone: string): Promise<ConsentEntry[]>;
}

export interface SmsLogRepository {
  /** Records SMS as sent (or failed), in batched writes. */
  record(entries: SentSms[]): Promise<void>;
  /** The recorded SMS of these ids, in one batched read. */
  get(smsIds: string[]): Promise<Map<string, SentSms>>;
  /** A message's recipients by status (`sent`: still awaiting a receipt). @throws ValidationError for a cursor it did not issue. */
  listForMessage(messageId: string, options: { status?: SmsStatus; limit: number; cursor?: string }): Promise<Page<SentSms>>;
  /** Every SMS sent to a customer, newest first. @throws ValidationError for a cursor it did not issue. */
  listForCustomer(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<SentSms>>;
}

export interface ReceiptRepository {
  /**
   * Records receipts of recorded SMS: each moves from sent to its final status once (one applied
   * already is left out), with the counts per message and per product written per call, not per
   * receipt. Returns the ids applied now.
   */
  apply(receipts: Array<{ sms: SentSms; receipt: DeliveryReceipt }>, recordId: string): Promise<string[]>;
  /** Receipts of SMS not recorded (yet): kept, to be tried again. */
  park(receipts: DeliveryReceipt[], parkedAt: string): Promise<void>;
  /** Parked receipts, oldest first. */
  parked(limit: number): Promise<Array<DeliveryReceipt & { parkedAt: string }>>;
  unpark(smsIds: string[]): Promise<void>;
}
