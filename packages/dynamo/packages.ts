import * as z from 'zod';
import { ConcurrentModificationError, type Change, type CustomerPackage } from '../core/index.ts';
import { partitions } from './partitions.ts';
import { fromItem, versionedPut, type GuardedWrite, type Item, type TableClient } from './table-client.ts';

export const PACKAGE = 'Package';

const SK_PREFIX = 'PKG#';

export const packageKeys = {
  item: (customerId: string, productCode: string) => ({ pk: partitions.customer(customerId), sk: `${SK_PREFIX}${productCode}` }),
  skPrefix: SK_PREFIX,
};

const packageSchema: z.ZodType<CustomerPackage> = z.object({
  customerId: z.string(),
  productCode: z.string(),
  bundle: z.array(z.string()),
  grantedAt: z.string(),
  expiresAt: z.string(),
  endedAt: z.string().optional(),
  version: z.number().int(),
});

export function packageFrom(item: Item): CustomerPackage {
  return fromItem(packageSchema, item, PACKAGE);
}

export function packageWrites(table: TableClient, change: Extract<Change, { kind: 'package' }>): GuardedWrite[] {
  const { pkg } = change;
  return [
    {
      item: versionedPut(table.name, { ...packageKeys.item(pkg.customerId, pkg.productCode), type: PACKAGE, ...pkg }, change.expectedVersion),
      onConditionFailed: (cause) => new ConcurrentModificationError('package', `${pkg.customerId}/${pkg.productCode}`, { cause }),
    },
  ];
}
