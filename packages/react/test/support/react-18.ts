import Module from 'node:module';
import { dirname } from 'node:path';

// Node's CommonJS resolver is what `react-dom-18` (CommonJS) and the testing libraries use for
// their own `require('react')`: point it at React 18 so one React runs in this project.
const require = Module.createRequire(import.meta.url);
const targets: Record<string, string> = {
  react: dirname(require.resolve('react-18/package.json')),
  'react-dom': dirname(require.resolve('react-dom-18/package.json')),
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const internals = Module as unknown as { _resolveFilename: Resolve };
const original = internals._resolveFilename;
internals._resolveFilename = function resolveReact18(request, ...rest) {
  const [name, ...path] = request.split('/');
  const target = name === undefined ? undefined : targets[name];
  const redirected = target === undefined ? request : [target, ...path].join('/');
  return original.call(this, redirected, ...rest);
};
