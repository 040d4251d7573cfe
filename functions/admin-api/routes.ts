import * as z from 'zod';
import {
  ValidationError,
  type AuditService,
  type CatalogService,
  type CustomerService,
  type MessagePublisher,
  type MessageReview,
  type ConsentService,
  type CaseService,
  type SurveyService,
  consentEntrySchema,
  SMS_KINDS,
  SMS_STATUSES,
  type PackageService,
  type PointsService,
  adjustmentSchema,
  idempotencyKeySchema,
  ledgerEntrySchema,
  subscriptionSourceSchema,
  subscriptionStatusSchema,
  tierSchema,
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
} from '../../packages/core/index.ts';
import { buildOpenApi, defineRoute, type Route } from '../../packages/lambda/index.ts';
import { feedbackRoutes } from './feedback-routes.ts';
import { messageRoutes } from './message-routes.ts';

/** The services behind the admin API. */
export interface AdminServices {
  catalog: CatalogService;
  customers: CustomerService;
  audit: AuditService;
  points: PointsService;
  packages: PackageService;
  messages: MessagePublisher;
  reviews: MessageReview;
  consents: ConsentService;
  cases: CaseService;
  surveys: SurveyService;
}

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description: 'Unique per operation: the same key with the same body returns the first result; with another body, 422',
};

function idempotencyKey(headers: Record<string, string | undefined>): string {
  const parsed = idempotencyKeySchema.safeParse(headers['idempotency-key']);
  if (!parsed.success) {
    throw new ValidationError('The Idempotency-Key header is required', [
      { field: 'Idempotency-Key', message: headers['idempotency-key'] === undefined ? 'required header' : parsed.error.issues[0]!.message },
    ]);
  }
  return parsed.data;
}

const replayHeaders = (replayed: boolean) => (replayed ? { 'idempotent-replayed': 'true' } : undefined);

const codeParams = z.strictObject({ code: productCodeSchema });
const customerParams = z.strictObject({ customerId: customerIdSchema });
const packageParams = z.strictObject({ customerId: customerIdSchema, productCode: productCodeSchema });
const productCodeBody = z.strictObject({ productCode: productCodeSchema });
/** A message id: a ULID, or an id the platform derives (an IPO reminder's `IPO…`). */
const subscriptionViewSchema = z.object({
  productCode: z.string(),
  status: subscriptionStatusSchema,
  source: subscriptionSourceSchema,
  expiresAt: z.string().optional(),
});

/** The admin API: each route parses, calls one service method and maps the result. */
export function adminRoutes(services: AdminServices): Array<Route<any, any, any>> {
  const { catalog, customers, audit, points, packages, consents } = services;
  const routes: Array<Route<any, any, any>> = [
    defineRoute({
      method: 'POST',
      path: '/admin/products',
      operationId: 'createProduct',
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
      operationId: 'listProducts',
      summary: 'List products',
      tags: ['products'],
      auth: { resource: 'products', access: 'read' },
      responses: { 200: { description: 'All products', schema: z.object({ items: z.array(productSchema) }) } },
      handle: async () => ({ status: 200, body: { items: await catalog.listProducts() } }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/products/{code}',
      operationId: 'getProduct',
      summary: 'Read a product',
      tags: ['products'],
      auth: { resource: 'products', access: 'read' },
      params: codeParams,
      responses: { 200: { description: 'The product', schema: productSchema } },
      handle: async ({ params }) => ({ status: 200, body: await catalog.getProduct(params.code) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/products/{code}/stats',
      operationId: 'getProductStats',
      summary: "Product statistics: active subscribers now, SMS subscribes and unsubscribes, SMS delivered and their cost, feedback cases, the latest survey's average",
      tags: ['products'],
      auth: { resource: 'products', access: 'read' },
      params: codeParams,
      responses: {
        200: {
          description: 'Counts',
          schema: z.object({
            code: z.string(),
            subscribers: z.number().int().describe('Active subscribers now (the audience a message would reach, before send-time rules)'),
            subscribes: z.number().int(),
            unsubscribes: z.number().int(),
            delivered: z.number().int().describe('SMS of the product the carriers reported delivered'),
            priceUsd: z.number().describe('What the carriers charged for the product SMS, from the receipts'),
            feedback: z.number().int().describe('Feedback cases (FK) about the product'),
            latestSurvey: z.object({ surveyId: z.string(), average: z.number().nullable() }).optional().describe("The product's most recent survey and its average score so far"),
          }),
        },
      },
      handle: async ({ params }) => {
        const { latestSurveyId: _latest, ...counts } = await catalog.getStatistics(params.code);
        const latestSurvey = await services.surveys.latestAverage(params.code);
        return { status: 200, body: { ...counts, ...(latestSurvey && { latestSurvey }) } };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/admin/products/{code}',
      operationId: 'updateProduct',
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
      operationId: 'setProductListing',
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
      operationId: 'putCustomer',
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
      operationId: 'getCustomer',
      summary: "A customer's whole picture: tier, points, subscriptions, packages",
      tags: ['customers'],
      auth: { resource: 'customers', access: 'read' },
      params: customerParams,
      responses: { 200: { description: 'The customer view', schema: customerViewSchema } },
      handle: async ({ params }) => ({ status: 200, body: await customers.getCustomerView(params.customerId) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/customers/{customerId}/messages',
      operationId: 'listCustomerMessages',
      summary: 'Every SMS sent to the customer, newest first, with its kind (broadcast, alert, reminder, reply) and its status from the receipts',
      tags: ['customers'],
      auth: { resource: 'sms-history', access: 'read' },
      params: customerParams,
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional(), cursor: z.string().max(2000).optional() }),
      responses: {
        200: {
          description: 'One page',
          schema: z.object({
            items: z.array(
              z.object({
                at: z.string(),
                kind: z.enum(SMS_KINDS),
                messageId: z.string().optional(),
                productCode: z.string().optional(),
                body: z.string(),
                status: z.enum(SMS_STATUSES),
                reason: z.string().optional(),
              }),
            ),
            cursor: z.string().optional(),
          }),
        },
      },
      handle: async ({ params, query }) => ({ status: 200, body: await customers.listMessagesSent(params.customerId, query) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/customers/{customerId}/points/ledger',
      operationId: 'listPointsLedger',
      summary: 'The points ledger, newest first, paged with nextCursor',
      tags: ['points'],
      auth: { resource: 'customers', access: 'read' },
      params: customerParams,
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(1000).optional() }),
      responses: {
        200: { description: 'One page', schema: z.object({ items: z.array(ledgerEntrySchema), nextCursor: z.string().optional() }) },
      },
      handle: async ({ params, query }) => ({ status: 200, body: await points.listLedger(params.customerId, query) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/customers/{customerId}/points/adjustments',
      operationId: 'adjustPoints',
      summary: 'Adjust points by hand (reason required; a debit below zero is 409)',
      tags: ['points'],
      auth: { resource: 'customers', access: 'write' },
      params: customerParams,
      body: adjustmentSchema,
      headerParams: [IDEMPOTENCY_HEADER],
      responses: { 201: { description: 'The ledger entry (also for a replay)', schema: ledgerEntrySchema } },
      handle: async ({ params, body, headers, by }) => {
        const { entry, replayed } = await points.adjust(params.customerId, body, idempotencyKey(headers), by);
        return { status: 201, body: entry, headers: replayHeaders(replayed) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/customers/{customerId}/redemptions',
      operationId: 'redeemWithPoints',
      summary: 'Buy one period of a product with points (listed, tier, suitability and balance checked)',
      tags: ['points'],
      auth: { resource: 'customers', access: 'write' },
      params: customerParams,
      body: productCodeBody,
      headerParams: [IDEMPOTENCY_HEADER],
      responses: {
        201: { description: 'The debit and the subscription', schema: z.object({ entry: ledgerEntrySchema, subscription: subscriptionViewSchema }) },
      },
      handle: async ({ params, body, headers, by }) => {
        const { replayed, ...result } = await points.redeemWithPoints(params.customerId, body.productCode, idempotencyKey(headers), by);
        return { status: 201, body: result, headers: replayHeaders(replayed) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/customers/{customerId}/tier-upgrades',
      operationId: 'upgradeTier',
      summary: 'Spend points to move up one tier for the configured term',
      tags: ['points'],
      auth: { resource: 'customers', access: 'write' },
      params: customerParams,
      body: z.strictObject({}),
      headerParams: [IDEMPOTENCY_HEADER],
      responses: {
        201: {
          description: 'The new tier',
          schema: z.object({ previousTier: tierSchema, tier: tierSchema, until: z.string(), entry: ledgerEntrySchema }),
        },
      },
      handle: async ({ params, headers, by }) => {
        const { replayed, ...result } = await points.upgradeTier(params.customerId, idempotencyKey(headers), by);
        return { status: 201, body: result, headers: replayHeaders(replayed) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/customers/{customerId}/packages',
      operationId: 'grantPackage',
      summary: 'Grant a commission package (gold/platinum only) with gift subscriptions to its bundle',
      tags: ['packages'],
      auth: { resource: 'customers', access: 'write' },
      params: customerParams,
      body: productCodeBody,
      responses: {
        201: {
          description: 'The package',
          schema: z.object({ customerId: z.string(), productCode: z.string(), bundle: z.array(z.string()), grantedAt: z.string(), expiresAt: z.string() }),
        },
      },
      handle: async ({ params, body, by }) => {
        const { version: _v, ...pkg } = await packages.grantPackage(params.customerId, body.productCode, by);
        return { status: 201, body: pkg };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/admin/customers/{customerId}/packages/{productCode}',
      operationId: 'endPackage',
      summary: 'End a package: its gifts end, paid subscriptions stay',
      tags: ['packages'],
      auth: { resource: 'customers', access: 'write' },
      params: packageParams,
      responses: { 204: { description: 'Ended' } },
      handle: async ({ params, by }) => {
        await packages.endPackage(params.customerId, params.productCode, by);
        return { status: 204 };
      },
    }),
    ...messageRoutes(services),
    defineRoute({
      method: 'GET',
      path: '/admin/consents',
      operationId: 'listConsents',
      summary: "A number's consent ledger, oldest first: every subscribe, unsubscribe, opt-out, opt-in, confirmed purchase and package gift, never changed",
      tags: ['consents'],
      auth: { resource: 'consents', access: 'read' },
      query: z.strictObject({ phone: z.string().min(3).max(32).describe('Any common format (13800138000, +86 138 0013 8000)') }),
      responses: { 200: { description: 'The entries', schema: z.object({ items: z.array(consentEntrySchema) }) } },
      handle: async ({ query }) => ({ status: 200, body: { items: await consents.listConsents(query.phone) } }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/audit',
      operationId: 'listAudit',
      summary: 'Audit records (服务留痕), newest first, a page of `limit` (default 100) with `cursor` to the next; default window the last 30 days',
      tags: ['audit'],
      auth: { resource: 'audit', access: 'read' },
      query: auditQuerySchema,
      responses: { 200: { description: 'One page of audit records', schema: z.object({ items: z.array(auditRecordSchema), cursor: z.string().optional() }) } },
      handle: async ({ query }) => ({ status: 200, body: await audit.listAudit(query) }),
    }),
    ...feedbackRoutes(services),
  ];

  // Built once, on first request, from the finished table (this route included).
  let document: ReturnType<typeof buildOpenApi> | undefined;
  routes.push(
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
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
