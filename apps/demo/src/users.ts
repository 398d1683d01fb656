// A namespace import lets bundlers drop the parts of zod the page does not use (a named `z` keeps all of it).
import * as z from 'zod';

/**
 * The demo's user accounts. A real app would read them from its user store; the dashboard only
 * needs a handful of people to show presence and per-user notifications.
 */
export const DEMO_USERS = [
  { id: 'ada', name: 'Ada Lovelace' },
  { id: 'grace', name: 'Grace Hopper' },
  { id: 'linus', name: 'Linus Torvalds' },
  { id: 'margaret', name: 'Margaret Hamilton' },
] as const;

/** One demo account. */
export type DemoUser = (typeof DEMO_USERS)[number];

/** The ID of one demo account. */
export type DemoUserId = DemoUser['id'];

/** The shape of a user ID on the wire: lowercase letters, digits and dashes, at most 32 characters. */
export const userIdSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,31}$/,
    'expected a user ID: lowercase letters, digits and dashes, 1 to 32 characters',
  );

/**
 * Finds a demo account by ID.
 *
 * @param id - any string, for example a query parameter
 * @returns the account, or `undefined` when no demo user has that ID
 * @example
 * ```ts
 * findUser('ada')?.name; // 'Ada Lovelace'
 * ```
 */
export function findUser(id: string | null | undefined): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.id === id);
}
