import { createHash } from 'node:crypto';

// Deterministic randomness: everything the simulator "chooses" (sentences, jitter, whether a
// rate-based fault fires) comes from here, so a run with the same seed and inputs repeats.

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** 32-bit seed from any string (first 8 hex digits of its sha256). */
export function seed32(text: string): number {
  return parseInt(sha256Hex(text).slice(0, 8), 16) >>> 0;
}

/** mulberry32: tiny, fast, good enough for test choices; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** `count` distinct items in a seeded order (Fisher-Yates on a copy), so text never repeats. */
export function sample<T>(rand: () => number, items: readonly T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}
