import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../api/client.ts';

const asProblem = (error: unknown) => (error instanceof ApiProblem ? error : new ApiProblem(0, { title: error instanceof Error ? error.message : String(error) }));

export interface Loaded<T> {
  data: T | undefined;
  problem: ApiProblem | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Loads `load()` when `deps` change; an answer to an older request is dropped. It is `loading`
 * from the very render in which `deps` change (not only once the effect has run), so that nothing
 * acts on the data of the deps before.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; problem?: ApiProblem; loading: boolean; for?: unknown[] }>({ loading: true });
  const [round, setRound] = useState(0);
  const key = [...deps, round];
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false, for: key }),
      (error: unknown) => current && setState({ problem: asProblem(error), loading: false, for: key }),
    );
    return () => {
      current = false;
    };
    // The caller names what the load depends on (deps), as with useEffect.
  }, key);
  const settled = state.for !== undefined && state.for.length === key.length && state.for.every((value, i) => Object.is(value, key[i]));
  return { data: state.data, problem: state.problem, loading: state.loading || !settled, reload: useCallback(() => setRound((r) => r + 1), []) };
}

export interface Action {
  busy: boolean;
  problem: ApiProblem | undefined;
  /** Runs `work` unless one is running (a double click does not send twice); its problem is kept for display. */
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const running = useRef(false);
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setProblem(undefined);
    try {
      return await work();
    } catch (error) {
      setProblem(asProblem(error));
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, problem, run, clear: useCallback(() => setProblem(undefined), []) };
}

/** Calls `tick` every `ms` while the tab is visible, until unmounted. */
export function usePoll(tick: () => void, ms: number): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    const timer = setInterval(() => {
      if (!document.hidden) latest.current();
    }, ms);
    return () => clearInterval(timer);
  }, [ms]);
}

/** One page of a listing the API pages with a cursor. */
export interface Page<T> {
  items: T[];
  cursor?: string | undefined;
}

export interface Pages<T> {
  /** The first page and every further one asked for since. */
  items: T[];
  /** Whether the API has more after them. */
  hasMore: boolean;
  /** The first page is being (re)loaded. */
  loading: boolean;
  /** A further page is being loaded. */
  loadingMore: boolean;
  problem: ApiProblem | undefined;
  more(): void;
  /** Asks for the first page again (the further pages are dropped once it comes). */
  reload(): void;
}

/**
 * A cursor-paged listing: the first page when `deps` change, further pages on request. A
 * further page belongs to the first page it followed: once the first page is reloaded (other
 * filters, a poll), pages that answer late are dropped.
 */
export function usePages<T>(load: (cursor: string | undefined) => Promise<Page<T>>, deps: unknown[]): Pages<T> {
  const first = useLoad(() => load(undefined), deps);
  const [further, setFurther] = useState<{ after: Page<T>; items: T[]; cursor: string | undefined } | undefined>(undefined);
  const next = useAction();
  const base = first.data;
  const extended = further && further.after === base ? further : undefined;
  const cursor = extended ? extended.cursor : base?.cursor;
  const more = () =>
    void next.run(async () => {
      if (!base || !cursor) return;
      const page = await load(cursor);
      setFurther((f) => ({ after: base, items: [...(f && f.after === base ? f.items : []), ...page.items], cursor: page.cursor }));
    });
  return {
    items: [...(base?.items ?? []), ...(extended?.items ?? [])],
    hasMore: Boolean(cursor),
    loading: first.loading,
    loadingMore: next.busy,
    problem: first.problem ?? next.problem,
    more,
    reload: first.reload,
  };
}
