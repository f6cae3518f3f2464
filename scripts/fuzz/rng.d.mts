// Types of rng.mjs, for the TypeScript tests that share its generator.
export function mulberry32(seed: number): () => number;
export function hashSeed(...parts: Array<string | number>): number;
export class Rng {
  constructor(seed: number);
  next: () => number;
  int(n: number): number;
  range(lo: number, hi: number): number;
  pick<T>(array: readonly T[]): T;
  chance(p: number): boolean;
}
