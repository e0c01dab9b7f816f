import { createHash, timingSafeEqual } from 'node:crypto';
import type { Env } from '../../../common/config';
import type { KeyRole } from './policy';

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Keys shorter than this are accepted but reported at startup (without the key). */
export const RECOMMENDED_KEY_LENGTH = 16;

/**
 * The configured keys, kept only as SHA-256 digests: comparing digests takes the same time
 * whatever the key's length, and timingSafeEqual takes the same time whatever the content.
 * Every digest is compared (no early exit), so the time does not say which key matched.
 */
export class ApiKeys {
  private constructor(private readonly entries: readonly { digest: Buffer; role: KeyRole }[]) {}

  static fromEnv(env: Pick<Env, 'API_KEYS' | 'ADMIN_API_KEYS'>): ApiKeys {
    const admin = new Set(env.ADMIN_API_KEYS);
    const user = new Set(env.API_KEYS.filter((k) => !admin.has(k))); // a key in both lists is an admin key
    return new ApiKeys([
      ...[...admin].map((k) => ({ digest: sha256(k), role: 'admin' as const })),
      ...[...user].map((k) => ({ digest: sha256(k), role: 'user' as const })),
    ]);
  }

  /** Keys are asked for only when at least one is configured. */
  get enabled(): boolean {
    return this.entries.length > 0;
  }

  /** How many configured keys are shorter than RECOMMENDED_KEY_LENGTH (for a startup warning). */
  static shortKeys(env: Pick<Env, 'API_KEYS' | 'ADMIN_API_KEYS'>): number {
    return [...new Set([...env.API_KEYS, ...env.ADMIN_API_KEYS])].filter(
      (k) => k.length < RECOMMENDED_KEY_LENGTH,
    ).length;
  }

  /** The role of a presented key, or undefined when it is not one of ours. */
  roleOf(key: string): KeyRole | undefined {
    const given = sha256(key);
    let role: KeyRole | undefined;
    for (const e of this.entries) {
      const match = timingSafeEqual(e.digest, given);
      if (match && role === undefined) role = e.role;
    }
    return role;
  }
}

export interface KeyHeaders {
  authorization?: string;
  'x-api-key'?: string | string[];
}

/**
 * The key a request presents: `X-API-Key: <key>`, else `Authorization: Bearer <key>`. Another
 * Authorization scheme (e.g. a proxy's Basic) is not a key. Undefined when none is presented.
 */
export function presentedKey(h: KeyHeaders): string | undefined {
  const header = Array.isArray(h['x-api-key']) ? h['x-api-key'][0] : h['x-api-key'];
  const x = header?.trim();
  if (x) return x;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(h.authorization ?? '');
  return m?.[1];
}
