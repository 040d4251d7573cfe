import type { CountryCode } from 'libphonenumber-js';
import { ulid } from 'ulid';
import * as z from 'zod';
import {
  DEFAULT_POINTS_RULES,
  DEFAULT_TIER_THRESHOLDS,
  createAuditService,
  createCatalogService,
  createCustomerService,
  createPackageService,
  createPointsService,
  pointsRulesSchema,
  tierThresholdsSchema,
  type Clock,
  type IdGenerator,
  type Store,
} from '../core/index.ts';
import { parseJsonEnv } from './config.ts';

/** The environment every function that runs platform services reads at cold start. */
export const platformConfigSchema = z.object({
  TABLE_NAME: z.string().min(1),
  TIER_THRESHOLDS: z.string().transform(parseJsonEnv).pipe(tierThresholdsSchema).optional(),
  POINTS_RULES: z.string().transform(parseJsonEnv).pipe(pointsRulesSchema).optional(),
  DEFAULT_PHONE_REGION: z.string().length(2).default('CN'),
  DEFAULT_TIMEZONE: z.string().default('Asia/Shanghai'),
});
export type PlatformConfig = z.infer<typeof platformConfigSchema>;

export const systemClock: Clock = { now: () => new Date() };
export const ulidGenerator: IdGenerator = { next: () => ulid() };

/** The composition root: every domain service, wired to one store, clock and id generator. */
export function createPlatformServices(config: PlatformConfig, store: Store, clock: Clock = systemClock, ids: IdGenerator = ulidGenerator) {
  const tierThresholds = config.TIER_THRESHOLDS ?? DEFAULT_TIER_THRESHOLDS;
  return {
    catalog: createCatalogService({ store, clock, ids }),
    customers: createCustomerService({
      store,
      clock,
      ids,
      tierThresholds,
      defaultRegion: config.DEFAULT_PHONE_REGION as CountryCode,
      defaultTimezone: config.DEFAULT_TIMEZONE,
    }),
    audit: createAuditService({ store }),
    points: createPointsService({
      store,
      clock,
      ids,
      rules: config.POINTS_RULES ?? DEFAULT_POINTS_RULES,
      tierThresholds,
      defaultTimezone: config.DEFAULT_TIMEZONE,
    }),
    packages: createPackageService({ store, clock, ids, tierThresholds }),
  };
}
export type PlatformServices = ReturnType<typeof createPlatformServices>;
