import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';
import { reactSuites } from './vitest.config';

const require = createRequire(import.meta.url);
/** The directory of an installed package (its package.json), resolved from this package. */
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The same suites against React 18, installed as `react-18` / `react-dom-18`. The alias covers
 * every module Vite loads; `test/support/react-18.ts` redirects Node's own `require('react')`
 * inside `react-dom-18`, whose `react` peer pnpm links to this package's React 19.
 */
export default defineProject({
  ...sourceConditions,
  resolve: {
    ...sourceConditions.resolve,
    alias: [
      { find: /^react$/, replacement: packageDir('react-18') },
      { find: /^react\/(.*)$/, replacement: `${packageDir('react-18')}/$1` },
      { find: /^react-dom$/, replacement: packageDir('react-dom-18') },
      { find: /^react-dom\/(.*)$/, replacement: `${packageDir('react-dom-18')}/$1` },
    ],
  },
  test: {
    ...reactSuites,
    name: 'react-18',
    // <Activity> is React 19's: its test runs in the React 19 suite only.
    exclude: ['test/**/*.browser.test.ts', 'test/**/*.react-19.test.tsx'],
    setupFiles: ['test/support/react-18.ts', 'test/support/setup.ts'],
    env: { EXPECTED_REACT_MAJOR: '18' },
    server: { deps: { inline: [/@testing-library\/react/, /@tanstack\/react-query/] } },
  },
});
