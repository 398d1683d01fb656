import type { DashboardState } from '../dashboard-state';
import type { OnlineUser } from '../snapshot';
import { avatarColor, initials, timeAgo } from './display-format';
import { byTestId, h, renderKeyed } from './element';

/**
 * Creates an avatar bubble for a user.
 *
 * @param userId - the user ID (picks the color)
 * @param name - the display name (gives the initials)
 */
export function avatar(userId: string, name: string): HTMLSpanElement {
  const bubble = h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(name));
  bubble.style.setProperty('--avatar', avatarColor(userId));
  return bubble;
}

/**
 * Renders the "Online now" card: the count and who, the viewer marked "you".
 *
 * @param state - the dashboard model
 * @param me - the viewer's user ID
 */
export function renderPresence(state: DashboardState, me: string): void {
  const users = [...state.online.values()];
  byTestId('online-count').textContent = String(users.length);
  renderKeyed(
    byTestId('online-list'),
    users,
    (user) => user.userId,
    (user: OnlineUser) =>
      h(
        'li',
        { class: 'person', 'data-user': user.userId },
        avatar(user.userId, user.name),
        h('span', { class: 'person-name' }, user.name),
        user.userId === me ? h('span', { class: 'you' }, 'you') : null,
        h('span', { class: 'person-since' }),
      ),
    (item, user) => {
      item.querySelector('.person-since')!.textContent = `joined ${timeAgo(user.since)}`;
    },
  );
}
