/**
 * mulberry32: a tiny seeded generator of numbers in [0, 1) — small, fast and the same on every
 * platform, which is all demo data and fault plans need (never for anything secret).
 * @example const random = mulberry32(7); random(); // always the same first number for seed 7
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
