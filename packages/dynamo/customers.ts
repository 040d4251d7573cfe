import { ConcurrentModificationError, customerSchema, openedDate, type Change, type Customer, type CustomerRepository, type CustomerState } from '../core/index.ts';
import { packageFrom, packageKeys } from './packages.ts';
import { partitions } from './partitions.ts';
import { claimPhoneWrite, releasePhoneWrite } from './phones.ts';
import { pointsAccountFrom, pointsKeys } from './points.ts';
import { subscriptionFrom, subscriptionKeys } from './subscriptions.ts';
import { fromItem, versionedPut, type GuardedWrite, type Item, type TableClient } from './table-client.ts';

export const CUSTOMER = 'Customer';

const PROFILE_SK = 'PROFILE';

export const customerKeys = {
  profile: (customerId: string) => ({ pk: partitions.customer(customerId), sk: PROFILE_SK }),
  /** gsi2 on a customer profile: customers by account-opening anniversary (loyalty points). */
  anniversary: (monthDay: string, customerId: string) => ({ gsi2pk: `ANNIV#${monthDay}`, gsi2sk: customerId }),
  anniversaryPartition: (monthDay: string) => `ANNIV#${monthDay}`,
};

/** The stored form of a customer profile, with its anniversary in gsi2 (loyalty). */
export function customerItem(customer: Customer): Item {
  return { ...customerKeys.profile(customer.customerId), ...customerKeys.anniversary(openedDate(customer).slice(5), customer.customerId), type: CUSTOMER, ...customer };
}

export function customerFrom(item: Item): Customer {
  return fromItem(customerSchema, item, CUSTOMER);
}

/**
 * The profile, guarded by the version read (absent for a new customer), and, when the number is
 * new or changed, the claim of the number (one holder per number) and the release of the old one.
 */
export function customerWrites(table: TableClient, change: Extract<Change, { kind: 'customer' }>): GuardedWrite[] {
  const { customer, previous } = change;
  const id = customer.customerId;
  const writes: GuardedWrite[] = [
    {
      item: versionedPut(table.name, customerItem(customer), previous?.version ?? 0),
      onConditionFailed: (cause) => new ConcurrentModificationError('customer', id, { cause }),
    },
  ];
  if (previous?.phone !== customer.phone) writes.push(claimPhoneWrite(table, customer.phone, id, customer.updatedAt));
  if (previous && previous.phone !== customer.phone) writes.push(releasePhoneWrite(table, previous.phone, id, customer.updatedAt));
  return writes;
}

export class DynamoCustomerRepository implements CustomerRepository {
  constructor(private readonly table: TableClient) {}

  async get(customerId: string): Promise<Customer | undefined> {
    const item = await this.table.get(customerKeys.profile(customerId), { consistent: true });
    return item && customerFrom(item);
  }

  async getState(customerId: string): Promise<CustomerState | undefined> {
    // Profile, points balance, subscriptions and packages share one partition: one Query.
    const items = await this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitions.customer(customerId) }, ConsistentRead: true });
    const profile = items.find((i) => i.sk === PROFILE_SK);
    if (!profile) return undefined;
    const withSk = (prefix: string) => items.filter((i) => typeof i.sk === 'string' && i.sk.startsWith(prefix));
    return {
      customer: customerFrom(profile),
      points: pointsAccountFrom(items.find((i) => i.sk === pointsKeys.balance(customerId).sk)),
      subscriptions: withSk(subscriptionKeys.skPrefix).map(subscriptionFrom),
      packages: withSk(packageKeys.skPrefix).map(packageFrom),
    };
  }

  async idsByAnniversary(monthDay: string): Promise<string[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': customerKeys.anniversaryPartition(monthDay) },
      ProjectionExpression: 'customerId',
    });
    return items.map((item) => String(item.customerId));
  }
}
