import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

it('lets an app that only uses fetchHandler compile its use of the published types without @types/node', () => {
  // The built declarations, as an app's compiler sees them (no @app/source condition), with no
  // Node types at all and every declaration file checked.
  const program = ts.createProgram([join(here, 'fixtures/fetch-only.ts')], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    strict: true,
    skipLibCheck: false,
    noEmit: true,
  });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map(
      (diagnostic) =>
        `${diagnostic.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
    );
  expect(problems).toEqual([]);
}, 60_000);
