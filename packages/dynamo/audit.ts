import { ConcurrentModificationError, auditRecordSchema, type AuditRecord, type AuditRepository, type AuditWindowQuery, type Change } from '../core/index.ts';
import { HIGH } from './partitions.ts';
import { createOnlyPut, fromItem, type GuardedWrite, type TableClient } from './table-client.ts';

export const AUDIT = 'Audit';

const DAY_MS = 86_400_000;

export const auditKeys = {
  /** Records of one entity, time-ordered (sk `<at>#<auditId>`). */
  item: (record: Pick<AuditRecord, 'entity' | 'at' | 'auditId'>) => ({ pk: `AUDIT#${record.entity}`, sk: `${record.at}#${record.auditId}` }),
  entityPartition: (entity: string) => `AUDIT#${entity}`,
  /** gsi1: records of one UTC day, time-ordered (a time-range read without a Scan). */
  dayPartition: (day: string) => `AUDITDAY#${day}`,
  /** gsi2: records of one actor, time-ordered. */
  actorPartition: (actor: string) => `AUDITACTOR#${actor}`,
};

/** Every successful change writes exactly one, in its own transaction. */
export function auditWrites(table: TableClient, change: Extract<Change, { kind: 'audit' }>): GuardedWrite[] {
  const { record } = change;
  const key = auditKeys.item(record);
  return [
    {
      item: createOnlyPut(table.name, {
        ...key,
        gsi1pk: auditKeys.dayPartition(record.at.slice(0, 10)),
        gsi1sk: key.sk,
        gsi2pk: auditKeys.actorPartition(record.actor),
        gsi2sk: key.sk,
        type: AUDIT,
        ...record,
      }),
      onConditionFailed: (cause) => new ConcurrentModificationError('audit', record.auditId, { cause }),
    },
  ];
}

export class DynamoAuditRepository implements AuditRepository {
  constructor(private readonly table: TableClient) {}

  async list(query: AuditWindowQuery): Promise<AuditRecord[]> {
    const range = { ':from': query.from, ':to': `${query.to}${HIGH}` };
    const parse = (items: Array<Record<string, unknown>>) => items.map((item) => fromItem(auditRecordSchema, item, AUDIT));
    if (query.entity) {
      return parse(
        await this.table.queryAll(
          {
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ...(query.actor && { FilterExpression: 'actor = :actor' }),
            ExpressionAttributeValues: { ...range, ':pk': auditKeys.entityPartition(query.entity), ...(query.actor && { ':actor': query.actor }) },
            ScanIndexForward: false,
          },
          query.limit,
        ),
      );
    }
    if (query.actor) {
      return parse(
        await this.table.queryAll(
          {
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ...range, ':pk': auditKeys.actorPartition(query.actor) },
            ScanIndexForward: false,
          },
          query.limit,
        ),
      );
    }
    // Neither filter: walk the day partitions of gsi1 from newest to oldest.
    const records: AuditRecord[] = [];
    for (let day = Date.parse(query.to.slice(0, 10)); day >= Date.parse(query.from.slice(0, 10)); day -= DAY_MS) {
      const items = await this.table.queryAll(
        {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ...range, ':pk': auditKeys.dayPartition(new Date(day).toISOString().slice(0, 10)) },
          ScanIndexForward: false,
        },
        query.limit - records.length,
      );
      records.push(...parse(items));
      if (records.length >= query.limit) break;
    }
    return records;
  }
}
