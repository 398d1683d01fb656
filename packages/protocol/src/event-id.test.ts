import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEpoch, formatEventId, MAX_EVENT_ID_LENGTH, parseEventId } from './event-id';

describe('event IDs', () => {
  it('formats and parses <epoch>-<seq>', () => {
    expect(formatEventId('m3k9', 42)).toBe('m3k9-42');
    expect(parseEventId('m3k9-42')).toEqual({ epoch: 'm3k9', seq: 42 });
    expect(parseEventId('m3k9-0')).toEqual({ epoch: 'm3k9', seq: 0 });
    expect(parseEventId(`e-${Number.MAX_SAFE_INTEGER}`)).toEqual({
      epoch: 'e',
      seq: Number.MAX_SAFE_INTEGER,
    });
  });

  it('refuses every other shape', () => {
    for (const bad of [
      '',
      '42',
      'a',
      'a-',
      '-1',
      'a--1',
      'a-1-2',
      'a b-1',
      'a-1 ',
      ' a-1',
      'a-+1',
      'a-1e3',
      'é-1',
      `a-${2 ** 53}`,
      `${'a'.repeat(65)}-1`,
    ]) {
      expect(parseEventId(bad), bad).toBeUndefined();
    }
    expect(parseEventId('x'.repeat(MAX_EVENT_ID_LENGTH + 1))).toBeUndefined();
  });

  it('round-trips any epoch of the alphabet and any safe sequence number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z_]{1,64}$/), fc.maxSafeNat(), (epoch, seq) => {
        expect(parseEventId(formatEventId(epoch, seq))).toEqual({ epoch, seq });
      }),
    );
  });

  it('makes distinct epochs of letters and digits only', () => {
    const epochs = new Set(Array.from({ length: 200 }, createEpoch));
    expect(epochs.size).toBe(200);
    for (const epoch of epochs) expect(epoch).toMatch(/^[0-9a-z]{8,20}$/);
  });
});
