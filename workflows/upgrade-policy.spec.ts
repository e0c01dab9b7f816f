import fs from 'node:fs';
import path from 'node:path';
import type { FixtureIndex } from '../test/histories/fixture-index';
import { PATCHES } from './patches';

/**
 * The checkable half of the upgrade policy (docs/OPERATORS.md, "Deploying a new version while
 * batches run"): every patch in the workflow code is registered in workflows/patches.ts in the
 * state the code says, with histories recorded before it (without its marker) and after it (with
 * it), and every workflow type has histories. workflows/replay.spec.ts then replays them all.
 */
const dir = path.join(__dirname, '..', 'test', 'fixtures', 'histories');
const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as FixtureIndex;
const fixtures = Object.values(index);

const sources = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && f !== 'patches.ts')
  .map((f) => ({ file: f, text: fs.readFileSync(path.join(__dirname, f), 'utf8') }));

/** Every patched()/deprecatePatch() call in the workflow sources: [file, kind, id]. */
function patchCalls(): { file: string; kind: 'patched' | 'deprecated'; id: string }[] {
  return sources.flatMap(({ file, text }) =>
    [...text.matchAll(/\b(patched|deprecatePatch)\(\s*'([^']+)'\s*\)/g)].map((m) => ({
      file,
      kind: m[1] === 'patched' ? ('patched' as const) : ('deprecated' as const),
      id: m[2],
    })),
  );
}

describe('upgrade policy', () => {
  it('every patched()/deprecatePatch() takes a literal id, so the checks below can see it', () => {
    const calls = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/\b(patched|deprecatePatch)\(([^)]*)\)/g)]
        .filter((m) => !/^\s*'[^']+'\s*$/.test(m[2]))
        .map((m) => `${file}: ${m[0]}`),
    );
    expect(calls).toEqual([]);
  });

  it('finds the patches the code has (the scan works)', () => {
    expect(patchCalls().map((c) => c.id)).toEqual(
      expect.arrayContaining(['close-lost-attempts-of-failed-story', 'budget-reservations']),
    );
  });

  it('every patch in the code is in workflows/patches.ts in the same state, and no other', () => {
    const inCode = patchCalls()
      .map((c) => `${c.id}: ${c.kind}`)
      .sort();
    const registered = PATCHES.map((p) => `${p.id}: ${p.state}`).sort();
    expect(inCode).toEqual(registered);
  });

  it.each(PATCHES.map((p) => [p.id, p] as const))(
    '%s: histories from before the patch (no marker) and after it (marker) are committed',
    (id, p) => {
      const before = p.historiesBefore.map((f) => ({ f, e: index[f] }));
      if (p.state === 'patched') {
        expect(before.length).toBeGreaterThan(0);
        for (const { f, e } of before) {
          expect({ f, listed: Boolean(e) }).toEqual({ f, listed: true });
          expect({ f, type: e.workflowType, marker: e.patches.includes(id) }).toEqual({
            f,
            type: p.workflowType,
            marker: false,
          });
        }
      } else {
        // deprecatePatch() takes the new path unconditionally: pre-patch histories no longer replay.
        expect(before.filter(({ e }) => e)).toEqual([]);
      }
      const after = fixtures.filter((e) => e.patches.includes(id));
      expect(after.map((e) => e.workflowType)).toContain(p.workflowType);
    },
  );

  it('every workflow type the worker registers has recorded histories', () => {
    const exported = [
      ...fs
        .readFileSync(path.join(__dirname, 'index.ts'), 'utf8')
        .matchAll(/export \{([^}]*)\} from/g),
    ].flatMap((m) =>
      m[1]
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.endsWith('Workflow')),
    );
    expect(exported).toHaveLength(4);
    const recorded = new Set(fixtures.map((e) => e.workflowType));
    expect(exported.filter((t) => !recorded.has(t))).toEqual([]);
  });
});
