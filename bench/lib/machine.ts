/** The machine a run happened on, so that figures are read with it in mind. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  date: string;
  cores: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  loadAtStart: [number, number, number];
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpuModel: cpuModel(),
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAtStart: loadavg().map((value) => Math.round(value * 100) / 100) as [number, number, number],
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: fall back to what os.cpus() says
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machineLine(machine: Machine): string {
  const [one, five, fifteen] = machine.loadAtStart;
  return `${machine.cores} cores (${machine.cpuModel}), ${machine.ramGiB} GiB RAM, Node ${machine.node}, load average ${one} / ${five} / ${fifteen} at start`;
}

export function loadNow(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}
