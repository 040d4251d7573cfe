import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type BatchGetCommandOutput,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  ConcurrentModificationError,
  ConflictError,
  OperationAlreadyAppliedError,
  ValidationError,
  openedDate,
  type AuditQuery,
  type BatchOutcome,
  type Message,
  type MessageSkipReason,
  type RecipientProfile,
  type SendState,
  type AuditRecord,
  type Change,
  type Customer,
  type CustomerPackage,
  type CustomerState,
  type LedgerEntry,
  type Page,
  type PendingAction,
  type PhoneState,
  type Product,
  type Store,
  type Subscription,
} from '../core/index.ts';
import { AUDIENCE_SHARDS, HIGH, ITEM_TYPES, keys } from './keys.ts';
import { keyAttributeNames } from './table.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = new Set([...keyAttributeNames(), 'type', 'ttl']);
const AUDIT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/** The DynamoDB adapter of the Store port: one table, keys from keys.ts, all writes transactional. */
export class DynamoStore implements Store {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getProduct(code: string): Promise<Product | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.product(code) }));
    return Item && (toEntity(Item) as Product);
  }

  async listProducts(): Promise<Product[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.productsPartition },
    });
    return items.map((i) => toEntity(i) as Product);
  }

  async createProduct(product: Product, audit: AuditRecord): Promise<void> {
    await this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.product(product.code), ...keys.productListing(product.code), type: ITEM_TYPES.product, ...product },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.auditPut(audit),
    ], (failed) => (failed[0] === 0 ? new ConflictError('product-exists', `A product with code ${product.code} already exists`) : undefined));
  }

  async updateProduct(product: Product, expectedVersion: number, audit: AuditRecord): Promise<void> {
    await this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.product(product.code), ...keys.productListing(product.code), type: ITEM_TYPES.product, ...product },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      this.auditPut(audit),
    ], (failed) => (failed[0] === 0 ? new ConcurrentModificationError('Product', product.code) : undefined));
  }

  async getCustomer(customerId: string): Promise<Customer | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.customer(customerId), ConsistentRead: true }),
    );
    return Item && (toEntity(Item) as Customer);
  }

  async getCustomerState(customerId: string): Promise<CustomerState | undefined> {
    // Profile, points balance, subscriptions and packages share one partition: one Query.
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.customerPartition(customerId) },
      ConsistentRead: true,
    });
    const profile = items.find((i) => i.sk === keys.customerSkProfile);
    if (!profile) return undefined;
    const points = items.find((i) => i.sk === keys.customerSkPoints);
    const bySk = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix)).map(toEntity);
    return {
      customer: toEntity(profile) as Customer,
      points: { balance: Number(points?.balance ?? 0), version: Number(points?.version ?? 0) },
      subscriptions: bySk(keys.subscriptionSkPrefix) as unknown as Subscription[],
      packages: bySk(keys.packageSkPrefix) as unknown as CustomerPackage[],
    };
  }

  async putCustomer(customer: Customer, previous: Customer | undefined, audit: AuditRecord): Promise<void> {
    const id = customer.customerId;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: customerItem(customer),
          ...(previous
            ? { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': previous.version } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      {
        // Claim the number; the phone item outlives a change of holder (opt-outs belong to numbers).
        Update: {
          TableName: this.tableName,
          Key: keys.phone(customer.phone),
          UpdateExpression: 'SET customerId = :id, #type = :type, updatedAt = :now',
          ConditionExpression: 'attribute_not_exists(customerId) OR customerId = :id',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':id': id, ':type': ITEM_TYPES.phone, ':now': customer.updatedAt },
        },
      },
    ];
    if (previous && previous.phone !== customer.phone) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.phone(previous.phone),
          UpdateExpression: 'REMOVE customerId SET updatedAt = :now',
          ConditionExpression: 'customerId = :id',
          ExpressionAttributeValues: { ':id': id, ':now': customer.updatedAt },
        },
      });
    }
    items.push(this.auditPut(audit));
    await this.transact(items, (failed) => {
      if (failed.includes(1)) return new ConflictError('phone-taken', 'The phone number belongs to another customer');
      if (failed.includes(0) || failed.includes(2)) return new ConcurrentModificationError('Customer', id);
      return undefined;
    });
  }

  async listAudit(query: AuditQuery & { limit: number }): Promise<AuditRecord[]> {
    const to = query.to ?? new Date().toISOString();
    const from = query.from ?? new Date(Date.parse(to) - AUDIT_WINDOW_DAYS * DAY_MS).toISOString();
    const range = { ':from': from, ':to': `${to}${HIGH}` };
    const actorFilter = query.actor && query.entity
      ? { FilterExpression: 'actor = :actor', ExpressionAttributeValues: { ...range, ':actor': query.actor } }
      : { ExpressionAttributeValues: range };

    if (query.entity) {
      return this.queryAll({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ...actorFilter,
        ExpressionAttributeValues: { ...actorFilter.ExpressionAttributeValues, ':pk': keys.auditPartition(query.entity) },
        ScanIndexForward: false,
      }, query.limit).then((items) => items.map((i) => toEntity(i) as AuditRecord));
    }
    if (query.actor) {
      return this.queryAll({
        TableName: this.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ...range, ':pk': keys.auditActorPartition(query.actor) },
        ScanIndexForward: false,
      }, query.limit).then((items) => items.map((i) => toEntity(i) as AuditRecord));
    }
    // Neither filter: walk the day partitions of gsi1 from newest to oldest.
    const records: AuditRecord[] = [];
    for (let day = Date.parse(to.slice(0, 10)); day >= Date.parse(from.slice(0, 10)); day -= DAY_MS) {
      const items = await this.queryAll({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ...range, ':pk': keys.auditDayPartition(new Date(day).toISOString().slice(0, 10)) },
        ScanIndexForward: false,
      }, query.limit - records.length);
      records.push(...items.map((i) => toEntity(i) as AuditRecord));
      if (records.length >= query.limit) break;
    }
    return records;
  }

  async commit(changes: Change[]): Promise<void> {
    const items: TransactItem[] = [];
    const owners: Change[] = [];
    const versioned = (expectedVersion: number) =>
      expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
    // A whole-item Put guarded by the version read (or by absence, for a new item).
    const versionedPut = (item: Item, expectedVersion: number): TransactItem => ({
      Put: { TableName: this.tableName, Item: item, ...versioned(expectedVersion) },
    });
    const add = (change: Change, item: TransactItem) => {
      items.push(item);
      owners.push(change);
    };
    for (const change of changes) {
      switch (change.kind) {
        case 'points':
          add(change, versionedPut({ ...keys.points(change.customerId), type: ITEM_TYPES.points, ...change.account, updatedAt: change.entry.at }, change.expectedVersion));
          add(change, {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.ledgerEntry(change.customerId, change.entry.seq), type: ITEM_TYPES.ledger, ...change.entry },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          });
          break;
        case 'subscription': {
          const sub = change.subscription;
          add(change, versionedPut(subscriptionItem(sub, change.active), change.expectedVersion));
          break;
        }
        case 'package':
          add(change, versionedPut({ ...keys.package(change.pkg.customerId, change.pkg.productCode), type: ITEM_TYPES.package, ...change.pkg }, change.expectedVersion));
          break;
        case 'customer':
          add(change, versionedPut(customerItem(change.customer), change.expectedVersion));
          break;
        case 'operation':
          add(change, {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.operation(change.key), type: ITEM_TYPES.operation, key: change.key, request: change.request, result: change.result, at: change.at },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          });
          break;
        case 'audit':
          add(change, this.auditPut(change.record));
          break;
        case 'opt-out':
          add(change, {
            Update: {
              TableName: this.tableName,
              Key: keys.phone(change.phone),
              UpdateExpression: change.optedOut
                ? 'SET optedOut = :true, optedOutAt = :at, #type = :type, updatedAt = :at'
                : 'SET optedOut = :false, optedInAt = :at, #type = :type, updatedAt = :at',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: { ...(change.optedOut ? { ':true': true } : { ':false': false }), ':at': change.at, ':type': ITEM_TYPES.phone },
            },
          });
          break;
        case 'pending':
          add(change, {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.pending(change.pending.phone),
                type: ITEM_TYPES.pending,
                ...change.pending,
                // DynamoDB's TTL removes it some time after expiry; reads check expiresAt themselves.
                ttl: Math.ceil(Date.parse(change.pending.expiresAt) / 1000) + 3600,
              },
            },
          });
          break;
        case 'pending-consumed':
          add(change, {
            Delete: {
              TableName: this.tableName,
              Key: keys.pending(change.phone),
              ConditionExpression: 'pendingId = :id',
              ExpressionAttributeValues: { ':id': change.pendingId },
            },
          });
          break;
        case 'message':
          add(
            change,
            versionedPut(
              {
                ...keys.message(change.message.messageId),
                ...(change.message.status === 'queued' && change.message.slot && keys.slotQueue(change.message.slot, change.message.createdAt, change.message.messageId)),
                type: ITEM_TYPES.message,
                ...change.message,
              },
              change.expectedVersion,
            ),
          );
          break;
        case 'product-counter':
          add(change, {
            Update: {
              TableName: this.tableName,
              Key: keys.productCounters(change.productCode),
              UpdateExpression: 'ADD #counter :one SET #type = :type',
              ExpressionAttributeNames: { '#counter': change.counter, '#type': 'type' },
              ExpressionAttributeValues: { ':one': 1, ':type': ITEM_TYPES.productCounters },
            },
          });
          break;
      }
    }
    await this.transact(items, (failed) => {
      // A recorded operation (or a used confirmation) explains the failure best: the work was done.
      const applied = failed.map((i) => owners[i]).find((o) => o?.kind === 'operation' || o?.kind === 'pending-consumed');
      if (applied?.kind === 'operation') return new OperationAlreadyAppliedError(applied.key);
      if (applied?.kind === 'pending-consumed') return new OperationAlreadyAppliedError(`PENDING#${applied.pendingId}`);
      const owner = owners[failed[0]!];
      return new ConcurrentModificationError(owner?.kind ?? 'Item', describe(owner));
    });
  }

  async getMessage(messageId: string): Promise<Message | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.message(messageId), ConsistentRead: true }));
    return Item && (toEntity(Item) as unknown as Message);
  }

  async listQueuedMessages(slot: string): Promise<Message[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.slotQueuePartition(slot) },
    });
    // The index is eventually consistent: read each message itself for its current version.
    const messages = await Promise.all(items.map((i) => this.getMessage(String(i.messageId))));
    return messages.filter((m): m is Message => m?.status === 'queued');
  }

  async getMessageCounts(messageId: string): Promise<BatchOutcome & { batches: number }> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :batch)',
      ExpressionAttributeValues: { ':pk': keys.messagePartition(messageId), ':batch': keys.messageBatchPrefix },
      ConsistentRead: true,
    });
    const total: BatchOutcome & { batches: number } = { sent: 0, failed: 0, skipped: {}, deferred: 0, batches: items.length };
    for (const item of items) {
      total.sent += Number(item.sent ?? 0);
      total.deferred += Number(item.deferred ?? 0);
      total.failed += Number(item.failed ?? 0);
      for (const [reason, n] of Object.entries((item.skipped ?? {}) as Record<string, number>)) {
        total.skipped[reason as MessageSkipReason] = (total.skipped[reason as MessageSkipReason] ?? 0) + Number(n);
      }
    }
    return total;
  }

  async countAudience(productCode: string): Promise<number> {
    let count = 0;
    for (let shard = 0; shard < AUDIENCE_SHARDS; shard++) {
      let ExclusiveStartKey: Item | undefined;
      do {
        const page = await this.db.send(new QueryCommand({ ...this.audienceQuery(productCode, shard), Select: 'COUNT', ExclusiveStartKey }));
        count += page.Count ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    return count;
  }

  /** One shard of a product's audience (the sparse gsi1). */
  private audienceQuery(productCode: string, shard: number): QueryCommandInput {
    return {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.audiencePartition(productCode, shard) },
    };
  }

  async pageAudience(productCode: string, options: { limit: number; cursor?: string }): Promise<Page<string>> {
    // The cursor walks the shards in order: { shard, key } of where the last page stopped.
    let position: { shard: number; key?: Item } = { shard: 0 };
    if (options.cursor) {
      try {
        position = JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as typeof position;
      } catch {
        throw new ValidationError('Invalid cursor', [{ field: 'cursor', message: 'is not an audience cursor' }]);
      }
    }
    const ids: string[] = [];
    let { shard, key } = position;
    while (shard < AUDIENCE_SHARDS && ids.length < options.limit) {
      const page = await this.db.send(
        new QueryCommand({ ...this.audienceQuery(productCode, shard), ProjectionExpression: 'customerId', Limit: options.limit - ids.length, ExclusiveStartKey: key }),
      );
      ids.push(...(page.Items ?? []).map((i) => String(i.customerId)));
      key = page.LastEvaluatedKey;
      if (!key) shard++;
    }
    const done = shard >= AUDIENCE_SHARDS;
    return { items: ids, ...(!done && { nextCursor: Buffer.from(JSON.stringify({ shard, key })).toString('base64url') }) };
  }

  async getRecipientProfiles(customerIds: string[]): Promise<RecipientProfile[]> {
    const profiles = new Map<string, Item>();
    for (const item of await this.batchGet(customerIds.map((id) => keys.customer(id)), ['customerId', 'phone', 'timezone'])) profiles.set(String(item.customerId), item);
    return customerIds.map((customerId) => {
      const profile = profiles.get(customerId);
      return { customerId, ...(profile && { phone: String(profile.phone), ...(profile.timezone !== undefined && { timezone: String(profile.timezone) }) }) };
    });
  }

  async getSendStates(productCode: string, recipients: Array<{ customerId: string; phone: string }>): Promise<Map<string, SendState>> {
    const phones = [...new Set(recipients.map((r) => r.phone))];
    const items = await this.batchGet([...phones.map((phone) => keys.phone(phone)), ...recipients.map((r) => keys.subscription(r.customerId, productCode))]);
    const optedOut = new Set(items.filter((i) => i.type === ITEM_TYPES.phone && i.optedOut === true).map((i) => String(i.pk).slice('PHONE#'.length)));
    const subscriptions = new Map(items.filter((i) => i.type === ITEM_TYPES.subscription).map((i) => [String(i.customerId), toEntity(i) as unknown as Subscription]));
    return new Map(
      recipients.map((r) => {
        const subscription = subscriptions.get(r.customerId);
        return [r.customerId, { optedOut: optedOut.has(r.phone), ...(subscription && { subscription }) }];
      }),
    );
  }

  async claimDeliveries(messageId: string, customerIds: string[], stage: 'send' | 'release' = 'send'): Promise<string[]> {
    let pending = [...new Set(customerIds)];
    const now = new Date().toISOString();
    const claim = (customerId: string): TransactItem =>
      stage === 'send'
        ? {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.delivery(messageId, customerId), type: ITEM_TYPES.delivery, messageId, customerId, claimedAt: now },
              ConditionExpression: 'attribute_not_exists(sk)',
            },
          }
        : {
            // A held delivery is released once: whichever attempt sets releasedAt first sends it.
            Update: {
              TableName: this.tableName,
              Key: keys.delivery(messageId, customerId),
              UpdateExpression: 'SET releasedAt = :now',
              ConditionExpression: 'attribute_exists(sk) AND attribute_not_exists(releasedAt)',
              ExpressionAttributeValues: { ':now': now },
            },
          };
    for (let attempt = 0; pending.length > 0 && attempt < 10; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: pending.map(claim) }));
        return pending;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const taken = new Set(reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [pending[i]!] : [])));
        // Claimed before (a redelivered batch, a concurrent sender): those are never claimed again.
        pending = pending.filter((id) => !taken.has(id));
      }
    }
    if (pending.length) throw new ConcurrentModificationError('Delivery claims', messageId);
    return pending;
  }

  async recordDeferred(messageId: string, releaseAt: string, recordId: string, customerIds: string[]): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.deferred(messageId, releaseAt, recordId), type: ITEM_TYPES.deferred, messageId, releaseAt, customerIds },
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
  }

  async listDeferred(messageId: string, releaseAt: string): Promise<string[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.messagePartition(messageId), ':prefix': keys.deferredPrefix(releaseAt) },
      ConsistentRead: true,
    });
    return items.flatMap((i) => (i.customerIds as string[]) ?? []);
  }

  async reserveDailyCap(entries: Array<{ customerId: string; day: string }>, cap: number): Promise<string[]> {
    let pending = entries;
    const expires = Math.ceil(Date.now() / 1000) + 3 * 86_400;
    for (let attempt = 0; pending.length > 0 && attempt < 10; attempt++) {
      try {
        // One transaction for the batch: each count goes up only while it is below the cap.
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: pending.map(({ customerId, day }) => ({
              Update: {
                TableName: this.tableName,
                Key: keys.dailyCap(customerId, day),
                UpdateExpression: 'SET #type = :type, #ttl = :ttl ADD #n :one',
                ConditionExpression: 'attribute_not_exists(#n) OR #n < :cap',
                ExpressionAttributeNames: { '#type': 'type', '#ttl': 'ttl', '#n': 'sent' },
                ExpressionAttributeValues: { ':type': ITEM_TYPES.dailyCap, ':ttl': expires, ':one': 1, ':cap': cap },
              },
            })),
          }),
        );
        return pending.map((e) => e.customerId);
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const atCap = new Set(reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [pending[i]!.customerId] : [])));
        pending = pending.filter((e) => !atCap.has(e.customerId));
      }
    }
    if (pending.length) throw new ConcurrentModificationError('Daily caps', pending[0]!.customerId);
    return [];
  }

  async recordBatchOutcome(messageId: string, recordId: string, outcome: BatchOutcome, giveBackCap: Array<{ customerId: string; day: string }> = []): Promise<void> {
    const record: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.messageBatch(messageId, recordId), type: ITEM_TYPES.messageBatch, ...outcome, at: new Date().toISOString() },
        ConditionExpression: 'attribute_not_exists(sk)',
      },
    };
    const giveBacks: TransactItem[] = giveBackCap.map(({ customerId, day }) => ({
      Update: { TableName: this.tableName, Key: keys.dailyCap(customerId, day), UpdateExpression: 'ADD #n :minusOne', ExpressionAttributeNames: { '#n': 'sent' }, ExpressionAttributeValues: { ':minusOne': -1 } },
    }));
    try {
      // A transaction holds 100 items: the record and 99 give-backs (a full batch given back needs one more write).
      if (giveBacks.length === 0) await this.db.send(new PutCommand(record.Put!));
      else await this.db.send(new TransactWriteCommand({ TransactItems: [record, ...giveBacks.slice(0, 99)] }));
      if (giveBacks.length > 99) await this.db.send(new TransactWriteCommand({ TransactItems: giveBacks.slice(99) }));
    } catch (error) {
      const name = (error as Error).name;
      const duplicate = name === 'ConditionalCheckFailedException' || (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed');
      if (!duplicate) throw error;
      throw new OperationAlreadyAppliedError(`BATCH#${messageId}#${recordId}`, { cause: error });
    }
  }

  /** BatchGetItem in pieces of 100, following UnprocessedKeys; `attributes` limits what comes back. */
  private async batchGet(keyList: Array<{ pk: string; sk: string }>, attributes?: string[]): Promise<Item[]> {
    const items: Item[] = [];
    const projection = attributes && {
      ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
    };
    for (let i = 0; i < keyList.length; i += 100) {
      let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = {
        [this.tableName]: { Keys: keyList.slice(i, i + 100), ConsistentRead: true, ...projection },
      };
      while (request && Object.keys(request).length) {
        const result: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        items.push(...(result.Responses?.[this.tableName] ?? []));
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return items;
  }

  async getPhoneState(phone: string): Promise<PhoneState> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.phonePartition(phone) },
      ConsistentRead: true,
    });
    const holder = items.find((i) => i.sk === 'PHONE');
    const pending = items.find((i) => i.sk === 'PENDING');
    return {
      phone,
      ...(typeof holder?.customerId === 'string' && { customerId: holder.customerId }),
      optedOut: holder?.optedOut === true,
      ...(typeof holder?.optedOutAt === 'string' && { optedOutAt: holder.optedOutAt }),
      ...(pending && { pending: toEntity(pending) as unknown as PendingAction }),
    };
  }

  async getProductCounters(productCode: string): Promise<{ subscribes: number; unsubscribes: number }> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.productCounters(productCode) }));
    return { subscribes: Number(Item?.subscribes ?? 0), unsubscribes: Number(Item?.unsubscribes ?? 0) };
  }

  async getOperation(key: string): Promise<{ request: string; result: unknown } | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.operation(key), ConsistentRead: true }),
    );
    return Item && { request: String(Item.request), result: Item.result };
  }

  async listLedger(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<LedgerEntry>> {
    const partition = keys.ledgerPartition(customerId);
    let ExclusiveStartKey: Item | undefined;
    if (options.cursor) {
      try {
        ExclusiveStartKey = JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as Item;
      } catch {
        ExclusiveStartKey = undefined;
      }
      if (!ExclusiveStartKey || ExclusiveStartKey.pk !== partition || typeof ExclusiveStartKey.sk !== 'string') {
        throw new ValidationError('Invalid cursor', [{ field: 'cursor', message: 'is not a cursor of this ledger' }]);
      }
      ExclusiveStartKey = { pk: ExclusiveStartKey.pk, sk: ExclusiveStartKey.sk };
    }
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: options.limit,
        ExclusiveStartKey,
      }),
    );
    const last = page.LastEvaluatedKey;
    return {
      items: (page.Items ?? []).map((i) => toEntity(i) as LedgerEntry),
      ...(last && { nextCursor: Buffer.from(JSON.stringify({ pk: last.pk, sk: last.sk })).toString('base64url') }),
    };
  }

  async listCustomerIdsByAnniversary(monthDay: string): Promise<string[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.anniversaryPartition(monthDay) },
      ProjectionExpression: 'customerId',
    });
    return items.map((i) => String(i.customerId));
  }

  private auditPut(audit: AuditRecord): TransactItem {
    const sort = keys.auditSort(audit.at, audit.auditId);
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: keys.auditPartition(audit.entity),
          sk: sort,
          gsi1pk: keys.auditDayPartition(audit.at.slice(0, 10)),
          gsi1sk: sort,
          gsi2pk: keys.auditActorPartition(audit.actor),
          gsi2sk: sort,
          type: ITEM_TYPES.audit,
          ...audit,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /**
   * One TransactWriteItems. A failed condition becomes the domain error that `onConditionFailed`
   * gives for the item's index; anything else is rethrown as it is.
   */
  private async transact(items: TransactItem[], onConditionFailed: (failedIndexes: number[]) => Error | undefined): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
        const domainError = failed.length ? onConditionFailed(failed) : undefined;
        if (domainError) {
          (domainError as Error & { cause?: unknown }).cause = error;
          throw domainError;
        }
        if (reasons.some((r) => r.Code === 'TransactionConflict')) {
          throw new ConcurrentModificationError('Item', 'in this transaction', { cause: error });
        }
      }
      throw error;
    }
  }

  /** Query, following LastEvaluatedKey until `limit` items (or the end). */
  private async queryAll(input: QueryCommandInput, limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < limit);
    return items.slice(0, limit);
  }
}

/** The stored form of a customer profile, with its anniversary in gsi2 (loyalty). */
export function subscriptionItem(sub: Subscription, active: boolean): Item {
  return {
    ...keys.subscription(sub.customerId, sub.productCode),
    // Only active subscriptions are in the audience index (a sparse GSI).
    ...(active && keys.audience(sub.productCode, sub.customerId)),
    type: ITEM_TYPES.subscription,
    ...sub,
  };
}

export function customerItem(customer: Customer): Item {
  return {
    ...keys.customer(customer.customerId),
    ...keys.anniversary(openedDate(customer).slice(5), customer.customerId),
    type: ITEM_TYPES.customer,
    ...customer,
  };
}

function describe(change: Change | undefined): string {
  switch (change?.kind) {
    case 'points':
      return `points of ${change.customerId}`;
    case 'subscription':
      return `${change.subscription.customerId}/${change.subscription.productCode}`;
    case 'package':
      return `${change.pkg.customerId}/${change.pkg.productCode}`;
    case 'customer':
      return change.customer.customerId;
    default:
      return 'item';
  }
}

/** Strips key and bookkeeping attributes from a stored item. */
function toEntity(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_ATTRIBUTES.has(k)));
}
