import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) that the summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    positionTicks?: { line: number; ticks: number }[];
  }[];
  startTime: number;
  endTime: number;
}

/** Self time of one function, file or source line, as a share of the busy samples. */
export interface ProfileEntry {
  /** `function (file:line)` or `file:line`. */
  label: string;
  /** Samples attributed to it. */
  ticks: number;
  /** Share of the busy samples, 0..1. */
  share: number;
}

/** The hottest functions, files and lines of a profile. */
export interface ProfileSummary {
  /** Samples taken while the thread was busy (shares are relative to this). */
  busyTicks: number;
  /** Samples taken while it was idle (waiting in the event loop). */
  idleTicks: number;
  functions: ProfileEntry[];
  files: ProfileEntry[];
  lines: ProfileEntry[];
}

function shortUrl(url: string): string {
  const cut = url.lastIndexOf('/node_modules/');
  const base = cut === -1 ? url : url.slice(cut + '/node_modules/'.length);
  return base.replace(/^file:\/\//, '').replace(/^.*\/(packages|apps)\//, '$1/');
}

function top(map: Map<string, number>, total: number, limit: number): ProfileEntry[] {
  return [...map.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, limit)
    .map(([label, ticks]) => ({ label, ticks, share: ticks / total }));
}

/**
 * Summarises a V8 CPU profile by self time, relative to the samples where the thread was busy:
 * the hottest functions, files and source lines (line ticks are 1-based lines of the script V8
 * ran, e.g. a package's `dist/index.js`).
 *
 * @param path - a `.cpuprofile` file written by `node --cpu-prof`
 * @param limit - how many functions and lines to list. @defaultValue 15
 * @returns the summary
 *
 * @example
 * ```ts
 * const summary = summariseCpuProfile('profiles/server.cpuprofile');
 * for (const f of summary.functions) console.log((f.share * 100).toFixed(1), f.label); // % of busy time
 * ```
 */
export function summariseCpuProfile(path: string, limit = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  const lines = new Map<string, number>();
  let busyTicks = 0;
  let idleTicks = 0;
  for (const node of profile.nodes) {
    const ticks = node.hitCount ?? 0;
    if (ticks === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleTicks += ticks;
      continue;
    }
    busyTicks += ticks;
    const file = url === '' ? `(${functionName || 'native'})` : shortUrl(url);
    const name = `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})`;
    functions.set(name, (functions.get(name) ?? 0) + ticks);
    files.set(file, (files.get(file) ?? 0) + ticks);
    for (const position of node.positionTicks ?? []) {
      const key = `${file}:${position.line}`;
      lines.set(key, (lines.get(key) ?? 0) + position.ticks);
    }
  }
  return {
    busyTicks,
    idleTicks,
    functions: top(functions, busyTicks, limit),
    files: top(files, busyTicks, limit),
    lines: top(lines, busyTicks, limit),
  };
}

/**
 * Formats a {@link ProfileSummary} as plain text, one entry a line.
 *
 * @param summary - from {@link summariseCpuProfile}
 * @returns the text
 *
 * @example
 * ```ts
 * console.log(formatProfileSummary(summariseCpuProfile(path)));
 * ```
 */
export function formatProfileSummary(summary: ProfileSummary): string {
  const row = (e: ProfileEntry) =>
    `${(e.share * 100).toFixed(1).padStart(5)}%  ${String(e.ticks).padStart(6)}  ${e.label}`;
  return [
    `busy ${summary.busyTicks} samples, idle ${summary.idleTicks}; self time of busy samples by function:`,
    ...summary.functions.map(row),
    'self time by file:',
    ...summary.files.map(row),
    'self time by line:',
    ...summary.lines.map(row),
  ].join('\n');
}
