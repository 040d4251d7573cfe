import * as z from 'zod';
import type { RecipientProfile, RecipientRepository, SendState } from '../core/index.ts';
import { CUSTOMER, customerKeys } from './customers.ts';
import { PHONE, phoneKeys, phoneStateOf } from './phones.ts';
import { SUBSCRIPTION, subscriptionFrom, subscriptionKeys } from './subscriptions.ts';
import { fromItem, type TableClient } from './table-client.ts';

const profileSchema = z.object({ customerId: z.string(), phone: z.string(), timezone: z.string().optional() });

/** What a sender needs of its recipients: profiles once per batch, send state just before each chunk. */
export class DynamoRecipientRepository implements RecipientRepository {
  constructor(private readonly table: TableClient) {}

  async profiles(customerIds: string[]): Promise<RecipientProfile[]> {
    const items = await this.table.batchGet(customerIds.map((id) => customerKeys.profile(id)), ['customerId', 'phone', 'timezone']);
    const profiles = new Map(items.map((item) => fromItem(profileSchema, item, CUSTOMER)).map((p) => [p.customerId, p]));
    return customerIds.map((customerId) => {
      const profile = profiles.get(customerId);
      return { customerId, ...(profile && { phone: profile.phone, ...(profile.timezone !== undefined && { timezone: profile.timezone }) }) };
    });
  }

  async sendStates(productCode: string, recipients: Array<{ customerId: string; phone: string }>): Promise<Map<string, SendState>> {
    const phones = [...new Set(recipients.map((r) => r.phone))];
    const items = await this.table.batchGet([...phones.map((phone) => phoneKeys.item(phone)), ...recipients.map((r) => subscriptionKeys.item(r.customerId, productCode))]);
    const phoneByPk = new Map(phones.map((phone) => [phoneKeys.item(phone).pk, phone]));
    const phoneStates = new Map<string | undefined, ReturnType<typeof phoneStateOf>>();
    const subscriptions = new Map<string, ReturnType<typeof subscriptionFrom>>();
    for (const item of items) {
      if (item.type === PHONE) {
        const phone = phoneByPk.get(String(item.pk));
        if (phone) phoneStates.set(phone, phoneStateOf(phone, item));
      } else if (item.type === SUBSCRIPTION) {
        const subscription = subscriptionFrom(item);
        subscriptions.set(subscription.customerId, subscription);
      }
    }
    return new Map(
      recipients.map((r) => {
        const subscription = subscriptions.get(r.customerId);
        const phone = phoneStates.get(r.phone);
        return [r.customerId, { optedOut: phone?.optedOut ?? false, ...(phone?.undeliverable && { undeliverable: true }), ...(subscription && { subscription }) }];
      }),
    );
  }
}
