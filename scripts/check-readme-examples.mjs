#!/usr/bin/env node
// Type-checks every ```ts block of every README.md (the root's, packages/*'s and apps/*'s), each
// block as its own module, against the workspace packages' sources, the way a user's project would
// compile it (strict, the DOM library and Node's types; no DOM.AsyncIterable). A block that
// continues the one before it (it uses its `sse`, `app` or `events`) is marked with
// `<!-- fragment -->` on the line before its fence: it is checked after the README's last complete
// block, in a scope of its own (its imports hoisted, relative ones dropped). A line that shows a deliberate compile error
// carries `// @ts-expect-error`. A block that needs types the workspace does not have (Bun's,
// Deno's) is marked `<!-- not checked: why -->`, used sparingly.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FRAGMENT = '<!-- fragment -->';
/** Marks a block that needs types the workspace does not install (another runtime's, a framework's). */
const NOT_CHECKED = /^<!-- not checked: .+ -->$/;
const workspaces = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, group, entry.name)),
);
const readmes = [root, ...workspaces]
  .map((dir) => join(dir, 'README.md'))
  .filter((file) => {
    try {
      return readFileSync(file, 'utf8').length >= 0;
    } catch {
      return false;
    }
  });

/** Every ```ts block of a Markdown file: its code and the line of its first code line (1-based). */
function tsBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript|tsx)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    let previous = i - 1;
    while (previous >= 0 && lines[previous].trim() === '') previous--;
    const fragment = previous >= 0 && lines[previous].trim() === FRAGMENT;
    if (previous >= 0 && NOT_CHECKED.test(lines[previous].trim())) {
      i = end;
      continue;
    }
    const indent = open[1].length;
    const code = lines.slice(i + 1, end).map((line) => line.slice(Math.min(indent, line.search(/\S|$/))));
    blocks.push({ code, line: i + 2, tsx: open[2] === 'tsx', fragment });
    i = end;
  }
  return blocks;
}

// A scratch project whose node_modules holds every package the workspace installs (the workspace
// packages themselves included), resolved to their TypeScript sources through `@app/source`.
const scratch = mkdtempSync(join(tmpdir(), 'readme-examples-'));
const modules = join(scratch, 'node_modules');
mkdirSync(modules);
const linked = new Set();
function link(name, target) {
  if (linked.has(name)) return;
  linked.add(name);
  const at = join(modules, name);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, 'junction');
}
for (const dir of workspaces) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  link(manifest.name, dir);
}
for (const dir of [root, ...workspaces]) {
  let entries = [];
  try {
    entries = readdirSync(join(dir, 'node_modules'), { withFileTypes: true });
  } catch {}
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(join(dir, 'node_modules', entry.name))) {
        link(`${entry.name}/${scoped}`, join(dir, 'node_modules', entry.name, scoped));
      }
    } else link(entry.name, join(dir, 'node_modules', entry.name));
  }
}

/** Where a checked file's lines come from: file line `first + k` is README line `line + k`. */
const files = new Map();
for (const readme of readmes) {
  let context = null;
  tsBlocks(readFileSync(readme, 'utf8')).forEach((block, index) => {
    const file = join(
      scratch,
      `${relative(root, readme).replace(/\W+/g, '_')}_${index + 1}.${block.tsx ? 'tsx' : 'ts'}`,
    );
    let text;
    let first = 0;
    if (block.fragment && context) {
      // The fragment's imports go first, then the complete block it continues, then the fragment's
      // other lines in a block scope (so it may redeclare names). Import lines are blanked, not
      // removed, so the fragment keeps its line numbers.
      const isImport = (line) => /^import\s/.test(line);
      // A relative import (`./events`) stands for what the block before defines: it is dropped.
      const imports = block.code.filter((line) => isImport(line) && !/from\s+['"]\.{1,2}\//.test(line));
      const body = block.code.map((line) => (isImport(line) ? '' : line.replace(/^export\s+/, '')));
      const head = [...imports, ...context, '{'];
      first = head.length;
      text = [...head, ...body, '}'].join('\n');
    } else {
      if (block.fragment)
        throw new Error(
          `${relative(root, readme)}:${block.line}: a fragment needs a complete block before it`,
        );
      context = block.code;
      text = block.code.join('\n');
    }
    // `export {}` makes a block without imports a module of its own, like every other block.
    writeFileSync(file, `${text}\nexport {};\n`);
    files.set(file, { readme, line: block.line, first, last: first + block.code.length - 1 });
  });
}

const program = ts.createProgram([...files.keys()], {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2024.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: ['@app/source'],
  types: ['node'],
  typeRoots: [join(modules, '@types')],
  strict: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: false,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  jsx: ts.JsxEmit.ReactJSX,
});
const problems = [];
for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
  const block = diagnostic.file && files.get(diagnostic.file.fileName);
  if (block && diagnostic.start !== undefined) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    // A fragment's context is the block before it, already checked on its own.
    if (line < block.first) continue;
    const at = line > block.last ? 'end of block' : `${block.line + line - block.first}:${character + 1}`;
    problems.push(`${relative(root, block.readme)}:${at} TS${diagnostic.code}: ${message}`);
  } else {
    problems.push(
      `${diagnostic.file ? relative(root, diagnostic.file.fileName) : 'config'} TS${diagnostic.code}: ${message}`,
    );
  }
}
rmSync(scratch, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(
    `README examples: ${problems.length} type errors in ${files.size} blocks of ${readmes.length} READMEs`,
  );
  process.exit(1);
}
console.log(`README examples: ${files.size} TypeScript blocks of ${readmes.length} READMEs type-check`);
