import type { DailyCapEntry, DailyCapRepository } from '../core/index.ts';
import { partitions } from './partitions.ts';
import type { TableClient, TransactItem } from './table-client.ts';

export const DAILY_CAP = 'DailyCap';

export const dailyCapKeys = {
  /** Promotional SMS a customer got on one local day; in the customer's partition, expires by TTL. */
  item: (customerId: string, day: string) => ({ pk: partitions.customer(customerId), sk: `CAP#${day}` }),
};

/** Kept four days from the start of the (UTC) date: past the end of that local day in every zone, and past any give-back. */
function expiresAt(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + 4 * 86_400;
}

/** For whoever was counted but got nothing (opted out, expired, failed): the count goes back down. */
export function giveBackCapItem(tableName: string, entry: DailyCapEntry): TransactItem {
  return {
    Update: { TableName: tableName, Key: dailyCapKeys.item(entry.customerId, entry.day), UpdateExpression: 'ADD #n :minusOne', ExpressionAttributeNames: { '#n': 'sent' }, ExpressionAttributeValues: { ':minusOne': -1 } },
  };
}

export class DynamoDailyCapRepository implements DailyCapRepository {
  constructor(private readonly table: TableClient) {}

  /** One transaction for the batch: each count goes up only while it is below the cap; who is at it is dropped. */
  async reserve(entries: DailyCapEntry[], cap: number): Promise<string[]> {
    const counted = await this.table.writeEach(
      entries,
      ({ customerId, day }) => ({
        Update: {
          TableName: this.table.name,
          Key: dailyCapKeys.item(customerId, day),
          UpdateExpression: 'SET #type = :type, #ttl = :ttl ADD #n :one',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :cap',
          ExpressionAttributeNames: { '#type': 'type', '#ttl': 'ttl', '#n': 'sent' },
          ExpressionAttributeValues: { ':type': DAILY_CAP, ':ttl': expiresAt(day), ':one': 1, ':cap': cap },
        },
      }),
      'Daily caps',
    );
    return counted.map((e) => e.customerId);
  }
}
