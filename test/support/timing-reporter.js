'use strict';
// A Jest reporter that ends every run with how long each suite file took, slowest first, and
// the totals per project: the CI log then shows where the minutes go (issue 16).
//
// Per project, "sum" adds the suites' own durations (the work); "wall" runs from the first
// suite's start to the last one's end (what waiting for that project cost, suites in parallel
// overlapping). Plain CommonJS, so Jest loads it without a transform.
const path = require('node:path');

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function projectOf(result) {
  const d = result.displayName;
  return (typeof d === 'string' ? d : d && d.name) || '(default)';
}

function statusOf(result) {
  if (result.testExecError || result.numFailingTests > 0) return 'FAIL';
  return result.skipped ? 'skip' : 'pass';
}

/** Rows as aligned text columns; numbers (and durations) to the right. */
function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const right = header.map((_h, i) => rows.every((r) => /^[\d.]+( s)?$/.test(String(r[i]))));
  const line = (cells) =>
    cells
      .map((c, i) => (right[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

class TimingReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const suites = results.testResults.map((r) => ({
      file: path.relative(this.rootDir, r.testFilePath),
      project: projectOf(r),
      status: statusOf(r),
      start: r.perfStats.start,
      end: r.perfStats.end,
      // A suite that failed to load has no timings.
      ms: r.perfStats.end && r.perfStats.start ? r.perfStats.end - r.perfStats.start : 0,
      tests: r.numPassingTests + r.numFailingTests + r.numPendingTests,
    }));
    if (suites.length === 0) return;
    suites.sort((a, b) => b.ms - a.ms);

    const projects = new Map();
    for (const s of suites) {
      const p = projects.get(s.project) ?? { suites: 0, ms: 0, start: Infinity, end: 0 };
      p.suites++;
      p.ms += s.ms;
      if (s.start) p.start = Math.min(p.start, s.start);
      p.end = Math.max(p.end, s.end);
      projects.set(s.project, p);
    }
    const totals = [...projects.entries()]
      .sort(([, a], [, b]) => b.ms - a.ms)
      .map(([name, p]) => [
        name,
        p.suites,
        seconds(p.ms),
        seconds(p.end > p.start ? p.end - p.start : 0),
      ]);

    const out = [
      '',
      `Suite timings (${suites.length} files, slowest first):`,
      table(
        ['suite', 'project', 'tests', 'status', 'time'],
        suites.map((s) => [s.file, s.project, s.tests, s.status, seconds(s.ms)]),
      ),
      '',
      'Per project:',
      table(['project', 'suites', 'sum', 'wall'], totals),
      `Whole run: ${seconds(Date.now() - results.startTime)}`,
      '',
    ];
    process.stderr.write(out.join('\n') + '\n');
  }
}

module.exports = TimingReporter;
