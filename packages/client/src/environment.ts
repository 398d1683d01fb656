/** What the client needs to know about the page and the network, where a runtime tells it. */
export interface EnvironmentWatch {
  /** Whether the runtime says it is offline (`navigator.onLine === false`). */
  offline(): boolean;
  /** Whether the page is hidden (`document.hidden`). */
  hidden(): boolean;
  /** Removes the listeners. */
  stop(): void;
}

/** Callbacks of {@link watchEnvironment}. */
export interface EnvironmentCallbacks {
  /** The runtime came back online (`online` event). */
  onOnline(): void;
  /** The page was hidden or shown (`visibilitychange` on `document`); only watched when given. */
  onVisibilityChange?: ((hidden: boolean) => void) | undefined;
}

/**
 * Where visibility comes from when not from this page's `document`: a share group's stream is
 * hidden only while every tab of the group is.
 */
export interface VisibilitySource {
  /** Whether it is hidden now. */
  hidden(): boolean;
  /** Calls `onChange` when it may have changed; returns the function that stops watching. */
  watch(onChange: () => void): () => void;
}

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

function isEventTarget(value: unknown): value is EventTargetLike {
  return (
    typeof (value as EventTargetLike | undefined)?.addEventListener === 'function' &&
    typeof (value as EventTargetLike).removeEventListener === 'function'
  );
}

/** This page's visibility: `document.hidden` and `visibilitychange`; without a page, visible. */
const documentVisibility: VisibilitySource = {
  hidden: () => (globalThis as { document?: { hidden?: unknown } }).document?.hidden === true,
  watch(onChange) {
    const document: unknown = (globalThis as { document?: unknown }).document;
    if (!isEventTarget(document)) return () => {};
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  },
};

/**
 * Watches `online` on the global object (windows and workers fire it) and, when asked, the page's
 * visibility (`visibilitychange` on `document`, or `visibility` when given). Runtimes without
 * them (Node, Deno without a page) are always online and visible.
 *
 * @param callbacks - what to call on changes
 * @param visibility - where visibility comes from (default: this page's `document`)
 */
export function watchEnvironment(
  callbacks: EnvironmentCallbacks,
  visibility: VisibilitySource = documentVisibility,
): EnvironmentWatch {
  const { onVisibilityChange } = callbacks;
  const onOnline = () => callbacks.onOnline();
  const global: unknown = globalThis;
  if (isEventTarget(global)) global.addEventListener('online', onOnline);
  const unwatch = onVisibilityChange && visibility.watch(() => onVisibilityChange(visibility.hidden()));
  return {
    offline: () => (globalThis as { navigator?: { onLine?: unknown } }).navigator?.onLine === false,
    hidden: visibility.hidden,
    stop() {
      if (isEventTarget(global)) global.removeEventListener('online', onOnline);
      unwatch?.();
    },
  };
}
