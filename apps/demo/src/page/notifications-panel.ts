import type { NotificationData, Severity } from '../catalog';
import { type DashboardState, isVisibleTo } from '../dashboard-state';
import { DEMO_USERS, type DemoUser, findUser } from '../users';
import { DashboardApiError, sendNotification } from './dashboard-api';
import { clockTime } from './display-format';
import { byTestId, h, renderKeyed } from './element';

const SEVERITY_LABELS: Record<Severity, string> = { info: 'Info', warning: 'Warning', error: 'Error' };

/**
 * Renders the notification feed: broadcast notifications and those addressed to the viewer.
 * (The server only streams the viewer's own; the filter also guards what a snapshot holds.)
 *
 * @param state - the dashboard model
 * @param me - the viewer's user ID
 */
export function renderNotifications(state: DashboardState, me: string): void {
  const visible = state.notifications.filter((notification) => isVisibleTo(notification, me));
  byTestId('notification-empty').hidden = visible.length > 0;
  renderKeyed(byTestId('notification-list'), visible, (notification) => notification.id, renderNote);
}

function renderNote(notification: NotificationData): HTMLLIElement {
  return h(
    'li',
    { class: 'note', 'data-id': notification.id, 'data-severity': notification.severity },
    h(
      'div',
      null,
      h('p', { class: 'note-message' }, notification.message),
      h(
        'p',
        { class: 'note-meta' },
        h('span', { class: 'tag' }, SEVERITY_LABELS[notification.severity]),
        notification.to ? h('span', { class: 'tag tag-private' }, 'Only you') : null,
        h('span', null, `from ${findUser(notification.from)?.name ?? notification.from}`),
        h('span', null, clockTime(notification.at)),
      ),
    ),
  );
}

/**
 * Wires the notification form: sends to everyone or to the picked user, shows the server's message
 * when it refuses (a 400 carries the catalog's validation message).
 *
 * @param me - who is sending
 */
export function setUpNotificationForm(me: DemoUser): void {
  const form = byTestId<HTMLFormElement>('notify-form');
  const recipient = byTestId<HTMLSelectElement>('notify-to');
  const error = byTestId('notify-error');
  const send = byTestId<HTMLButtonElement>('notify-send');
  const status = byTestId('notify-status');
  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  recipient.replaceChildren(
    h('option', { value: '' }, 'Everyone'),
    ...DEMO_USERS.map((user) =>
      h('option', { value: user.id }, user.id === me.id ? `${user.name} (you)` : user.name),
    ),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = new FormData(form);
    const to = String(fields.get('to') ?? '');
    send.disabled = true;
    error.hidden = true;
    status.hidden = true;
    try {
      await sendNotification({
        from: me.id,
        message: String(fields.get('message') ?? ''),
        severity: String(fields.get('severity') ?? 'info') as Severity,
        ...(to ? { to } : {}),
      });
      form.reset();
      recipient.value = to;
      // A private message to someone else never shows in the sender's own feed: confirm it here.
      if (to && to !== me.id) {
        status.textContent = `Sent to ${findUser(to)?.name ?? to} only.`;
        status.hidden = false;
        clearTimeout(statusTimer);
        statusTimer = setTimeout(() => {
          status.hidden = true;
        }, 4000);
      }
    } catch (failure) {
      error.textContent = failure instanceof DashboardApiError ? failure.message : String(failure);
      error.hidden = false;
    } finally {
      send.disabled = false;
    }
  });
}
