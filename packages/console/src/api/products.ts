import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { useLoad, type Loaded } from '../ui/async.ts';
import { api, ok, type Product } from './client.ts';
import type { paths } from './schema.gen.ts';

export type ProductStats = paths['/admin/products/{code}/stats']['get']['responses'][200]['content']['application/json'];

/** Every product (GET /admin/products). */
export function useProducts(): Loaded<Product[]> {
  return useLoad(async () => (await ok(api().GET('/admin/products'))).items, []);
}

/** A product select's options: "All" (when `all` is given) then each product as `CODE · name`. */
export function productOptions(products: Product[] | undefined, all?: string): Array<[value: string, label: string]> {
  const each = (products ?? []).map((p): [string, string] => [p.code, `${p.code} · ${p.name}${p.listed ? '' : ` (${t('product.delisted')})`}`]);
  return all === undefined ? each : [['', all], ...each];
}

/**
 * Product statistics, one request per product (the API has no batch read), asked at most a few
 * at a time so that a long product list does not flood the API. A request already on its way
 * is shared; an answer is not kept, so every screen shows the counts as they are when it opens.
 */
const AT_ONCE = 4;
const pending = new Map<string, Promise<ProductStats>>();

export function productStats(code: string): Promise<ProductStats> {
  const asked = pending.get(code);
  if (asked) return asked;
  const stats = ok(api().GET('/admin/products/{code}/stats', { params: { path: { code } } }));
  pending.set(code, stats);
  const done = () => void pending.delete(code);
  stats.then(done, done);
  return stats;
}

/** The statistics of `codes` as they arrive (a product whose read failed stays absent). */
export function useProductStats(codes: string[]): Record<string, ProductStats> {
  const [stats, setStats] = useState<Record<string, ProductStats>>({});
  const key = codes.join(',');
  useEffect(() => {
    let current = true;
    const queue = [...codes];
    const worker = async () => {
      for (let code = queue.shift(); code !== undefined; code = queue.shift()) {
        const found = await productStats(code).catch(() => undefined);
        if (!current) return;
        if (found) setStats((s) => ({ ...s, [found.code]: found }));
      }
    };
    const workers = Math.min(AT_ONCE, queue.length);
    for (let i = 0; i < workers; i++) void worker();
    return () => {
      current = false;
    };
  }, [key]);
  return stats;
}

/** Every product by code, with its statistics as they arrive (the product list, the survey overview). */
export function useProductsWithStats(): { products: Loaded<Product[]>; items: Product[]; stats: Record<string, ProductStats> } {
  const products = useProducts();
  const items = [...(products.data ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  return { products, items, stats: useProductStats(items.map((p) => p.code)) };
}
