import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed version of a dependency, found from its resolved entry point (works for packages
 * whose `exports` map does not expose `package.json`).
 *
 * @param name - the package name as imported, e.g. `'better-sse'`
 * @returns the `version` field of that package's `package.json`
 *
 * @example
 * ```ts
 * installedVersion('eventsource-parser'); // '3.1.1'
 * ```
 */
export function installedVersion(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === name && manifest.version !== undefined) return manifest.version;
    } catch {
      // no package.json at this level: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`@app/bench: cannot find the package.json of ${name}`);
    dir = parent;
  }
}
