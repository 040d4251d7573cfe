import type { Actor } from '../access.ts';
import { auditRecord, summariseChange } from '../audit.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../errors.ts';
import type { AudienceRepository, ProductRepository, UnitOfWork } from '../ports/repositories.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import {
  TIERS,
  defaultReview,
  defaultSmsType,
  reviewPolicy,
  type CreateProductInput,
  type PatchProductInput,
  type Product,
} from '../product.ts';

export interface CatalogDeps {
  products: ProductRepository;
  /** The active subscribers now, for the statistics. */
  audience: AudienceRepository;
  unitOfWork: UnitOfWork;
  clock: Clock;
  ids: IdGenerator;
}

/** The product library (产品库): create, read, change and list/delist (上架/下架) products. */
export function createCatalogService({ products, audience, unitOfWork, clock, ids }: CatalogDeps) {
  async function getProduct(code: string): Promise<Product> {
    const product = await products.get(code);
    if (!product) throw new NotFoundError('Product', code);
    return product;
  }

  async function createProduct(input: CreateProductInput, by: Actor): Promise<Product> {
    const now = clock.now().toISOString();
    const product = withoutUndefined({
      code: input.code,
      name: input.name,
      kind: input.kind,
      riskLevel: input.riskLevel,
      pricing: input.pricing ?? null,
      eligibleTiers: orderTiers(input.eligibleTiers ?? [...TIERS]),
      bundle: input.bundle,
      smsType: input.smsType ?? defaultSmsType(input.kind),
      listed: input.listed ?? true,
      description: input.description,
      review: input.review ?? defaultReview(input.kind),
      createdAt: now,
      updatedAt: now,
      version: 1,
    }) as Product;
    await assertProductRules(product);
    if (await products.get(product.code)) throw productExists(product.code);
    const audit = auditRecord(
      by,
      { action: 'product.created', entityType: 'product', entity: product.code, ...summariseChange(null, product) },
      ids.next(),
      now,
    );
    await unitOfWork.commit([{ kind: 'product', product, expectedVersion: 0 }, { kind: 'audit', record: audit }]);
    return product;
  }

  async function changeProduct(code: string, patch: PatchProductInput, action: string, by: Actor): Promise<Product> {
    const current = await getProduct(code);
    const now = clock.now().toISOString();
    const merged: Record<string, unknown> = { ...current, ...patch, updatedAt: now, version: current.version + 1 };
    for (const [key, value] of Object.entries(patch)) {
      // null removes an optional field (bundle, description); pricing: null means free.
      if (value === null && key !== 'pricing') delete merged[key];
    }
    if (patch.eligibleTiers) merged.eligibleTiers = orderTiers(patch.eligibleTiers);
    if (patch.kind && !patch.smsType && current.smsType === defaultSmsType(current.kind)) {
      merged.smsType = defaultSmsType(patch.kind);
    }
    if (patch.kind && !patch.review && reviewPolicy(current) === defaultReview(current.kind)) {
      merged.review = defaultReview(patch.kind);
    }
    const product = withoutUndefined(merged) as Product;
    await assertProductRules(product);
    const change = summariseChange(current, product);
    // A patch that changes nothing writes nothing: no new version, no empty audit record.
    if (Object.keys(change.after ?? {}).length === 0) return current;
    const audit = auditRecord(by, { action, entityType: 'product', entity: code, ...change }, ids.next(), now);
    await unitOfWork.commit([{ kind: 'product', product, expectedVersion: current.version }, { kind: 'audit', record: audit }]);
    return product;
  }

  /** Cross-field and cross-product rules that a schema alone cannot express. */
  async function assertProductRules(product: Product): Promise<void> {
    const errors: FieldError[] = [];
    const isPackage = product.kind === 'commission-package';
    if (product.pricing && !isPackage && product.pricing.priceFen === undefined && product.pricing.pointsPrice === undefined) {
      errors.push({ field: 'pricing', message: 'a paid product needs priceFen, pointsPrice or both (use null for free)' });
    }
    if (isPackage) {
      if (!product.pricing) errors.push({ field: 'pricing', message: 'a commission package needs pricing.periodDays (its term)' });
      if (!product.bundle?.length) errors.push({ field: 'bundle', message: 'a commission package needs a bundle of products' });
      for (const tier of product.eligibleTiers) {
        if (tier !== 'gold' && tier !== 'platinum') {
          errors.push({ field: 'eligibleTiers', message: 'commission packages are only for gold and platinum clients' });
          break;
        }
      }
    } else if (product.bundle) {
      errors.push({ field: 'bundle', message: 'only a commission-package may have a bundle' });
    }
    const bundle = product.bundle ?? [];
    if (new Set(bundle).size !== bundle.length) errors.push({ field: 'bundle', message: 'lists a product twice' });
    for (const [i, code] of bundle.entries()) {
      if (code === product.code) {
        errors.push({ field: `bundle.${i}`, message: 'a package cannot bundle itself' });
        continue;
      }
      const member = await products.get(code);
      if (!member) errors.push({ field: `bundle.${i}`, message: `product ${code} does not exist` });
      else if (member.kind === 'commission-package') {
        errors.push({ field: `bundle.${i}`, message: `${code} is itself a commission package` });
      }
    }
    if (errors.length) throw new ValidationError('The product breaks a catalog rule', errors);
  }

  /** Per-product statistics: subscribes and unsubscribes by SMS so far. */
  async function getStatistics(code: string) {
    await getProduct(code);
    const [counters, subscribers] = await Promise.all([products.counters(code), audience.count(code)]);
    return { code, subscribers, ...counters };
  }

  return {
    getProduct,
    getStatistics,
    listProducts: () => products.list(),
    createProduct,
    updateProduct: (code: string, patch: PatchProductInput, by: Actor) => changeProduct(code, patch, 'product.updated', by),
    setListing: (code: string, listed: boolean, by: Actor) =>
      changeProduct(code, { listed }, listed ? 'product.listed' : 'product.delisted', by),
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;

export function productExists(code: string): ConflictError {
  return new ConflictError('product-exists', `A product with code ${code} already exists`);
}

function orderTiers(tiers: readonly string[]): Product['eligibleTiers'] {
  return TIERS.filter((t) => tiers.includes(t));
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
