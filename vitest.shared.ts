import { defaultClientConditions, defaultServerConditions } from 'vite';

/**
 * Resolve workspace packages to their TypeScript sources through the
 * `@app/source` export condition, so tests and type checks need no build.
 *
 * Code run by Node (SSR, every suite but the browser ones) resolves dependencies as Node does,
 * without the bundlers' `module` condition: `@opentelemetry/api` maps it to a build whose
 * extensionless imports Node cannot load, and users' Node processes never pick it either.
 */
export const sourceConditions = {
  resolve: { conditions: ['@app/source', ...defaultClientConditions] },
  ssr: {
    resolve: {
      conditions: ['@app/source', ...defaultServerConditions.filter((condition) => condition !== 'module')],
    },
  },
};
