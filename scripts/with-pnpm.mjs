#!/usr/bin/env node
// Runs a pnpm command with nothing but Node and npm installed: installs the workspace when needed,
// then runs the given pnpm arguments with the pinned pnpm (see pnpm.mjs). This is what makes
// `npm test` work on a fresh clone without `corepack enable`.
import { ensureInstalled, pnpm } from './pnpm.mjs';

ensureInstalled();
process.exit(pnpm(process.argv.slice(2)));
