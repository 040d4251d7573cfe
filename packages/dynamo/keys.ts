/**
 * Every key of the single table is built here, and only here.
 * The access patterns they serve are listed in README.md beside this file.
 */

/** Upper bound for a sort-key range that starts with `prefix`. */
export const HIGH = '\uffff';

export const keys = {
  product: (code: string) => ({ pk: `PRODUCT#${code}`, sk: 'PRODUCT' }),
  /** gsi1: all products, in code order (a catalog is hundreds of items: one partition is fine). */
  productListing: (code: string) => ({ gsi1pk: 'PRODUCTS', gsi1sk: code }),
  productsPartition: 'PRODUCTS',

  customerPartition: (customerId: string) => `CUSTOMER#${customerId}`,
  customer: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'PROFILE' }),
  customerSkProfile: 'PROFILE',
  customerSkPoints: 'POINTS',
  subscriptionSkPrefix: 'SUB#',
  packageSkPrefix: 'PKG#',
  /** gsi2 on a customer profile: customers by account-opening anniversary (loyalty points). */
  anniversary: (monthDay: string, customerId: string) => ({ gsi2pk: `ANNIV#${monthDay}`, gsi2sk: customerId }),
  anniversaryPartition: (monthDay: string) => `ANNIV#${monthDay}`,

  points: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'POINTS' }),
  /** The ledger has its own partition so that the customer picture stays one small Query. */
  ledgerPartition: (customerId: string) => `LEDGER#${customerId}`,
  ledgerEntry: (customerId: string, seq: number) => ({ pk: `LEDGER#${customerId}`, sk: `ENTRY#${String(seq).padStart(12, '0')}` }),

  subscription: (customerId: string, productCode: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `SUB#${productCode}` }),
  /**
   * gsi1 on an active subscription: the audience of a product, spread over AUDIENCE_SHARDS
   * partitions (by customer id) so that a large audience is read in parallel and written evenly.
   */
  audience: (productCode: string, customerId: string) => ({
    gsi1pk: `AUDIENCE#${productCode}#${audienceShard(customerId)}`,
    gsi1sk: customerId,
  }),
  audiencePartition: (productCode: string, shard: number) => `AUDIENCE#${productCode}#${shard}`,

  package: (customerId: string, productCode: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `PKG#${productCode}` }),

  message: (messageId: string) => ({ pk: `MESSAGE#${messageId}`, sk: 'MESSAGE' }),
  /** gsi1 on a queued message: the queue of a product slot, oldest first (sparse: only while queued). */
  slotQueue: (slot: string, createdAt: string, messageId: string) => ({ gsi1pk: `SLOT#${slot}`, gsi1sk: `${createdAt}#${messageId}` }),
  slotQueuePartition: (slot: string) => `SLOT#${slot}`,
  messagePartition: (messageId: string) => `MESSAGE#${messageId}`,
  /** One item per recipient batch: counts without a hot key (no counter updated per recipient). */
  messageBatch: (messageId: string, batchId: string) => ({ pk: `MESSAGE#${messageId}`, sk: `BATCH#${batchId}` }),
  messageBatchPrefix: 'BATCH#',
  /** Recipients held by quiet hours until `releaseAt`, one item per batch attempt that held some. */
  deferred: (messageId: string, releaseAt: string, recordId: string) => ({ pk: `MESSAGE#${messageId}`, sk: `DEFER#${releaseAt}#${recordId}` }),
  deferredPrefix: (releaseAt: string) => `DEFER#${releaseAt}#`,
  /** Promotional SMS a customer got on one local day (the daily cap); in the customer's partition, expires by TTL. */
  dailyCap: (customerId: string, day: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `CAP#${day}` }),
  /** The shared SMS send budget (next free send slot); one small item, updated once per chunk of sends. */
  sendBudget: (name: string) => ({ pk: `SENDBUDGET#${name}`, sk: 'SENDBUDGET' }),
  /**
   * One delivery per (message, customer); spread over DELIVERY_SHARDS partitions per message by
   * other bits of the hash than the audience shard: the dispatcher pages the audience shard
   * by shard, so a batch holds customers of one audience shard, and its claims must not all
   * land on one partition.
   */
  delivery: (messageId: string, customerId: string) => ({ pk: `DELIVERY#${messageId}#${deliveryShard(customerId)}`, sk: customerId }),

  /** The record of an operation applied once (idempotency key), with its request and result. */
  operation: (key: string) => ({ pk: `OP#${key}`, sk: 'OP' }),

  /** One item per phone number: who holds it and its opt-out state (opt-outs belong to numbers). */
  phone: (e164: string) => ({ pk: `PHONE#${e164}`, sk: 'PHONE' }),
  phonePartition: (e164: string) => `PHONE#${e164}`,
  /** The paid action a number was asked to confirm with `Y` (expires by TTL). */
  pending: (e164: string) => ({ pk: `PHONE#${e164}`, sk: 'PENDING' }),
  productCounters: (code: string) => ({ pk: `PRODUCT#${code}`, sk: 'STATS' }),

  auditPartition: (entity: string) => `AUDIT#${entity}`,
  auditSort: (at: string, auditId: string) => `${at}#${auditId}`,
  /** gsi1: audit records of one UTC day, time-ordered (a time-range read without a Scan). */
  auditDayPartition: (day: string) => `AUDITDAY#${day}`,
  /** gsi2: audit records of one actor, time-ordered. */
  auditActorPartition: (actor: string) => `AUDITACTOR#${actor}`,
} as const;

export const ITEM_TYPES = {
  product: 'Product',
  customer: 'Customer',
  phone: 'Phone',
  audit: 'Audit',
  points: 'Points',
  ledger: 'LedgerEntry',
  subscription: 'Subscription',
  package: 'Package',
  operation: 'Operation',
  pending: 'Pending',
  productCounters: 'ProductCounters',
  message: 'Message',
  messageBatch: 'MessageBatch',
  delivery: 'Delivery',
  deferred: 'Deferred',
  dailyCap: 'DailyCap',
  sendBudget: 'SendBudget',
} as const;

export const AUDIENCE_SHARDS = 16;
export const DELIVERY_SHARDS = 16;

/** FNV-1a of the customer id: stable across processes and runtimes. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The hash's low bits, mod AUDIENCE_SHARDS. */
export function audienceShard(customerId: string): number {
  return fnv1a(customerId) % AUDIENCE_SHARDS;
}

/** Bits 8 and up of the same hash, mod DELIVERY_SHARDS: independent of the audience shard. */
export function deliveryShard(customerId: string): number {
  return (fnv1a(customerId) >>> 8) % DELIVERY_SHARDS;
}
