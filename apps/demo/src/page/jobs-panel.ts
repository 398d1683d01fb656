import type { DashboardState } from '../dashboard-state';
import type { JobView } from '../snapshot';
import { type DemoUser, findUser } from '../users';
import { DashboardApiError, startJob } from './dashboard-api';
import { duration, timeAgo } from './display-format';
import { byTestId, h, renderKeyed } from './element';

function createRow(job: JobView): HTMLLIElement {
  return h(
    'li',
    { class: 'job', 'data-job': job.jobId },
    h(
      'div',
      { class: 'job-head' },
      h('span', { class: 'job-label' }, job.label),
      h('span', { class: 'job-percent' }),
    ),
    h(
      'div',
      {
        class: 'progress',
        role: 'progressbar',
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-label': job.label,
      },
      h('div', { class: 'progress-fill' }),
    ),
    h('p', { class: 'job-meta' }),
  );
}

function updateRow(item: HTMLLIElement, job: JobView): void {
  const done = job.finishedAt !== null;
  const by = findUser(job.by)?.name ?? job.by;
  item.dataset.status = done ? 'done' : 'running';
  item.querySelector<HTMLElement>('.progress-fill')!.style.width = `${job.percent}%`;
  item.querySelector('.progress')!.setAttribute('aria-valuenow', String(job.percent));
  item.querySelector('.job-percent')!.textContent = done ? 'Done' : `${job.percent}%`;
  item.querySelector('.job-meta')!.textContent =
    done && job.durationMs !== null
      ? `Finished in ${duration(job.durationMs)} · started by ${by}`
      : `${job.stage} · started by ${by} ${timeAgo(job.startedAt)}`;
}

/**
 * Renders the jobs card, newest first, updating rows in place so progress bars animate.
 *
 * @param state - the dashboard model
 */
export function renderJobs(state: DashboardState): void {
  const jobs = [...state.jobs.values()].reverse();
  byTestId('job-empty').hidden = jobs.length > 0;
  renderKeyed(byTestId('job-list'), jobs, (job) => job.jobId, createRow, updateRow);
}

/**
 * Wires the "Start job" form.
 *
 * @param me - who starts the jobs
 */
export function setUpJobForm(me: DemoUser): void {
  const form = byTestId<HTMLFormElement>('job-form');
  const button = byTestId<HTMLButtonElement>('job-start');
  const error = byTestId('job-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      await startJob({ label: String(new FormData(form).get('label') ?? ''), by: me.id });
    } catch (failure) {
      error.textContent = failure instanceof DashboardApiError ? failure.message : String(failure);
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
}
