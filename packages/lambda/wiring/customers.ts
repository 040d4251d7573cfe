import type { CountryCode } from 'libphonenumber-js';
import * as z from 'zod';
import {
  DEFAULT_POINTS_RULES,
  DEFAULT_TIER_THRESHOLDS,
  createCustomerService,
  createPackageService,
  createPointsService,
  pointsRulesSchema,
  type CustomerRepository,
  type LedgerRepository,
  type MessageRepository,
  type MessageTextConfig,
  type PhoneRepository,
  type SmsLogRepository,
  type OperationRepository,
  type ProductRepository,
  type UnitOfWork,
} from '../../core/index.ts';
import { parseJsonEnv } from '../config.ts';
import { customerRulesEnv, tableEnv, type System } from './env.ts';

export const customersEnv = tableEnv.extend(customerRulesEnv.shape);

/** Customers (create, replace, the whole picture) with their tier rules. */
export function customerServiceFromEnv(
  config: z.infer<typeof customersEnv>,
  repos: { customers: CustomerRepository; phones: PhoneRepository; smsLog: SmsLogRepository; messages: MessageRepository; unitOfWork: UnitOfWork },
  { clock, ids }: System,
  /** How messages read: a client's SMS history shows the text as sent. */
  text: MessageTextConfig,
) {
  return createCustomerService({
    ...repos,
    clock,
    ids,
    text,
    tierThresholds: config.TIER_THRESHOLDS ?? DEFAULT_TIER_THRESHOLDS,
    defaultRegion: config.DEFAULT_PHONE_REGION as CountryCode,
    defaultTimezone: config.DEFAULT_TIMEZONE,
  });
}

export function packageServiceFromEnv(config: z.infer<typeof customersEnv>, repos: { products: ProductRepository; customers: CustomerRepository; unitOfWork: UnitOfWork }, { clock, ids }: System) {
  return createPackageService({ ...repos, clock, ids, tierThresholds: config.TIER_THRESHOLDS ?? DEFAULT_TIER_THRESHOLDS });
}

export const pointsEnv = customersEnv.extend({
  POINTS_RULES: z.string().transform(parseJsonEnv).pipe(pointsRulesSchema).optional(),
});

export interface PointsRepositories {
  products: ProductRepository;
  customers: CustomerRepository;
  ledgers: LedgerRepository;
  operations: OperationRepository;
  unitOfWork: UnitOfWork;
}

/** Points: earned by events and schedules, adjusted by staff, redeemed by clients (admin API and SMS). */
export function pointsServiceFromEnv(config: z.infer<typeof pointsEnv>, repos: PointsRepositories, { clock, ids }: System) {
  return createPointsService({
    ...repos,
    clock,
    ids,
    rules: config.POINTS_RULES ?? DEFAULT_POINTS_RULES,
    tierThresholds: config.TIER_THRESHOLDS ?? DEFAULT_TIER_THRESHOLDS,
    defaultTimezone: config.DEFAULT_TIMEZONE,
  });
}
