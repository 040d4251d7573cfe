import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import * as z from 'zod';
import {
  DEFAULT_TIER_THRESHOLDS,
  createAuditService,
  createCatalogService,
  createCustomerService,
  tierThresholdsSchema,
} from '../../packages/core/index.ts';
import { DynamoStore } from '../../packages/dynamo/index.ts';
import { createHttpHandler, loadConfig, parseJsonEnv } from '../../packages/lambda/index.ts';
import { adminRoutes } from './routes.ts';

/** Read once at cold start; a missing variable fails here, by name. */
const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    TIER_THRESHOLDS: z.string().transform(parseJsonEnv).pipe(tierThresholdsSchema).optional(),
    DEFAULT_PHONE_REGION: z.string().length(2).default('CN'),
    DEFAULT_TIMEZONE: z.string().default('Asia/Shanghai'),
  }),
);

const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const store = new DynamoStore(dynamo, config.TABLE_NAME);
const clock = { now: () => new Date() };
const ids = { next: () => ulid() };

export const handler = createHttpHandler(
  adminRoutes({
    catalog: createCatalogService({ store, clock, ids }),
    customers: createCustomerService({
      store,
      clock,
      ids,
      tierThresholds: config.TIER_THRESHOLDS ?? DEFAULT_TIER_THRESHOLDS,
      defaultRegion: config.DEFAULT_PHONE_REGION as 'CN',
      defaultTimezone: config.DEFAULT_TIMEZONE,
    }),
    audit: createAuditService({ store }),
  }),
);
