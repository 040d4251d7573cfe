import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Customer, Subscription } from '../core/index.ts';
import { customerItem } from './customers.ts';
import { phoneItem } from './phones.ts';
import { subscriptionItem } from './subscriptions.ts';

export interface SubscriberLoad {
  customer: Customer;
  /** Active subscriptions to load with the customer. */
  subscriptions: Subscription[];
  optedOut?: boolean;
}

/**
 * Loads customers, their numbers and active subscriptions into an empty table with
 * BatchWriteItem (25 items a request, unconditional, no audit records): the items are the ones
 * the entity modules write, built by the same functions. For benchmarks and large test audiences, and
 * the shape of a one-off import of a brokerage's existing subscribers; never for live changes.
 */
export async function bulkLoadSubscribers(db: DynamoDBDocumentClient, tableName: string, entries: SubscriberLoad[], parallel = 8): Promise<void> {
  const items = entries.flatMap(({ customer, subscriptions, optedOut }) => [
    customerItem(customer),
    phoneItem(customer.phone, customer.customerId, optedOut === true, customer.updatedAt),
    ...subscriptions.map((sub) => subscriptionItem(sub, true)),
  ]);
  const chunks: Array<typeof items> = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < chunks.length) {
        let request: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = {
          [tableName]: chunks[next++]!.map((Item) => ({ PutRequest: { Item } })),
        };
        while (request && Object.keys(request).length) {
          const result = await db.send(new BatchWriteCommand({ RequestItems: request }));
          request = result.UnprocessedItems as typeof request;
        }
      }
    }),
  );
}
