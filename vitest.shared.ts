import { defaultClientConditions, defaultServerConditions } from 'vite';

/**
 * Resolve workspace packages to their TypeScript sources through the
 * `@app/source` export condition, so tests and type checks need no build.
 */
export const sourceConditions = {
  resolve: { conditions: ['@app/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@app/source', ...defaultServerConditions] } },
};
