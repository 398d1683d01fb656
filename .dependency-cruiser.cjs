// The import rules of the architecture (see ARCHITECTURE.md), checked by `pnpm lint`:
// no import circle anywhere (type-only imports included), `protocol` imports no other package,
// `server` and `client` never import each other, and the code that runs in browsers and workers
// (`protocol`, `client`) uses no `node:` module.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle (types included) means two files are one concept, or one is misplaced.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'protocol-imports-no-package',
      comment: 'The protocol is the lowest layer: every package imports it, it imports none of them.',
      severity: 'error',
      from: { path: '^packages/protocol/src' },
      to: { path: '^(packages/(?!protocol/)[^/]+/|@app/)' },
    },
    {
      name: 'server-and-client-apart',
      comment: 'Server and client share only the protocol.',
      severity: 'error',
      from: { path: '^packages/(server|client)/src' },
      to: {
        path: '^(packages/(server|client)/|@app/sse-(server|client)$)',
        pathNot: '^(packages/$1/|@app/sse-$1$)',
      },
    },
    {
      name: 'web-standard-code-only',
      comment: 'The protocol and the client run in browsers and workers: web-standard APIs only.',
      severity: 'error',
      from: { path: '^packages/(protocol|client)/src', pathNot: '\\.test\\.ts$|\\.test-d\\.ts$|/cli/' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    exclude: { path: '(^|/)(node_modules|\\.turbo)/' },
    doNotFollow: { path: '(^|/)(node_modules|dist)/' },
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};
