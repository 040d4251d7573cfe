import type { ApiProblem } from '../api/client.ts';
import { label, t } from '../i18n/index.ts';
import { session } from '../session.ts';

/** What went wrong, in an alert: the problem's title and detail; a 403 says what the role may not do. */
export function ProblemAlert({ problem, fields = [] }: { problem: ApiProblem | undefined; fields?: string[] }) {
  if (!problem) return null;
  // Field errors show beside their fields; those of fields this form has not are listed here.
  const others = problem.errors.filter((e) => !e.field || !fields.includes(e.field));
  return (
    <div role="alert" class="alert">
      <p>{problemText(problem)}</p>
      {others.length > 0 && (
        <ul>
          {others.map((e, i) => (
            <li key={i}>{e.field ? `${e.field}: ${e.message ?? ''}` : e.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function problemText(problem: ApiProblem): string {
  if (problem.status === 0) return t('error.network', { detail: problem.title });
  const said = problem.detail && problem.detail !== problem.title ? `${problem.title}: ${problem.detail}` : problem.title;
  if (problem.status === 403 && problem.forbidden) {
    const role = session.value?.role ?? '';
    const action = t(problem.forbidden.access === 'read' ? 'error.forbidden.read' : 'error.forbidden.write', { resource: label('resource', problem.forbidden.resource) });
    return `${t('error.forbidden', { role: label('role', role), action })} (${said})`;
  }
  return said;
}

/** The content rules a text broke (a 422 content-violation), to show beside the text's field. */
export function violationsText(problem: ApiProblem | undefined): string | undefined {
  if (!problem?.violations.length) return undefined;
  return t('error.violations', { list: problem.violations.map((v) => `「${v.match}」 (${v.rule})`).join(', ') });
}

/** "Loading…" while the first answer is awaited (later reloads keep showing what is there). */
export function Loading({ when }: { when: boolean }) {
  return when ? <p role="status">{t('common.loading')}</p> : null;
}
