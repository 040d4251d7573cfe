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

  /** One item per phone number: who holds it (and, later, its opt-out state). */
  phone: (e164: string) => ({ pk: `PHONE#${e164}`, sk: 'PHONE' }),

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
} as const;
