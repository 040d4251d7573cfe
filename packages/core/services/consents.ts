import type { CountryCode } from 'libphonenumber-js';
import type { ConsentEntry } from '../consent.ts';
import { normalisePhone } from '../customer.ts';
import type { ConsentRepository } from '../ports/repositories.ts';

/** The consent ledger of a number, read by staff (the number written as inbound SMS accepts it). */
export function createConsentService(deps: { consents: ConsentRepository; defaultRegion: CountryCode }) {
  async function listConsents(phone: string): Promise<ConsentEntry[]> {
    return deps.consents.list(normalisePhone(phone, deps.defaultRegion));
  }
  return { listConsents };
}

export type ConsentService = ReturnType<typeof createConsentService>;
