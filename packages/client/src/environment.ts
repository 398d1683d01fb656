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
  onVisibilityChange?: (hidden: boolean) => void;
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

/**
 * Watches `online` on the global object (windows and workers fire it) and, when asked,
 * `visibilitychange` on `document`. Runtimes without them (Node, Deno without a page) are always
 * online and visible.
 *
 * @param callbacks - what to call on changes
 */
export function watchEnvironment(callbacks: EnvironmentCallbacks): EnvironmentWatch {
  const scope = globalThis as { navigator?: { onLine?: unknown }; document?: { hidden?: unknown } };
  const onOnline = () => callbacks.onOnline();
  const onVisibility = () => callbacks.onVisibilityChange?.(scope.document?.hidden === true);
  const global: unknown = globalThis;
  const document: unknown = scope.document;
  if (isEventTarget(global)) global.addEventListener('online', onOnline);
  const watchVisibility = callbacks.onVisibilityChange !== undefined && isEventTarget(document);
  if (watchVisibility) document.addEventListener('visibilitychange', onVisibility);
  return {
    offline: () => scope.navigator?.onLine === false,
    hidden: () => scope.document?.hidden === true,
    stop() {
      if (isEventTarget(global)) global.removeEventListener('online', onOnline);
      if (watchVisibility) document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
