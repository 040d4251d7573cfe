export { createTableInput, keyAttributeNames, tableDefinition } from './table.ts';
export { AUDIENCE_SHARDS, DELIVERY_SHARDS, audienceShard, deliveryShard } from './partitions.ts';
export { dynamoRepositories, type DynamoRepositories } from './repositories.ts';
export { DynamoSendBudget } from './send-budget.ts';
export { StoredItemError } from './table-client.ts';
export { createSendBudget, tableRepositories } from './client.ts';
export { bulkLoadSubscribers, type SubscriberLoad } from './bulk-load.ts';
