import { t } from '../i18n/index.ts';
import type { Pages } from './async.ts';

/** "More" under a paged listing, while the API has more. */
export function MoreButton({ pages }: { pages: Pick<Pages<unknown>, 'hasMore' | 'loadingMore' | 'more'> }) {
  if (!pages.hasMore) return null;
  return (
    <button type="button" onClick={pages.more} disabled={pages.loadingMore}>
      {t('common.more')}
    </button>
  );
}
