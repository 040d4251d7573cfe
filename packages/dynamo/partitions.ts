/**
 * Partition keys that several entities share (their items are read together in one Query).
 * Each entity module builds the rest of its keys itself; no key is written anywhere else.
 */
export const partitions = {
  /** Profile, points balance, subscriptions, packages and daily caps of one customer. */
  customer: (customerId: string) => `CUSTOMER#${customerId}`,
  /** A product and its SMS counters. */
  product: (code: string) => `PRODUCT#${code}`,
  /** A number's holder and opt-out state, and its pending confirmation. */
  phone: (e164: string) => `PHONE#${e164}`,
  /** A message, its batches' outcome records and its held recipients. */
  message: (messageId: string) => `MESSAGE#${messageId}`,
} as const;

/** Upper bound for a sort-key range that starts with a prefix. */
export const HIGH = '\uffff';

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
