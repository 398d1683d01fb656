import { describe, expect, it } from 'vitest';
import { lastEventIdFrom } from './last-event-id';

describe('lastEventIdFrom', () => {
  it('takes the header first, then the lastEventId query parameter', () => {
    expect(lastEventIdFrom('e-1', '/events?lastEventId=e-2')).toBe('e-1');
    expect(lastEventIdFrom(undefined, '/events?lastEventId=e-2')).toBe('e-2');
    expect(lastEventIdFrom(null, 'https://host/events?a=1&lastEventId=e-3#frag')).toBe('e-3');
    expect(lastEventIdFrom(undefined, '/events?lastEventId=e%2D4')).toBe('e-4');
  });

  it('treats empty and missing values alike', () => {
    expect(lastEventIdFrom('', '/events')).toBeNull();
    expect(lastEventIdFrom('', '/events?lastEventId=')).toBeNull();
    expect(lastEventIdFrom(undefined, undefined)).toBeNull();
    expect(lastEventIdFrom(undefined, '/events?other=1')).toBeNull();
    expect(lastEventIdFrom(undefined, '/events#lastEventId=e-1')).toBeNull();
  });

  it('joins a repeated header as Node does for unknown headers, so the core refuses it', () => {
    expect(lastEventIdFrom(['e-1', 'e-2'], undefined)).toBe('e-1, e-2');
  });

  it('decodes hostile queries without throwing', () => {
    expect(lastEventIdFrom(undefined, '/?lastEventId=%E0%A4%A')).toBe('\uFFFD%A');
    expect(lastEventIdFrom(undefined, '/?lastEventId=a%0D%0Aevent:%20x')).toBe('a\r\nevent: x');
  });
});
