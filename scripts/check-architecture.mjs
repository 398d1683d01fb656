#!/usr/bin/env node
// Checks that ARCHITECTURE.md names only files that exist: every backquoted path under packages/,
// apps/, docs/ or scripts/, and every root file it mentions, so the map stays true as code moves.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const text = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
const paths = new Set();
for (const [, path] of text.matchAll(
  /`((?:packages|apps|docs|scripts)\/[\w./-]+|\.dependency-cruiser\.cjs)`/g,
))
  paths.add(path);
const missing = [...paths].filter((path) => !existsSync(join(root, path)));
if (missing.length > 0) {
  console.error(`ARCHITECTURE.md names files that do not exist:\n${missing.join('\n')}`);
  process.exit(1);
}
console.log(`ARCHITECTURE.md: all ${paths.size} files it names exist`);
