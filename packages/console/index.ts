export { generateApiTypes, API_TYPES_FILE } from './api-types.ts';
