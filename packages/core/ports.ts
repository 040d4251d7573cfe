import type { AuditQuery, AuditRecord } from './audit.ts';
import type { Customer } from './customer.ts';
import type { BatchOutcome, Message, RecipientBatch } from './message.ts';
import type { LedgerEntry, PointsAccount } from './points.ts';
import type { Product } from './product.ts';
import type { CustomerPackage, Subscription } from './subscription.ts';

/** Everything the platform keeps about one customer, read in one request. */
export interface CustomerState {
  customer: Customer;
  points: PointsAccount;
  subscriptions: Subscription[];
  packages: CustomerPackage[];
}

/**
 * One change of a unit of work. `expectedVersion` is the version read (0: the item must not
 * exist yet); the store writes all changes of a commit atomically or none of them.
 */
export type Change =
  | { kind: 'points'; customerId: string; account: PointsAccount; expectedVersion: number; entry: LedgerEntry }
  | { kind: 'subscription'; subscription: Subscription; expectedVersion: number; active: boolean }
  | { kind: 'package'; pkg: CustomerPackage; expectedVersion: number }
  | { kind: 'customer'; customer: Customer; expectedVersion: number }
  | { kind: 'operation'; key: string; request: string; result: unknown; at: string }
  | { kind: 'opt-out'; phone: string; optedOut: boolean; at: string }
  | { kind: 'pending'; pending: PendingAction }
  | { kind: 'pending-consumed'; phone: string; pendingId: string }
  | { kind: 'product-counter'; productCode: string; counter: 'subscribes' | 'unsubscribes' }
  | { kind: 'message'; message: Message; expectedVersion: number }
  | { kind: 'audit'; record: AuditRecord };

/** What the platform knows about one phone number (opt-out lives on the number, not the customer). */
export interface PhoneState {
  phone: string;
  customerId?: string;
  optedOut: boolean;
  optedOutAt?: string;
  pending?: PendingAction;
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
  subscription?: Subscription;
}

/**
 * The account's SMS messages-per-second budget, shared by every concurrent sender. `reserve(n)`
 * books the next n send slots (1/perSecond apart) and returns when the first one starts.
 */
export interface SendBudget {
  readonly perSecond: number;
  reserve(count: number): Promise<number>;
}

/** Hands recipient batches to the senders: SQS in AWS, an in-process queue locally. */
export interface DeliveryQueue {
  enqueue(batches: RecipientBatch[]): Promise<void>;
}

/** One-time schedules that start a message's dispatch later (EventBridge Scheduler in AWS). */
export interface MessageScheduler {
  /** Creates (or replaces) the schedule that dispatches `messageId` at `at`. */
  scheduleDispatch(messageId: string, at: Date): Promise<void>;
  /**
   * Ensures one schedule dispatches the recipients of `messageId` held by quiet hours until
   * `at` (many batches ask for the same one: asking again is not an error).
   */
  scheduleRelease(messageId: string, at: Date): Promise<void>;
  /** Removes it; removing a schedule that is gone already is not an error. */
  cancelDispatch(messageId: string): Promise<void>;
}

/** Starts the dispatch of a message elsewhere (async Lambda invoke in AWS, in-process locally). */
export interface DispatchTrigger {
  dispatch(messageId: string): Promise<void>;
}

/** What a dispatcher invocation is asked to do: a message's audience, or the recipients quiet hours held until `releaseAt`. */
export interface DispatchRequest {
  messageId: string;
  releaseAt?: string;
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
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new unique, time-ordered id (a ULID in production). */
  next(): string;
}

/**
 * Persistence port. Every write takes the audit record of the change and stores both
 * atomically: the change and its audit record exist together or not at all.
 */
export interface Store {
  getProduct(code: string): Promise<Product | undefined>;
  listProducts(): Promise<Product[]>;
  /** @throws ConflictError('product-exists') when the code is taken. */
  createProduct(product: Product, audit: AuditRecord): Promise<void>;
  /** @throws ConcurrentModificationError unless the stored version is `expectedVersion`. */
  updateProduct(product: Product, expectedVersion: number, audit: AuditRecord): Promise<void>;

  getCustomer(customerId: string): Promise<Customer | undefined>;
  /** The customer's whole picture in one read; undefined when there is no such customer. */
  getCustomerState(customerId: string): Promise<CustomerState | undefined>;
  /**
   * Creates (`previous` undefined) or replaces a customer, claiming the phone number for them.
   * @throws ConflictError('phone-taken') when another customer holds the number.
   * @throws ConcurrentModificationError when `previous` is no longer the stored version.
   */
  putCustomer(customer: Customer, previous: Customer | undefined, audit: AuditRecord): Promise<void>;

  listAudit(query: AuditQuery & { limit: number }): Promise<AuditRecord[]>;

  /**
   * Applies all changes atomically (one transaction).
   * @throws ConcurrentModificationError when an item is no longer at its expected version.
   * @throws OperationAlreadyAppliedError when an `operation` key is already recorded.
   */
  commit(changes: Change[]): Promise<void>;
  /** The recorded request and result of an idempotent operation. */
  getOperation(key: string): Promise<{ request: string; result: unknown } | undefined>;
  /** A customer's ledger, newest first. @throws ValidationError for a cursor it did not issue. */
  listLedger(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<LedgerEntry>>;
  /** Ids of customers whose account-opening anniversary is `monthDay` (`MM-DD`). */
  listCustomerIdsByAnniversary(monthDay: string): Promise<string[]>;
  /** Holder, opt-out state and pending confirmation of a number, in one read. */
  getPhoneState(phone: string): Promise<PhoneState>;
  getMessage(messageId: string): Promise<Message | undefined>;
  /** Messages queued for a product slot, oldest first (a sparse index: only queued ones are in it). */
  listQueuedMessages(slot: string): Promise<Message[]>;
  /** The outcomes recorded so far for a message, summed over its batches. */
  getMessageCounts(messageId: string): Promise<BatchOutcome & { batches: number }>;
  /** How many active subscribers a product has (for an estimate). */
  countAudience(productCode: string): Promise<number>;
  /** One page of a product's active audience (a sparse GSI, sharded): customer ids in order. */
  pageAudience(productCode: string, options: { limit: number; cursor?: string }): Promise<Page<string>>;
  /** Number and time zone of each recipient, in one batched read. */
  getRecipientProfiles(customerIds: string[]): Promise<RecipientProfile[]>;
  /** Opt-out state of each number and each customer's subscription to the product, read just before sending. */
  getSendStates(productCode: string, recipients: Array<{ customerId: string; phone: string }>): Promise<Map<string, SendState>>;
  /**
   * Claims one delivery per (message, customer); returns the customers claimed now (a customer
   * claimed before, by this or another sender, is left out: never sent twice). Stage `release`
   * claims, once, a delivery that quiet hours held back.
   */
  claimDeliveries(messageId: string, customerIds: string[], stage?: 'send' | 'release'): Promise<string[]>;
  /** Records recipients held by quiet hours until `releaseAt` (`recordId` unique per batch attempt). */
  recordDeferred(messageId: string, releaseAt: string, recordId: string, customerIds: string[]): Promise<void>;
  /** Every recipient of a message held until `releaseAt`. */
  listDeferred(messageId: string, releaseAt: string): Promise<string[]>;
  /**
   * Counts one promotional SMS per (customer, local day) against `cap`; returns the customers
   * still under it (and counted now). The others are at the cap and get nothing.
   */
  reserveDailyCap(entries: Array<{ customerId: string; day: string }>, cap: number): Promise<string[]>;
  /**
   * Records the outcome of one attempt at a batch (`recordId` unique per attempt), giving back,
   * in the same write, the daily-cap counts of recipients that were counted but got nothing.
   */
  recordBatchOutcome(messageId: string, recordId: string, outcome: BatchOutcome, giveBackCap?: Array<{ customerId: string; day: string }>): Promise<void>;
  /** Subscribe/unsubscribe counts of a product (for its statistics). */
  getProductCounters(productCode: string): Promise<{ subscribes: number; unsubscribes: number }>;
}

export interface OutboundSms {
  /** E.164 number. */
  to: string;
  body: string;
  smsType: 'Transactional' | 'Promotional';
}

/** Sends one SMS to one number: SNS Publish in AWS, the outbox in the local runtime. */
export interface SmsSender {
  send(sms: OutboundSms): Promise<{ messageId: string }>;
}
