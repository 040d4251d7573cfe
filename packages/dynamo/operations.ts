import * as z from 'zod';
import { OperationAlreadyAppliedError, type Change, type OperationRepository } from '../core/index.ts';
import { createOnlyPut, fromItem, type GuardedWrite, type TableClient } from './table-client.ts';

export const OPERATION = 'Operation';

/** The record of an operation applied once (idempotency key), with its request and result. */
export const operationKeys = {
  item: (key: string) => ({ pk: `OP#${key}`, sk: 'OP' }),
};

const operationSchema = z.object({ request: z.string(), result: z.unknown() });

/** Recorded in the operation's own transaction: a second attempt finds the key taken. */
export function operationWrites(table: TableClient, change: Extract<Change, { kind: 'operation' }>): GuardedWrite[] {
  return [
    {
      item: createOnlyPut(table.name, { ...operationKeys.item(change.key), type: OPERATION, key: change.key, request: change.request, result: change.result, at: change.at }),
      onConditionFailed: (cause) => new OperationAlreadyAppliedError(change.key, { cause }),
      priority: 2,
    },
  ];
}

export class DynamoOperationRepository implements OperationRepository {
  constructor(private readonly table: TableClient) {}

  async get(key: string): Promise<{ request: string; result: unknown } | undefined> {
    const item = await this.table.get(operationKeys.item(key), { consistent: true });
    return item && fromItem(operationSchema, item, OPERATION);
  }
}
