import { render } from 'preact';
import { initApi } from './api/client.ts';
import { initLocal } from './api/local.ts';
import { App } from './app.tsx';
import { completeSignIn } from './auth/cognito.ts';
import { apiBase, loadConfig } from './config.ts';
import { lang, setLang, t } from './i18n/index.ts';
import { startSession } from './session.ts';

async function start(root: HTMLElement): Promise<void> {
  // Also puts ?lang=en back in the address after a return from the Hosted UI.
  setLang(lang.value);
  const config = await loadConfig();
  initApi(apiBase(config));
  initLocal(apiBase(config), config.mode === 'local');
  if (config.mode === 'cognito') {
    const token = await completeSignIn(config.cognito);
    if (token) startSession(token);
    setLang(lang.value);
  }
  render(<App config={config} />, root);
}

const root = document.getElementById('app')!;
start(root).catch((error: unknown) => {
  // Nothing else could render: say why, in the page, as an alert.
  const alert = document.createElement('p');
  alert.setAttribute('role', 'alert');
  alert.className = 'alert';
  alert.textContent = `${t('error.start')} ${error instanceof Error ? error.message : String(error)}`;
  root.replaceChildren(alert);
});
