import { useState } from 'preact/hooks';
import { ROLES, type Role } from '../../../core/index.ts';
import { devToken } from '../api/local.ts';
import { beginSignIn } from '../auth/cognito.ts';
import type { ConsoleConfig } from '../config.ts';
import { label, lang, t } from '../i18n/index.ts';
import { signInNotice, startSession } from '../session.ts';
import { useAction } from '../ui/async.ts';
import { SelectField, TextField } from '../ui/form.tsx';
import { ProblemAlert } from '../ui/problem.tsx';

export function SignIn({ config }: { config: ConsoleConfig }) {
  const [role, setRole] = useState<Role>('product-manager');
  const [user, setUser] = useState('');
  const action = useAction();
  const notice = signInNotice.value;

  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      if (config.mode === 'cognito') return beginSignIn(config.cognito, lang.value);
      startSession(await devToken(role, user.trim() || undefined));
    });
  };

  return (
    <section class="sign-in">
      <h1 id="sign-in-title">{t('signin.title')}</h1>
      {notice && (
        <p role="status" class="notice">
          {t(notice === 'expired' ? 'signin.expired' : 'signin.signedOut')}
        </p>
      )}
      <ProblemAlert problem={action.problem} />
      <form onSubmit={submit}>
        {config.mode === 'local' ? (
          <>
            <p>{t('signin.local')}</p>
            <SelectField label={t('signin.role')} name="role" value={role} onValue={(v) => setRole(v as Role)} options={ROLES.map((r) => [r, label('role', r)])} />
            <TextField label={t('signin.user')} name="user" value={user} onValue={setUser} hint={t('signin.userHint', { user: `local-${role}` })} />
          </>
        ) : (
          <p>{t('signin.cognito')}</p>
        )}
        <button type="submit" class="primary" disabled={action.busy}>
          {t('signin.submit')}
        </button>
      </form>
    </section>
  );
}
