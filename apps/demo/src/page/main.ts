import { DEMO_USERS } from '../users';
import { avatarColor, initials } from './display-format';
import { byTestId, h } from './element';
import { setUpEventLog } from './event-log';
import { setUpJobForm } from './jobs-panel';
import { startLiveDashboard } from './live-dashboard';
import { setUpNotificationForm } from './notifications-panel';
import { readPageOptions, urlForUser } from './page-options';
import { setUpResetBanner } from './reset-banner';

const options = readPageOptions(location.search);

const picker = byTestId<HTMLSelectElement>('user-picker');
picker.replaceChildren(...DEMO_USERS.map((user) => h('option', { value: user.id }, user.name)));
picker.value = options.user.id;
// Each tab is one user: switching user reloads the page as that user, with its own stream.
picker.addEventListener('change', () => location.assign(urlForUser(location.href, picker.value)));
const avatar = byTestId('current-user-avatar');
avatar.textContent = initials(options.user.name);
avatar.style.setProperty('--avatar', avatarColor(options.user.id));
document.title = `Pulse · ${options.user.name}`;

setUpNotificationForm(options.user);
setUpJobForm(options.user);
setUpResetBanner();
setUpEventLog();

const client = await startLiveDashboard(options);
addEventListener('pagehide', () => client.close());
// A page restored from the back/forward cache resumes from its last event ID.
addEventListener('pageshow', (event) => {
  if (event.persisted) client.connect();
});
