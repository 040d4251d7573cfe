import type { AuditQuery, AuditRecord } from './audit.ts';
import type { Customer, CustomerView } from './customer.ts';
import type { Product } from './product.ts';

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
  getCustomerView(customerId: string): Promise<Omit<CustomerView, 'tier'> | undefined>;
  /**
   * Creates (`previous` undefined) or replaces a customer, claiming the phone number for them.
   * @throws ConflictError('phone-taken') when another customer holds the number.
   * @throws ConcurrentModificationError when `previous` is no longer the stored version.
   */
  putCustomer(customer: Customer, previous: Customer | undefined, audit: AuditRecord): Promise<void>;

  listAudit(query: AuditQuery & { limit: number }): Promise<AuditRecord[]>;
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
