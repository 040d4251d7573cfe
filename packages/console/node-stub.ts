/**
 * What `node:crypto` resolves to in the console's bundle: packages/core's message text module
 * imports it for contentHash, which the console never calls. The build fails if any of this
 * reaches the bundle (build.ts), so these only make the import resolvable.
 */
export function createHash(): never {
  throw new Error('node:crypto is not available in the browser');
}
