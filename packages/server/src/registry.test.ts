import { describe, expect, it } from 'vitest';
import { type Connection, createConnection } from './connection';
import { createRegistry } from './registry';
import type { StreamTransport } from './transport';

// The registry never touches a connection's transport.
const transport = {} as StreamTransport;

function connection(id: string, userId?: string, extra: string[] = []): Connection {
  return createConnection(id, userId, [`client:${id}`, ...extra], transport);
}

describe('createRegistry', () => {
  it('keeps a lone member as itself and a Set from the second member on, both ways', () => {
    const registry = createRegistry();
    const a = connection('a', undefined, ['room']);
    const b = connection('b', undefined, ['room']);
    registry.add(a);
    expect(registry.channels.get('room')).toBe(a);
    expect(registry.channels.get('client:a')).toBe(a);

    registry.add(b);
    expect(registry.channels.get('room')).toEqual(new Set([a, b]));
    expect(registry.join(a, 'room')).toBe(false);
    expect(registry.channels.get('room')).toEqual(new Set([a, b]));

    expect(registry.leave(a, 'room')).toBe(true);
    expect(registry.channels.get('room')).toBe(b);
    expect(registry.join(a, 'room')).toBe(true);
    expect(registry.channels.get('room')).toEqual(new Set([b, a]));

    registry.remove(b);
    expect(registry.channels.get('room')).toBe(a);
    expect(registry.channels.has('client:b')).toBe(false);
    registry.remove(a);
    expect([...registry.channels.keys()]).toEqual([]);
    expect(registry.connections.size).toBe(0);
  });

  it('counts the open connections of each user and forgets a removed one once', () => {
    const registry = createRegistry();
    const first = connection('1', 'ada', ['user:ada']);
    const second = connection('2', 'ada', ['user:ada']);
    registry.add(first);
    registry.add(second);
    expect(registry.users.get('ada')).toBe(2);
    registry.remove(first);
    registry.remove(first);
    expect(registry.users.get('ada')).toBe(1);
    expect(registry.channels.get('user:ada')).toBe(second);
    registry.remove(second);
    expect(registry.users.has('ada')).toBe(false);
    expect(registry.channels.has('user:ada')).toBe(false);
  });

  it('joins a channel for a connection not registered yet only in its own list', () => {
    const registry = createRegistry();
    const pending = connection('p');
    expect(registry.join(pending, 'room')).toBe(true);
    expect(pending.channels).toEqual(['client:p', 'room']);
    expect(registry.channels.has('room')).toBe(false);
    registry.add(pending);
    expect(registry.channels.get('room')).toBe(pending);
  });
});
