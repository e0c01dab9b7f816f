/**
 * Linux /proc readers for the bench: memory high-water marks, CPU time per process (tree), and
 * machine-wide CPU use (the machine is shared, so the report says how busy it was).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on every Linux we run on

function readFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** VmHWM / VmRSS of a process in MB (undefined once it is gone). */
export function memoryMb(pid: number): { hwmMb: number; rssMb: number } | undefined {
  const status = readFile(`/proc/${pid}/status`);
  if (!status) return undefined;
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { hwmMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** utime + stime of one process, in seconds. */
export function cpuSeconds(pid: number): number | undefined {
  const stat = readFile(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLK_TCK;
}

export interface ProcEntry {
  comm: string;
  ppid: number;
  cpuSeconds: number;
  /** cutime + cstime: CPU of the children it has reaped. */
  reapedChildrenCpuSeconds: number;
}

/** One /proc scan: every process by pid. */
export type ProcessTable = Map<number, ProcEntry>;

/** One pass over /proc: name, parent and CPU time of every process. */
function scanProcesses(): ProcessTable {
  const out: ProcessTable = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readFile(`/proc/${entry}/stat`);
    if (!stat) continue;
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    out.set(Number(entry), {
      comm: stat.slice(stat.indexOf('(') + 1, close),
      ppid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLK_TCK,
      reapedChildrenCpuSeconds: (Number(fields[13]) + Number(fields[14])) / CLK_TCK,
    });
  }
  return out;
}

/**
 * CPU seconds of the local PostgreSQL server: every `postgres` process (postmaster, background
 * workers, all backends, whoever they serve), plus what the postmaster's exited children used
 * (a backend that ends during a measurement keeps counting). Deltas only: the total is lifetime.
 */
export function postgresCpuSeconds(procs: ProcessTable = scanProcesses()): number {
  let sum = 0;
  for (const e of procs.values()) {
    if (e.comm !== 'postgres') continue;
    sum += e.cpuSeconds;
    if (procs.get(e.ppid)?.comm !== 'postgres') sum += e.reapedChildrenCpuSeconds; // the postmaster
  }
  return sum;
}

/** The process and all its live descendants, from one scan. */
function treeOf(procs: Map<number, ProcEntry>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, e] of procs) children.set(e.ppid, [...(children.get(e.ppid) ?? []), pid]);
  const all = procs.has(root) ? [root] : [];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  return all;
}

/** Direct children of a process. */
export function childPids(pid: number): number[] {
  return [...scanProcesses()].filter(([, e]) => e.ppid === pid).map(([p]) => p);
}

/** CPU seconds used by a process and its live descendants. */
export function treeCpuSeconds(pid: number, procs = scanProcesses()): number {
  return treeOf(procs, pid).reduce((sum, p) => sum + (procs.get(p)?.cpuSeconds ?? 0), 0);
}

/** Machine-wide jiffies: busy and total, from the first line of /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = (readFile('/proc/stat') ?? '').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  kernel: string;
  loadAverageAtStart: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export interface CpuShare {
  /** CPU seconds used during the window. */
  cpuSeconds: number;
  /** Average cores busy during the window (1.0 = one core flat out). */
  cores: number;
}

/**
 * What a CpuMeter entry reads: a pid, several pids (summed), or a reader of its own over the
 * current /proc scan (PostgreSQL, a cluster's process groups).
 */
export type CpuSource = number | readonly number[] | ((procs: ProcessTable) => number);

/**
 * CPU used by named processes (trees) between start() and stop(), plus how busy the whole
 * machine was (other engineers' tests included), and the peak RSS of the watched pids.
 */
export class CpuMeter {
  private readonly startCpu = new Map<string, number>();
  private readonly lastCpu = new Map<string, number>();
  private startMachine = machineCpu();
  private startedAt = performance.now();
  private timer?: NodeJS.Timeout;
  private readonly peakRss = new Map<string, number>();

  /**
   * @param pids processes to account, by name
   * @param trees names whose descendants count too (the dev server runs under a supervisor);
   *   the others count alone (the bench process is the parent of the worker and API).
   */
  constructor(
    private readonly pids: Record<string, CpuSource>,
    private readonly trees: readonly string[] = ['temporal'],
  ) {}

  private cpuOf(name: string, source: CpuSource, procs: ProcessTable): number {
    if (typeof source === 'function') return source(procs);
    const one = (pid: number) =>
      this.trees.includes(name) ? treeCpuSeconds(pid, procs) : (procs.get(pid)?.cpuSeconds ?? 0);
    return typeof source === 'number'
      ? one(source)
      : source.reduce((sum, pid) => sum + one(pid), 0);
  }

  start(): void {
    this.startedAt = performance.now();
    this.startMachine = machineCpu();
    const procs = scanProcesses();
    for (const [name, pid] of Object.entries(this.pids)) {
      const c = this.cpuOf(name, pid, procs);
      this.startCpu.set(name, c);
      this.lastCpu.set(name, c);
    }
    // Trees change (the dev server's supervisor spawns the server); keep the last reading so a
    // process that exits before stop() still counts.
    this.timer = setInterval(() => this.sample(), 1_000);
    this.timer.unref();
  }

  private sample(): void {
    const procs = scanProcesses();
    for (const [name, pid] of Object.entries(this.pids)) {
      const c = this.cpuOf(name, pid, procs);
      if (c > 0) this.lastCpu.set(name, c);
      const m = this.trees.includes(name) || typeof pid !== 'number' ? undefined : memoryMb(pid);
      if (m) this.peakRss.set(name, Math.max(this.peakRss.get(name) ?? 0, m.rssMb));
    }
  }

  stop(): {
    wallSeconds: number;
    byProcess: Record<string, CpuShare>;
    machineBusyCores: number;
    cores: number;
  } {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const byProcess: Record<string, CpuShare> = {};
    for (const name of Object.keys(this.pids)) {
      const used = (this.lastCpu.get(name) ?? 0) - (this.startCpu.get(name) ?? 0);
      byProcess[name] = {
        cpuSeconds: round(used, 2),
        cores: round(used / Math.max(wallSeconds, 0.001), 2),
      };
    }
    const m = machineCpu();
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const busyShare =
      (m.busy - this.startMachine.busy) / Math.max(1, m.total - this.startMachine.total);
    return {
      wallSeconds: round(wallSeconds, 2),
      byProcess,
      machineBusyCores: round(busyShare * cores, 2),
      cores,
    };
  }

  peakRssMb(name: string): number | undefined {
    return this.peakRss.get(name);
  }
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
