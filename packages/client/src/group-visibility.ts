import type { VisibilitySource } from './environment';

/**
 * Whether a share group is hidden: its stream serves every tab, so with `pauseWhenHidden` it
 * pauses only while every tab of the group is hidden, and resumes as soon as one is shown.
 * Each tab says when its page is shown or hidden, and when it leaves; every tab keeps the set of
 * the others that are visible, so a new leader knows it from the start (the leader's welcome
 * brings it to a tab that joins).
 */
export interface GroupVisibility extends VisibilitySource {
  /** A tab said its page is `hidden` (or shown); a tab that left counts as hidden. */
  heard(tab: string, hidden: boolean): void;
  /** The tabs other than this one that said they are visible (for the welcome of a joining tab). */
  visibleTabs(): string[];
  /** Whether this tab's own page is hidden. */
  ownHidden(): boolean;
  /** Stops watching the page. */
  stop(): void;
}

/**
 * Tracks the visibility of a share group from this tab's page and what the other tabs say.
 *
 * @param page - this tab's page visibility
 * @param announce - tells the other tabs that this page was shown or hidden
 * @returns the group's visibility, which the leader's reconnect loop watches instead of the page
 */
export function createGroupVisibility(
  page: VisibilitySource,
  announce: (hidden: boolean) => void,
): GroupVisibility {
  const visible = new Set<string>();
  const listeners = new Set<() => void>();
  const hidden = (): boolean => visible.size === 0 && page.hidden();
  let was = hidden();

  function changed(): void {
    const now = hidden();
    if (now === was) return;
    was = now;
    for (const listener of [...listeners]) listener();
  }

  const unwatchPage = page.watch(() => {
    announce(page.hidden());
    changed();
  });

  return {
    hidden,
    watch(onChange) {
      was = hidden();
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    heard(tab, tabHidden) {
      if (tabHidden) visible.delete(tab);
      else visible.add(tab);
      changed();
    },
    visibleTabs: () => [...visible],
    ownHidden: page.hidden,
    stop() {
      unwatchPage();
      listeners.clear();
    },
  };
}
