import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Customer, Subscription } from '../../packages/core/index.ts';
import { bulkLoadSubscribers } from '../../packages/dynamo/index.ts';
import { LOCAL_AWS_ENV } from '../../packages/local/index.ts';

export interface AudienceSpec {
  productCode: string;
  /** Customer ids are `${prefix}${n}`, numbers +86137 followed by eight digits from `firstNumber`. */
  prefix: string;
  firstNumber: number;
  active: number;
  optedOut?: number;
  /** Paid subscriptions that ran out (still in the audience index until their next write). */
  expired?: number;
  timezone: string;
}

export interface Audience {
  active: string[];
  optedOut: string[];
  expired: string[];
}

/** Loads a product's audience straight into a table (bulkLoadSubscribers); returns the numbers by kind. */
export async function loadAudience(endpoint: string, tableName: string, spec: AudienceSpec): Promise<Audience> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: LOCAL_AWS_ENV.AWS_REGION, credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const now = new Date().toISOString();
  const kinds = [
    ...Array<'active'>(spec.active).fill('active'),
    ...Array<'optedOut'>(spec.optedOut ?? 0).fill('optedOut'),
    ...Array<'expired'>(spec.expired ?? 0).fill('expired'),
  ];
  const audience: Audience = { active: [], optedOut: [], expired: [] };
  const entries = kinds.map((kind, i) => {
    const customerId = `${spec.prefix}${i}`;
    const phone = `+86137${String(spec.firstNumber + i).padStart(8, '0')}`;
    audience[kind].push(phone);
    const customer: Customer = {
      customerId,
      phone,
      assetsFen: 0,
      riskTolerance: 'C3',
      timezone: spec.timezone,
      // An anniversary (loyalty points) far from the days the tests move the scheduler through.
      openedAt: '2020-06-15',
      tier: 'normal',
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const subscription: Subscription = {
      customerId,
      productCode: spec.productCode,
      gifts: {},
      ...(kind === 'expired' ? { paid: { source: 'points', expiresAt: '2026-01-01T00:00:00.000Z' } } : { free: true }),
      startedAt: now,
      updatedAt: now,
      version: 1,
    };
    return { customer, subscriptions: [subscription], optedOut: kind === 'optedOut' };
  });
  try {
    await bulkLoadSubscribers(db, tableName, entries);
  } finally {
    db.destroy();
  }
  return audience;
}
