export { DynamoStore } from './store.ts';
export { createTableInput, keyAttributeNames, tableDefinition } from './table.ts';
export { keys } from './keys.ts';
export { createDynamoStore } from './client.ts';
