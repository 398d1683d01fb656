import {
  createMemoryStore,
  type MemoryStoreOptions,
  type ReplayRead,
  type ReplayStore,
  type StoredEvent,
} from '../../src/index';

/** A point async steps wait at while it is shut. */
export interface Gate {
  /** How many steps have reached the gate so far (shut or not). */
  readonly reached: number;
  /** Waits while the gate is shut. */
  wait(): Promise<void>;
  shut(): void;
  open(): void;
}

/** A gate, open at first. */
export function createGate(): Gate {
  let reached = 0;
  let gate: Promise<void> | undefined;
  let release = () => {};
  return {
    get reached() {
      return reached;
    },
    wait() {
      reached += 1;
      return gate ?? Promise.resolve();
    },
    shut() {
      gate ??= new Promise((resolve) => {
        release = resolve;
      });
    },
    open() {
      gate = undefined;
      release();
    },
  };
}

interface HeldAppend {
  event: StoredEvent;
  settle(error?: Error): void;
}

/** A memory store whose latency the test controls, as a remote store's would vary. */
export interface ControlledStore {
  store: ReplayStore;
  /** `head()` answers once this gate is open. */
  head: Gate;
  /** `readAfter()` answers once this gate is open (its result is read before it waits). */
  read: Gate;
  /** From now on, hold (or stop holding) the promises of appends: the event is stored at once. */
  holdAppends(hold: boolean): void;
  /** How many append promises are held. */
  readonly held: number;
  /** Resolves (or rejects) the held append at `index`. */
  release(index: number, error?: Error): void;
  /** Replaces the history with an empty store of a new epoch (history lost, as after a flush). */
  loseHistory(): void;
}

/**
 * A memory store under the test's control: appends are stored at once (a read sees them) but their
 * promises may be held and settled in any order; `head` and `readAfter` may wait at gates.
 *
 * @param options - bounds of the memory store underneath
 */
export function controlledStore(options: Omit<MemoryStoreOptions, 'epoch'> = {}): ControlledStore {
  let inner = createMemoryStore(options);
  let holding = false;
  const held: HeldAppend[] = [];
  const head = createGate();
  const read = createGate();
  return {
    head,
    read,
    holdAppends(hold) {
      holding = hold;
    },
    get held() {
      return held.length;
    },
    release(index, error) {
      const [append] = held.splice(index, 1);
      if (append === undefined) throw new Error(`no held append at ${index}`);
      append.settle(error);
    },
    loseHistory() {
      inner = createMemoryStore(options);
    },
    store: {
      async append(request) {
        const event = await inner.append(request);
        if (!holding) return event;
        return new Promise<StoredEvent>((resolve, reject) => {
          held.push({ event, settle: (error) => (error === undefined ? resolve(event) : reject(error)) });
        });
      },
      async head() {
        const id = await inner.head();
        await head.wait();
        return id;
      },
      async readAfter(id): Promise<ReplayRead> {
        const result = await inner.readAfter(id);
        await read.wait();
        return result;
      },
    },
  };
}
