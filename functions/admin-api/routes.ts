import * as z from 'zod';
import {
  auditQuerySchema,
  auditRecordSchema,
  createProductSchema,
  customerIdSchema,
  customerSchema,
  customerViewSchema,
  listingSchema,
  patchProductSchema,
  productCodeSchema,
  productSchema,
  putCustomerSchema,
  type AuditService,
  type CatalogService,
  type CustomerService,
} from '../../packages/core/index.ts';
import { buildOpenApi, defineRoute, type Route } from '../../packages/lambda/index.ts';

export interface AdminServices {
  catalog: CatalogService;
  customers: CustomerService;
  audit: AuditService;
}

const codeParams = z.strictObject({ code: productCodeSchema });
const customerParams = z.strictObject({ customerId: customerIdSchema });

/** The admin API: each route parses, calls one service method and maps the result. */
export function adminRoutes(services: AdminServices): Array<Route<any, any, any>> {
  const { catalog, customers, audit } = services;
  const routes: Array<Route<any, any, any>> = [
    defineRoute({
      method: 'POST',
      path: '/admin/products',
      summary: 'Create a product (409 if the code exists)',
      tags: ['products'],
      auth: { resource: 'products', access: 'write' },
      body: createProductSchema,
      responses: { 201: { description: 'Created', schema: productSchema } },
      handle: async ({ body, by }) => ({ status: 201, body: await catalog.createProduct(body, by) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/products',
      summary: 'List products',
      tags: ['products'],
      auth: { resource: 'products', access: 'read' },
      responses: { 200: { description: 'All products', schema: z.object({ items: z.array(productSchema) }) } },
      handle: async () => ({ status: 200, body: { items: await catalog.listProducts() } }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/products/{code}',
      summary: 'Read a product',
      tags: ['products'],
      auth: { resource: 'products', access: 'read' },
      params: codeParams,
      responses: { 200: { description: 'The product', schema: productSchema } },
      handle: async ({ params }) => ({ status: 200, body: await catalog.getProduct(params.code) }),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/admin/products/{code}',
      summary: 'Change some fields of a product',
      tags: ['products'],
      auth: { resource: 'products', access: 'write' },
      params: codeParams,
      body: patchProductSchema,
      responses: { 200: { description: 'The changed product', schema: productSchema } },
      handle: async ({ params, body, by }) => ({ status: 200, body: await catalog.updateProduct(params.code, body, by) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/products/{code}/listing',
      summary: 'List (上架) or delist (下架) a product',
      tags: ['products'],
      auth: { resource: 'products', access: 'write' },
      params: codeParams,
      body: listingSchema,
      responses: { 200: { description: 'The product', schema: productSchema } },
      handle: async ({ params, body, by }) => ({ status: 200, body: await catalog.setListing(params.code, body.listed, by) }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/admin/customers/{customerId}',
      summary: 'Create or replace a customer; the tier is computed from assets or commission',
      tags: ['customers'],
      auth: { resource: 'customers', access: 'write' },
      params: customerParams,
      body: putCustomerSchema,
      responses: {
        200: { description: 'Replaced', schema: customerSchema },
        201: { description: 'Created', schema: customerSchema },
      },
      handle: async ({ params, body, by }) => {
        const { customer, created } = await customers.putCustomer(params.customerId, body, by);
        return { status: created ? 201 : 200, body: customer };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/customers/{customerId}',
      summary: "A customer's whole picture: tier, points, subscriptions, packages",
      tags: ['customers'],
      auth: { resource: 'customers', access: 'read' },
      params: customerParams,
      responses: { 200: { description: 'The customer view', schema: customerViewSchema } },
      handle: async ({ params }) => ({ status: 200, body: await customers.getCustomerView(params.customerId) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/audit',
      summary: 'Audit records (服务留痕), newest first; default window the last 30 days',
      tags: ['audit'],
      auth: { resource: 'audit', access: 'read' },
      query: auditQuerySchema,
      responses: { 200: { description: 'Audit records', schema: z.object({ items: z.array(auditRecordSchema) }) } },
      handle: async ({ query }) => ({ status: 200, body: { items: await audit.listAudit(query) } }),
    }),
  ];

  // Built once, on first request, from the finished table (this route included).
  let document: ReturnType<typeof buildOpenApi> | undefined;
  routes.push(
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      summary: 'This OpenAPI document',
      auth: 'public',
      responses: { 200: { description: 'OpenAPI 3.1 document' } },
      handle: async () => ({
        status: 200,
        body: (document ??= buildOpenApi(routes, { title: 'SMS product platform admin API', version: '0.1.0' })),
      }),
    }),
  );
  return routes;
}
