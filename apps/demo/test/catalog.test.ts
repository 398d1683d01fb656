import { catalogFingerprint } from '@app/sse-protocol/contract';
import { describe, expect, it } from 'vitest';
import { notifyRequestSchema, startJobRequestSchema } from '../src/api-contract';
import { events } from '../src/catalog';

describe('the dashboard catalog', () => {
  it('validates a notification and names the failing field', () => {
    const valid = { id: 'n-1', message: ' Shipped ', severity: 'info', from: 'ada', at: 1 };
    expect(events.parse('notification', valid).message).toBe('Shipped');
    const result = events.safeParse('notification', { ...valid, severity: 'loud' });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.paths).toEqual(['data.severity']);
      expect(result.error.message).toMatch(/invalid "notification" payload: data\.severity/);
    }
  });

  it('has a stable fingerprint for the server to announce', () => {
    expect(catalogFingerprint(events)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(events.names).toEqual([
      'user:joined',
      'user:left',
      'notification',
      'metrics',
      'job:started',
      'job:progress',
      'stream:opened',
      'job:done',
    ]);
  });

  it('cuts the API request schemas from the event schemas', () => {
    expect(notifyRequestSchema.safeParse({ from: 'ada', message: 'hi', severity: 'warning' }).success).toBe(
      true,
    );
    expect(notifyRequestSchema.safeParse({ from: 'ada', message: '   ', severity: 'info' }).success).toBe(
      false,
    );
    expect(notifyRequestSchema.safeParse({ from: 'Ada!', message: 'hi', severity: 'info' }).success).toBe(
      false,
    );
    expect(startJobRequestSchema.parse({ label: 'Report', by: 'ada' })).toEqual({
      label: 'Report',
      by: 'ada',
    });
    expect(startJobRequestSchema.safeParse({ label: 'Report', by: 'ada', steps: 0 }).success).toBe(false);
  });
});
