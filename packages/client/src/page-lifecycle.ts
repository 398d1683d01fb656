import type { VisibilitySource } from './environment';

/** What a page's lifecycle tells a tab in a share group. */
export interface LifecycleCallbacks {
  /** The page is being frozen, hidden into the back/forward cache or unloaded: its code stops. */
  suspend(): void;
  /** The page runs again (resumed, or restored from the back/forward cache). */
  resume(): void;
}

interface EventTargetLike {
  addEventListener(type: string, listener: (event: { persisted?: boolean }) => void): void;
  removeEventListener(type: string, listener: (event: { persisted?: boolean }) => void): void;
}

function target(value: unknown): EventTargetLike | undefined {
  const candidate = value as Partial<EventTargetLike> | undefined;
  return typeof candidate?.addEventListener === 'function' ? (value as EventTargetLike) : undefined;
}

/**
 * Watches the page lifecycle where there is a page: `freeze` and `resume` on `document` (the Page
 * Lifecycle API: a background tab the browser freezes runs no code, so a leader there would hold
 * the stream and relay nothing), and `pagehide` / `pageshow` on the window (unload, and the
 * back/forward cache). Elsewhere (workers, Node) it watches nothing.
 *
 * @param callbacks - what to call
 * @returns the function that stops watching
 */
export function watchPageLifecycle(callbacks: LifecycleCallbacks): () => void {
  const scope = globalThis as { document?: unknown };
  const page = target(scope.document) === undefined ? undefined : target(globalThis);
  const document = target(scope.document);
  if (page === undefined || document === undefined) return () => {};
  const suspend = () => callbacks.suspend();
  const resume = () => callbacks.resume();
  document.addEventListener('freeze', suspend);
  document.addEventListener('resume', resume);
  page.addEventListener('pagehide', suspend);
  page.addEventListener('pageshow', resume);
  return () => {
    document.removeEventListener('freeze', suspend);
    document.removeEventListener('resume', resume);
    page.removeEventListener('pagehide', suspend);
    page.removeEventListener('pageshow', resume);
  };
}

/**
 * This page's visibility (`document.visibilityState`, and `visibilitychange` on `document`);
 * where there is no page (a worker, Node) it is always visible.
 */
export const pageVisibility: VisibilitySource = {
  hidden: () =>
    (globalThis as { document?: { visibilityState?: string } }).document?.visibilityState === 'hidden',
  watch(onChange) {
    const document = target((globalThis as { document?: unknown }).document);
    document?.addEventListener('visibilitychange', onChange);
    return () => document?.removeEventListener('visibilitychange', onChange);
  },
};
