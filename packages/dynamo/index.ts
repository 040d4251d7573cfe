export { DynamoStore } from './store.ts';
export { DynamoSendBudget } from './send-budget.ts';
export { createTableInput, keyAttributeNames, tableDefinition } from './table.ts';
export { AUDIENCE_SHARDS, audienceShard, keys } from './keys.ts';
export { createDynamoStore, createSendBudget } from './client.ts';
export { bulkLoadSubscribers, type SubscriberLoad } from './bulk-load.ts';
