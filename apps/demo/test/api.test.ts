import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiErrorSchema, ROUTES } from '../src/api-contract';
import { API_LIMITS, fromLoopback } from '../src/server/demo-app';
import { createDemoServer, type DemoServer } from '../src/server/demo-server';
import { snapshotSchema } from '../src/snapshot';

let demo: DemoServer;

beforeEach(async () => {
  demo = await createDemoServer({ port: 0, metricsIntervalMs: 0, jobStepMs: 20, onError: () => undefined });
});
afterEach(async () => {
  await demo.close();
});

function post(path: string, body: unknown, contentType = 'application/json'): Promise<Response> {
  return fetch(`${demo.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorOf(response: Response) {
  return apiErrorSchema.parse(await response.json()).error;
}

describe('POST /api/notifications', () => {
  it('publishes a valid notification and answers 201 with its IDs', async () => {
    const response = await post(ROUTES.notifications, { from: 'ada', message: 'Deployed', severity: 'info' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; eventId: string };
    expect(body.id).toMatch(/^n-[a-z0-9]+-1$/);
    expect(body.eventId).toMatch(/^\w+-\d+$/);
    expect(demo.sse.stats().published).toBe(1);
  });

  it('answers 400 naming the field and the rule, validated by the catalog schema', async () => {
    const response = await post(ROUTES.notifications, { from: 'ada', message: 'Hi', severity: 'loud' });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid-request');
    expect(error.paths).toEqual(['body.severity']);
    expect(error.message).toMatch(
      /^invalid notification request: body\.severity: .*"info"\|"warning"\|"error"/,
    );

    const empty = await errorOf(
      await post(ROUTES.notifications, { from: 'ada', message: '  ', severity: 'info' }),
    );
    expect(empty.message).toMatch(/body\.message: a notification needs a message/);
  });

  it('answers 400 for an unknown recipient, a body that is not JSON, or no JSON body at all', async () => {
    const stranger = await post(ROUTES.notifications, {
      from: 'ada',
      message: 'Hi',
      severity: 'info',
      to: 'mallory',
    });
    expect(stranger.status).toBe(400);
    expect(await errorOf(stranger)).toMatchObject({ code: 'unknown-user', paths: ['body.to'] });

    const broken = await post(ROUTES.notifications, '{"from": "ada",');
    expect(broken.status).toBe(400);
    expect(await errorOf(broken)).toMatchObject({ code: 'invalid-json' });

    const text = await post(ROUTES.notifications, 'hello', 'text/plain');
    expect(text.status).toBe(400);
    expect((await errorOf(text)).message).toMatch(/Content-Type: application\/json/);

    const huge = await post(ROUTES.notifications, {
      from: 'ada',
      message: 'x'.repeat(20_000),
      severity: 'info',
    });
    expect(huge.status).toBe(413);
    expect(await errorOf(huge)).toMatchObject({ code: 'payload-too-large' });
    expect(demo.sse.stats().published).toBe(0);
  });

  it('answers 415 to a charset or Content-Encoding it cannot read, without reporting an error', async () => {
    const errors: unknown[] = [];
    await demo.close();
    demo = await createDemoServer({ port: 0, metricsIntervalMs: 0, onError: (error) => errors.push(error) });
    const body = JSON.stringify({ from: 'ada', message: 'Hi', severity: 'info' });
    const latin = await post(ROUTES.notifications, body, 'application/json; charset=latin9');
    const compress = await fetch(`${demo.url}${ROUTES.notifications}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'compress' },
      body,
    });
    // A supported encoding whose bytes do not decode is the client's mistake too: 400, not 500.
    const corrupt = await fetch(`${demo.url}${ROUTES.notifications}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
    });
    expect([latin.status, compress.status, corrupt.status]).toEqual([415, 415, 400]);
    expect(await errorOf(latin)).toMatchObject({ code: 'unsupported-media-type' });
    expect({ errors, published: demo.sse.stats().published }).toEqual({ errors: [], published: 0 });
  });

  it('limits notifications per user with 429 and Retry-After', async () => {
    const send = (from: string) => post(ROUTES.notifications, { from, message: 'Hi', severity: 'info' });
    const statuses: number[] = [];
    for (let index = 0; index <= API_LIMITS.notificationsPerUser; index++)
      statuses.push((await send('ada')).status);
    expect(statuses).toEqual([...Array(API_LIMITS.notificationsPerUser).fill(201), 429]);
    const limited = await send('ada');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await errorOf(limited)).toMatchObject({ code: 'rate-limited' });
    expect((await send('grace')).status).toBe(201); // another user is not limited
  });
});

describe('POST /api/outage', () => {
  it('stops listening for the asked time, then listens again on the same port', async () => {
    const response = await post(ROUTES.outage, { seconds: 1 });
    expect(response.status).toBe(202);
    const { until } = (await response.json()) as { until: number };
    expect(until).toBeGreaterThan(Date.now());
    const reachable = () =>
      fetch(`${demo.url}${ROUTES.state}?user=ada`).then(
        (answer) => answer.ok,
        () => false,
      );
    await expect.poll(reachable, { interval: 50 }).toBe(false);
    await expect.poll(reachable, { interval: 100, timeout: 5000 }).toBe(true);
  });

  it('refuses a second outage while one runs (409), so the server cannot be kept offline', async () => {
    const first = await post(ROUTES.outage, { seconds: 1 });
    expect(first.status).toBe(202);
    const reachable = () =>
      fetch(`${demo.url}${ROUTES.state}?user=ada`).then(
        (answer) => answer.ok,
        () => false,
      );
    await expect.poll(reachable, { interval: 100, timeout: 5000 }).toBe(true);
    const again = await post(ROUTES.outage, { seconds: 1 });
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatchObject({ code: 'outage-in-progress' });
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('serves the outage route to loopback callers only (403 for any other address)', () => {
    const from = (remoteAddress: string | undefined) => fromLoopback({ socket: { remoteAddress } });
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '192.168.1.20', '10.0.0.1', undefined].map(from)).toEqual(
      [true, true, true, false, false, false],
    );
  });

  it('refuses a duration outside 1 to 30 s, and is not mounted when not allowed', async () => {
    const tooLong = await post(ROUTES.outage, { seconds: 60 });
    expect(tooLong.status).toBe(400);
    expect(await errorOf(tooLong)).toMatchObject({ code: 'invalid-request', paths: ['body.seconds'] });
    const strict = await createDemoServer({ port: 0, metricsIntervalMs: 0, allowOutage: false });
    try {
      const response = await fetch(`${strict.url}${ROUTES.outage}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seconds: 1 }),
      });
      expect(response.status).toBe(404);
    } finally {
      await strict.close();
    }
  });
});

describe('while shutting down', () => {
  it('answers 503 with Retry-After once the emitter is closed, and publishes nothing', async () => {
    await demo.sse.close();
    const response = await post(ROUTES.notifications, { from: 'ada', message: 'Late', severity: 'info' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await errorOf(response)).toMatchObject({ code: 'unavailable' });
    expect(demo.sse.stats().published).toBe(0);
  });
});

describe('POST /api/jobs', () => {
  it('starts a job that runs to the end', async () => {
    const response = await post(ROUTES.jobs, { label: 'Report', by: 'grace', steps: 3 });
    expect(response.status).toBe(202);
    const { jobId } = (await response.json()) as { jobId: string };
    await expect
      .poll(
        () =>
          snapshotSchema.parse(demo.dashboard.snapshot('ada')).jobs.find((job) => job.jobId === jobId)?.stage,
      )
      .toBe('Done');
  });

  it('limits job starts per user and in total, so the published rate and the state stay bounded', async () => {
    const start = (by: string) => post(ROUTES.jobs, { label: 'Report', by, steps: 50 });
    const ada: number[] = [];
    for (let index = 0; index <= API_LIMITS.jobStartsPerUser; index++) ada.push((await start('ada')).status);
    expect(ada).toEqual([...Array(API_LIMITS.jobStartsPerUser).fill(202), 429]);
    const others: number[] = [];
    for (const by of ['grace', 'grace', 'grace', 'linus']) others.push((await start(by)).status);
    // Six jobs run now (the total cap): the next start is refused whoever asks.
    expect(others).toEqual([202, 202, 202, 429]);
    const refused = await start('linus');
    expect(await errorOf(refused)).toMatchObject({ code: 'too-many-jobs' });
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(demo.dashboard.runningJobs).toBe(API_LIMITS.runningJobs);
    expect(snapshotSchema.parse(demo.dashboard.snapshot('ada')).jobs).toHaveLength(API_LIMITS.runningJobs);
  });

  it('answers 400 for a bad step count or an unknown user', async () => {
    const steps = await post(ROUTES.jobs, { label: 'Report', by: 'grace', steps: 1000 });
    expect(steps.status).toBe(400);
    expect(await errorOf(steps)).toMatchObject({ code: 'invalid-request', paths: ['body.steps'] });
    const user = await post(ROUTES.jobs, { label: 'Report', by: 'nobody' });
    expect(await errorOf(user)).toMatchObject({ code: 'unknown-user', paths: ['body.by'] });
  });
});

describe('GET /api/state', () => {
  it('shows each user broadcast notifications and only their own private ones', async () => {
    await post(ROUTES.notifications, { from: 'ada', message: 'All hands', severity: 'info' });
    await post(ROUTES.notifications, { from: 'ada', message: 'For Grace', severity: 'warning', to: 'grace' });
    const forAda = snapshotSchema.parse(await (await fetch(`${demo.url}${ROUTES.state}?user=ada`)).json());
    const forGrace = snapshotSchema.parse(
      await (await fetch(`${demo.url}${ROUTES.state}?user=grace`)).json(),
    );
    expect(forAda.notifications.map((n) => n.message)).toEqual(['All hands']);
    expect(forGrace.notifications.map((n) => n.message)).toEqual(['For Grace', 'All hands']);
    expect(forGrace.lastEventId).toBe(forAda.lastEventId);
  });

  it('answers 400 without a known user', async () => {
    const response = await fetch(`${demo.url}${ROUTES.state}?user=mallory`);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/one of ada, grace, linus, margaret, got "mallory"/);
  });
});

describe('the event stream and the page', () => {
  it('refuses a stream without a user (401) or with an unknown one (403), before any stream byte', async () => {
    const anonymous = await fetch(`${demo.url}${ROUTES.events}`);
    expect(anonymous.status).toBe(401);
    const stranger = await fetch(`${demo.url}${ROUTES.events}?user=mallory`);
    expect(stranger.status).toBe(403);
    expect(await stranger.text()).toMatch(/unknown user "mallory"/);
  });

  it('serves the page pinned to its own origin, and JSON 404s under /api', async () => {
    const page = await fetch(`${demo.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="app.js"></script>');
    const missing = await fetch(`${demo.url}/api/nope`);
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toMatchObject({ code: 'not-found' });
  });
});
