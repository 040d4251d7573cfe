import * as z from 'zod';
import { ConcurrentModificationError, ConflictError, OperationAlreadyAppliedError, type Change, type PendingAction, type PhoneRepository, type PhoneState } from '../core/index.ts';
import { partitions } from './partitions.ts';
import { INVITATION_PREFIX, invitationFrom } from './surveys.ts';
import { fromItem, type GuardedWrite, type Item, type TableClient } from './table-client.ts';

export const PHONE = 'Phone';
export const PENDING = 'Pending';

const HOLDER_SK = 'PHONE';
const PENDING_SK = 'PENDING';

export const phoneKeys = {
  /** One item per phone number: who holds it and its opt-out state (opt-outs belong to numbers). */
  item: (e164: string) => ({ pk: partitions.phone(e164), sk: HOLDER_SK }),
  /** The paid action a number was asked to confirm with `Y` (expires by TTL). */
  pending: (e164: string) => ({ pk: partitions.phone(e164), sk: PENDING_SK }),
};

const holderSchema = z.object({
  phone: z.string().optional(),
  customerId: z.string().optional(),
  optedOut: z.boolean().optional(),
  optedOutAt: z.string().optional(),
  undeliverable: z.boolean().optional(),
  recentReceipts: z.array(z.object({ smsId: z.string(), at: z.string(), outcome: z.enum(['delivered', 'invalid-number']) })).optional(),
  receiptsVersion: z.number().int().optional(),
});

const pendingSchema: z.ZodType<PendingAction> = z.object({
  pendingId: z.string(),
  phone: z.string(),
  customerId: z.string(),
  action: z.literal('redeem'),
  productCode: z.string(),
  language: z.enum(['zh', 'en']),
  createdAt: z.string(),
  expiresAt: z.string(),
  disclosure: z.string().optional(),
});

/** A number's item as its state (an absent item: never opted out, deliverable). */
export function phoneStateOf(phone: string, item: Item | undefined): Omit<PhoneState, 'pending'> {
  const holder = item ? fromItem(holderSchema, item, PHONE) : {};
  return {
    phone,
    ...(holder.customerId !== undefined && { customerId: holder.customerId }),
    optedOut: holder.optedOut === true,
    ...(holder.optedOutAt !== undefined && { optedOutAt: holder.optedOutAt }),
    ...(holder.undeliverable && { undeliverable: true }),
    ...(holder.recentReceipts?.length && { recentReceipts: holder.recentReceipts }),
    ...(holder.receiptsVersion && { receiptsVersion: holder.receiptsVersion }),
  };
}

/** A number's receipts after new ones: conditional on the version read, so concurrent receipt calls never lose one. */
export function deliverabilityWrites(table: TableClient, change: Extract<Change, { kind: 'deliverability' }>): GuardedWrite[] {
  return [
    {
      item: {
        Update: {
          TableName: table.name,
          Key: phoneKeys.item(change.phone),
          UpdateExpression: 'SET recentReceipts = :recent, undeliverable = :undeliverable, receiptsVersion = :next, phone = :phone, #type = :type',
          ConditionExpression: change.expectedVersion === 0 ? 'attribute_not_exists(receiptsVersion)' : 'receiptsVersion = :version',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':recent': change.recentReceipts,
            ':undeliverable': change.undeliverable,
            ':next': change.expectedVersion + 1,
            ':phone': change.phone,
            ':type': PHONE,
            ...(change.expectedVersion !== 0 && { ':version': change.expectedVersion }),
          },
        },
      },
      onConditionFailed: (cause) => new ConcurrentModificationError('phone', change.phone, { cause }),
    },
  ];
}

/** The number tried again: its receipts forgotten (a receipt call that read them before fails its condition and reads again). */
export function deliverabilityClearedWrites(table: TableClient, change: Extract<Change, { kind: 'deliverability-cleared' }>): GuardedWrite[] {
  return [
    {
      item: { Update: { TableName: table.name, Key: phoneKeys.item(change.phone), UpdateExpression: 'REMOVE undeliverable, recentReceipts, receiptsVersion' } },
      onConditionFailed: (cause) => new ConcurrentModificationError('phone', change.phone, { cause }),
    },
  ];
}

/** A number's item as a bulk import writes it. */
export function phoneItem(phone: string, customerId: string, optedOut: boolean, updatedAt: string): Item {
  return { ...phoneKeys.item(phone), type: PHONE, phone, customerId, optedOut, updatedAt };
}

/** Claims the number for a customer: one holder per number; the item outlives a change of holder. */
export function claimPhoneWrite(table: TableClient, phone: string, customerId: string, at: string): GuardedWrite {
  return {
    item: {
      Update: {
        TableName: table.name,
        Key: phoneKeys.item(phone),
        // A number given to a customer is tried again: its receipts count from nothing.
        UpdateExpression: 'SET customerId = :id, #type = :type, updatedAt = :now REMOVE undeliverable, recentReceipts, receiptsVersion',
        ConditionExpression: 'attribute_not_exists(customerId) OR customerId = :id',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':id': customerId, ':type': PHONE, ':now': at },
      },
    },
    onConditionFailed: (cause) => new ConflictError('phone-taken', 'The phone number belongs to another customer', { cause }),
    priority: 1,
  };
}

/** The customer's old number is no longer theirs (its opt-out state stays with it). */
export function releasePhoneWrite(table: TableClient, phone: string, customerId: string, at: string): GuardedWrite {
  return {
    item: {
      Update: {
        TableName: table.name,
        Key: phoneKeys.item(phone),
        UpdateExpression: 'REMOVE customerId SET updatedAt = :now',
        ConditionExpression: 'customerId = :id',
        ExpressionAttributeValues: { ':id': customerId, ':now': at },
      },
    },
    onConditionFailed: (cause) => new ConcurrentModificationError('customer', customerId, { cause }),
  };
}

export function optOutWrites(table: TableClient, change: Extract<Change, { kind: 'opt-out' }>): GuardedWrite[] {
  return [
    {
      item: {
        Update: {
          TableName: table.name,
          Key: phoneKeys.item(change.phone),
          // Only the number itself opts out or in (by SMS): it is alive, so its receipts are forgotten here too.
          UpdateExpression: change.optedOut
            ? 'SET optedOut = :true, optedOutAt = :at, #type = :type, updatedAt = :at REMOVE undeliverable, recentReceipts, receiptsVersion'
            : 'SET optedOut = :false, optedInAt = :at, #type = :type, updatedAt = :at REMOVE undeliverable, recentReceipts, receiptsVersion',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ...(change.optedOut ? { ':true': true } : { ':false': false }), ':at': change.at, ':type': PHONE },
        },
      },
      onConditionFailed: (cause) => new ConcurrentModificationError('phone', change.phone, { cause }),
    },
  ];
}

export function pendingWrites(table: TableClient, change: Extract<Change, { kind: 'pending' }>): GuardedWrite[] {
  const { pending } = change;
  return [
    {
      item: {
        Put: {
          TableName: table.name,
          // DynamoDB's TTL removes it some time after expiry; reads check expiresAt themselves.
          Item: { ...phoneKeys.pending(pending.phone), type: PENDING, ...pending, ttl: Math.ceil(Date.parse(pending.expiresAt) / 1000) + 3600 },
        },
      },
      onConditionFailed: (cause) => new ConcurrentModificationError('pending', pending.phone, { cause }),
    },
  ];
}

/** A confirmation is used once: whichever `Y` deletes it first buys. */
export function pendingConsumedWrites(table: TableClient, change: Extract<Change, { kind: 'pending-consumed' }>): GuardedWrite[] {
  return [
    {
      item: {
        Delete: {
          TableName: table.name,
          Key: phoneKeys.pending(change.phone),
          ConditionExpression: 'pendingId = :id',
          ExpressionAttributeValues: { ':id': change.pendingId },
        },
      },
      onConditionFailed: (cause) => new OperationAlreadyAppliedError(`PENDING#${change.pendingId}`, { cause }),
      priority: 2,
    },
  ];
}

export class DynamoPhoneRepository implements PhoneRepository {
  constructor(private readonly table: TableClient) {}

  /** One Query of the number's partition: holder, pending confirmation, survey invitations. */
  async getState(phone: string): Promise<PhoneState> {
    const items = await this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitions.phone(phone) }, ConsistentRead: true });
    const pendingItem = items.find((i) => i.sk === PENDING_SK);
    const surveys = items.filter((i) => String(i.sk).startsWith(INVITATION_PREFIX)).map(invitationFrom);
    return {
      ...phoneStateOf(phone, items.find((i) => i.sk === HOLDER_SK)),
      ...(pendingItem && { pending: fromItem(pendingSchema, pendingItem, PENDING) }),
      ...(surveys.length && { surveys }),
    };
  }

  async getMany(phones: string[]): Promise<Map<string, PhoneState>> {
    const unique = [...new Set(phones)];
    const byPk = new Map((await this.table.batchGet(unique.map((p) => phoneKeys.item(p)))).map((item) => [String(item.pk), item]));
    return new Map(unique.map((phone) => [phone, phoneStateOf(phone, byPk.get(phoneKeys.item(phone).pk))]));
  }
}
