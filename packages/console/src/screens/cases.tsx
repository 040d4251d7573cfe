import { t } from '../i18n/index.ts';

/**
 * Cases (feedback, suggestions, complaints, follow-ups). The admin API does not serve them yet
 * (GET /admin/cases, POST /admin/cases/{id}/close): once it does and the client is regenerated,
 * this screen lists them with their filters and closes them. Until then it says so, rather than
 * showing an empty list that would read as "no cases".
 */
export function CasesScreen() {
  return (
    <section>
      <h1 id="cases-title">{t('cases.title')}</h1>
      <p class="notice">{t('cases.unavailable')}</p>
    </section>
  );
}
