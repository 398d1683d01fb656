import { describe, expect, it } from 'vitest';
import { createPublishOrder } from './publish-order';
import type { StoredEvent } from './replay-store';

const event = (seq: number): StoredEvent => ({
  id: `e-${seq}`,
  seq,
  channels: null,
  frame: new Uint8Array(0),
});

describe('createPublishOrder', () => {
  it('fans out at once, with no promise, while appends settle in order', () => {
    const sent: number[] = [];
    const order = createPublishOrder((stored) => sent.push(stored.seq));
    const first = order.enter();
    const second = order.enter();
    expect(order.settle(first, event(1))).toBe(1);
    expect(order.settle(second, event(2))).toBe(2);
    expect(sent).toEqual([1, 2]);
  });

  it('holds an event until every earlier append settled, failed ones included', async () => {
    const sent: number[] = [];
    const order = createPublishOrder((stored) => {
      sent.push(stored.seq);
      return 10 + stored.seq;
    });
    const tickets = [order.enter(), order.enter(), order.enter(), order.enter()] as const;
    const fourth = order.settle(tickets[3], event(4));
    const second = order.settle(tickets[1], event(2));
    expect(sent).toEqual([]);
    expect(order.settle(tickets[0], event(1))).toBe(11);
    expect(sent).toEqual([1, 2]);
    await expect(second).resolves.toBe(12);
    // The third append failed: its place is given up and the fourth goes.
    expect(order.settle(tickets[2], undefined)).toBe(0);
    await expect(fourth).resolves.toBe(14);
    expect(sent).toEqual([1, 2, 4]);
  });

  it('moves the line on when a fan-out throws, rejecting only that publish', async () => {
    const order = createPublishOrder((stored) => {
      if (stored.seq === 2) throw new Error('fan-out failed');
      return stored.seq;
    });
    const tickets = [order.enter(), order.enter(), order.enter()] as const;
    const second = order.settle(tickets[1], event(2));
    const third = order.settle(tickets[2], event(3));
    expect(order.settle(tickets[0], event(1))).toBe(1);
    await expect(second).rejects.toThrow('fan-out failed');
    await expect(third).resolves.toBe(3);
    expect(() => order.settle(order.enter(), event(2))).toThrow('fan-out failed');
    expect(order.settle(order.enter(), event(5))).toBe(5);
  });
});
