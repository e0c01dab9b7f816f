/** Says, from measured CPU figures, what limited a run. */
import type { CpuReport } from './report';
import { round } from './stats';

export function cpuBoundText(cpu: CpuReport): string {
  const ours = Object.values(cpu.byProcess).reduce((s, p) => s + p.cores, 0);
  const others = Math.max(0, cpu.machineBusyCores - ours);
  const parts = Object.entries(cpu.byProcess)
    .sort((a, b) => b[1].cores - a[1].cores)
    .map(([name, s]) => `${name} ${s.cores.toFixed(2)}`);
  const saturated = cpu.machineBusyCores >= 0.85 * cpu.cores;
  const top = Object.entries(cpu.byProcess).sort((a, b) => b[1].cores - a[1].cores)[0];
  return (
    `${saturated ? 'CPU-bound: the machine was saturated' : 'not CPU-saturated'} ` +
    `(${cpu.machineBusyCores.toFixed(2)} of ${cpu.cores} cores busy on average; ours: ${parts.join(', ')}; ` +
    `other processes on the shared machine ${round(others, 2).toFixed(2)})` +
    (top ? `; the largest consumer is ${top[0]}` : '')
  );
}
