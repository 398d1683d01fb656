/**
 * Formats a time of day as `14:03:07`.
 *
 * @param at - milliseconds since the epoch
 */
export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/**
 * Formats how long ago something happened: `just now`, `12 s ago`, `3 min ago`, `2 h ago`.
 *
 * @param at - milliseconds since the epoch
 * @param now - the current time
 */
export function timeAgo(at: number, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

/**
 * Formats a duration as `850 ms`, `4.2 s` or `3 min 5 s`.
 *
 * @param ms - milliseconds
 */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * The initials of a name: `Ada Lovelace` -> `AL`.
 *
 * @param name - a display name
 */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

const AVATAR_COLORS = ['#4f46e5', '#0e9384', '#c4320a', '#7a5af8', '#dd2590', '#1570ef'];

/**
 * A stable avatar color for a user ID.
 *
 * @param userId - the user ID
 */
export function avatarColor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return AVATAR_COLORS[hash % AVATAR_COLORS.length] ?? '#4f46e5';
}
