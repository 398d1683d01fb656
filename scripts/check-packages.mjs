#!/usr/bin/env node
// Checks what the published packages declare, so that an application can only ever get one zod:
// zod is a peer dependency (one range, the same in every package) and never a dependency, and
// every package states the same supported Node versions as the repository. The `@app/source`
// export condition (the workspace's way to load TypeScript sources in tests) is not published:
// `publishConfig.exports` (what pnpm publishes) is `exports` without it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const problems = [];

/** `exports` with every `@app/source` condition removed. */
function withoutSourceCondition(node) {
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== '@app/source')
      .map(([key, value]) => [key, withoutSourceCondition(value)]),
  );
}
const zodRanges = new Set();
for (const name of readdirSync(join(root, 'packages'))) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  if (manifest.private) continue;
  const where = `packages/${name}/package.json`;
  if (manifest.dependencies?.zod || manifest.optionalDependencies?.zod) {
    problems.push(`${where}: zod must be a peer dependency only (a dependency can install a second copy)`);
  }
  const peer = manifest.peerDependencies?.zod;
  if (!peer) problems.push(`${where}: zod is missing from peerDependencies`);
  else zodRanges.add(peer);
  if (peer && !manifest.devDependencies?.zod) problems.push(`${where}: zod is missing from devDependencies`);
  const published = JSON.stringify(withoutSourceCondition(manifest.exports));
  if (JSON.stringify(manifest.publishConfig?.exports) !== published) {
    problems.push(`${where}: publishConfig.exports must be exports without the @app/source condition`);
  }
  if (manifest.engines?.node !== rootManifest.engines.node) {
    problems.push(
      `${where}: engines.node is ${manifest.engines?.node}, the repository's is ${rootManifest.engines.node}`,
    );
  }
}
if (zodRanges.size > 1)
  problems.push(`zod peer ranges differ between packages: ${[...zodRanges].join(', ')}`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`packages: zod peer ${[...zodRanges].join('')} everywhere, Node ${rootManifest.engines.node}`);
