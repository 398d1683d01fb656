import { describe, expect, it } from 'vitest';
import { createRecentIds, RECENT_IDS_CAPACITY } from './recent-ids';

describe('createRecentIds', () => {
  it('remembers the last `capacity` IDs and forgets the oldest first', () => {
    const ids = createRecentIds(3);
    for (const id of ['a', 'b', 'c']) ids.add(id);
    expect(['a', 'b', 'c'].map((id) => ids.has(id))).toEqual([true, true, true]);
    ids.add('d');
    expect(['a', 'b', 'c', 'd'].map((id) => ids.has(id))).toEqual([false, true, true, true]);
  });

  it('does not count an ID twice', () => {
    const ids = createRecentIds(2);
    ids.add('a');
    ids.add('a');
    ids.add('b');
    expect([ids.has('a'), ids.has('b')]).toEqual([true, true]);
  });

  it('stays bounded on an endless stream', () => {
    const ids = createRecentIds();
    for (let index = 0; index < RECENT_IDS_CAPACITY * 5; index++) ids.add(String(index));
    expect(ids.has(String(RECENT_IDS_CAPACITY * 4 - 1))).toBe(false);
    expect(ids.has(String(RECENT_IDS_CAPACITY * 4))).toBe(true);
    expect(ids.has(String(RECENT_IDS_CAPACITY * 5 - 1))).toBe(true);
  });

  it('never stores an ID over the length limit, so its memory is bounded by construction', () => {
    const ids = createRecentIds(RECENT_IDS_CAPACITY, 256);
    const huge = 'x'.repeat(2 ** 20);
    for (let index = 0; index < RECENT_IDS_CAPACITY * 3; index++) {
      ids.add(`${index}${huge}`);
      ids.add(`${index}`.padEnd(256, '-'));
    }
    expect(ids.has(`0${huge}`)).toBe(false);
    expect(ids.has(`${RECENT_IDS_CAPACITY * 3 - 1}`.padEnd(256, '-'))).toBe(true);
    expect(ids.chars).toBe(RECENT_IDS_CAPACITY * 256);
  });

  it('counts the characters it holds as IDs come and go', () => {
    const ids = createRecentIds(2, 4);
    ids.add('ab');
    ids.add('abcd');
    ids.add('abcde');
    expect(ids.chars).toBe(6);
    ids.add('a');
    expect(ids.chars).toBe(5);
  });
});
