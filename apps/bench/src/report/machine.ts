import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';

/** The machine a run happened on, for the report. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  /** ISO 8601 time of the run. */
  date: string;
  /** 1-minute load average when the run started. */
  loadAverage: number;
}

function cpuModel(): string {
  const fromOs = cpus()[0]?.model.trim();
  if (fromOs !== undefined && fromOs !== '') return fromOs;
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Describes this machine: CPU model, cores, memory, OS, Node version, date and current load.
 *
 * @returns the description
 *
 * @example
 * ```ts
 * const { cpuModel, cores } = describeMachine();
 * ```
 */
export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: loadavg()[0] ?? 0,
  };
}
