import { ConcurrentModificationError, consentEntrySchema, type Change, type ConsentEntry, type ConsentRepository } from '../core/index.ts';
import { createOnlyPut, fromItem, type GuardedWrite, type TableClient } from './table-client.ts';

export const CONSENT = 'Consent';

export const consentKeys = {
  /** A number's consent entries, in time order; appended, never changed, no TTL. */
  item: (entry: Pick<ConsentEntry, 'phone' | 'at' | 'consentId'>) => ({ pk: `CONSENT#${entry.phone}`, sk: `${entry.at}#${entry.consentId}` }),
  partition: (phone: string) => `CONSENT#${phone}`,
};

export function consentWrites(table: TableClient, change: Extract<Change, { kind: 'consent' }>): GuardedWrite[] {
  return [
    {
      item: createOnlyPut(table.name, { ...consentKeys.item(change.entry), type: CONSENT, ...change.entry }),
      onConditionFailed: (cause) => new ConcurrentModificationError('consent', change.entry.consentId, { cause }),
    },
  ];
}

export class DynamoConsentRepository implements ConsentRepository {
  constructor(private readonly table: TableClient) {}

  async list(phone: string): Promise<ConsentEntry[]> {
    const items = await this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': consentKeys.partition(phone) }, ConsistentRead: true });
    return items.map((item) => fromItem(consentEntrySchema, item, CONSENT));
  }
}
