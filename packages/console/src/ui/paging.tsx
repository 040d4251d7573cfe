import { t } from '../i18n/index.ts';
import type { Pages } from './async.ts';

/**
 * "More" (or `label`) under a paged listing, while the API has more; not while the first page
 * is being loaded again (a page asked for then would belong to the list being replaced).
 */
export function MoreButton({ pages, label }: { pages: Pick<Pages<unknown>, 'hasMore' | 'loading' | 'loadingMore' | 'more'>; label?: string }) {
  if (!pages.hasMore) return null;
  return (
    <button type="button" onClick={pages.more} disabled={pages.loading || pages.loadingMore}>
      {label ?? t('common.more')}
    </button>
  );
}
