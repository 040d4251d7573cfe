import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../api/client.ts';

const asProblem = (error: unknown) => (error instanceof ApiProblem ? error : new ApiProblem(0, { title: error instanceof Error ? error.message : String(error) }));

export interface Loaded<T> {
  data: T | undefined;
  problem: ApiProblem | undefined;
  loading: boolean;
  reload(): void;
}

/** Loads `load()` when `deps` change; an answer to an older request is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; problem?: ApiProblem; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ problem: asProblem(error), loading: false }),
    );
    return () => {
      current = false;
    };
    // The caller names what the load depends on (deps), as with useEffect.
  }, [...deps, round]);
  return { ...state, data: state.data, problem: state.problem, reload: useCallback(() => setRound((r) => r + 1), []) };
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
