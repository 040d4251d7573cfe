import { SCREENS, visibleScreens } from './access.ts';
import { signOutUrl } from './auth/cognito.ts';
import type { ConsoleConfig } from './config.ts';
import { keepLangForReturn, label, lang, setLang, t } from './i18n/index.ts';
import { href, route } from './router.ts';
import { AuditScreen } from './screens/audit.tsx';
import { CasesScreen } from './screens/cases.tsx';
import { Compose } from './screens/compose.tsx';
import { CustomersScreen } from './screens/customers.tsx';
import { MessagePage } from './screens/message-page.tsx';
import { MessageList } from './screens/messages.tsx';
import { OutboxScreen } from './screens/outbox.tsx';
import { NewProduct, ProductList, ProductPage } from './screens/products.tsx';
import { ReviewScreen } from './screens/review.tsx';
import { SignIn } from './screens/sign-in.tsx';
import { SurveysScreen } from './screens/surveys.tsx';
import { endSession, session } from './session.ts';

function LanguageSwitch() {
  const other = lang.value === 'en' ? 'zh' : 'en';
  return (
    <button type="button" class="link" lang={other === 'en' ? 'en' : 'zh-CN'} onClick={() => setLang(other)}>
      {other === 'en' ? 'English' : '中文'}
    </button>
  );
}

function Screen({ id, sub, config }: { id: string; sub: string | undefined; config: ConsoleConfig }) {
  switch (id) {
    case 'products':
      return sub === 'new' ? <NewProduct /> : sub ? <ProductPage key={sub} code={sub} /> : <ProductList />;
    case 'messages':
      return sub === 'new' ? <Compose sms={config.sms} /> : sub ? <MessagePage key={sub} id={sub} /> : <MessageList />;
    case 'review':
      return <ReviewScreen />;
    case 'customers':
      return <CustomersScreen id={sub} />;
    case 'cases':
      return <CasesScreen id={sub} />;
    case 'surveys':
      return <SurveysScreen id={sub} />;
    case 'audit':
      return <AuditScreen />;
    case 'outbox':
      return <OutboxScreen />;
    default:
      return null;
  }
}

export function App({ config }: { config: ConsoleConfig }) {
  const current = session.value;
  const signOut = () => {
    endSession('signed-out');
    if (config.mode === 'cognito') {
      keepLangForReturn();
      location.assign(signOutUrl(config.cognito));
    }
  };
  const screens = current ? visibleScreens(current.role, config.mode === 'local') : [];
  const { screen, id } = route.value;
  const shown = screens.find((s) => s.id === screen) ?? (screen ? undefined : screens[0]);
  const known = SCREENS.find((s) => s.id === screen);

  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <span class="brand">{t('app.title')}</span>
        {current && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {screens.map((s) => (
                <li key={s.id}>
                  <a href={href(s.id)} aria-current={s.id === shown?.id ? 'page' : undefined}>
                    {t(s.nav)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="who">
          {current && (
            <span>
              {current.user} · {label('role', current.role)}
            </span>
          )}
          <LanguageSwitch />
          {current && (
            <button type="button" class="link" onClick={signOut}>
              {t('app.signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!current ? (
          <SignIn config={config} />
        ) : shown ? (
          <Screen id={shown.id} sub={shown.id === screen ? id : undefined} config={config} />
        ) : (
          <p role="alert" class="alert">
            {known ? t('error.screenForbidden', { role: label('role', current.role), screen: t(known.nav) }) : t('error.noScreen')}
          </p>
        )}
      </main>
    </>
  );
}
