/**
 * `npm run console:api`: regenerates the console's API types (packages/console/src/api/schema.gen.ts)
 * from the admin routes, i.e. the document GET /openapi.json serves. Run it after changing a route.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { adminRoutes, type AdminServices } from '../functions/admin-api/routes.ts';
import { API_TYPES_FILE, generateApiTypes } from '../packages/console/index.ts';

/** The document GET /openapi.json serves, from the route table (no service is called). */
export async function adminApiDocument(): Promise<object> {
  const route = adminRoutes({} as AdminServices).find((r) => r.method === 'GET' && r.path === '/openapi.json');
  if (!route) throw new Error('no GET /openapi.json route');
  return (await route.handle({ params: undefined, query: undefined, body: undefined, headers: {}, by: undefined as never })).body as object;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(API_TYPES_FILE, await generateApiTypes(await adminApiDocument()));
  console.log(`written ${path.relative(process.cwd(), API_TYPES_FILE)}`);
}
