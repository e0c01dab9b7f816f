/** DI tokens for the platform's shared parts (built outside Nest so tests can pass their own). */
export const CONFIG = Symbol('CONFIG');
export const PRISMA = Symbol('PRISMA');
export const TEMPORAL = Symbol('TEMPORAL');
