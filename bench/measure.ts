/** Runs `fn` sequentially for a warm-up and then `iterations` times; returns calls per second and µs per call. */
export async function measure(
  iterations: number,
  fn: (i: number) => Promise<unknown>,
  warmup = Math.min(200, iterations),
) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await fn(i);
  const ms = performance.now() - started;
  return {
    perSecond: Math.round((iterations / ms) * 1000),
    microsPerCall: Math.round((ms / iterations) * 1000 * 10) / 10,
  };
}

export type Figures = Awaited<ReturnType<typeof measure>>;

/** Alternates two measurements several rounds and keeps each one's best, so a noisy moment hurts both alike. */
export async function compare(rounds: number, a: () => Promise<Figures>, b: () => Promise<Figures>) {
  let bestA: Figures | undefined;
  let bestB: Figures | undefined;
  for (let r = 0; r < rounds; r++) {
    const x = await a();
    const y = await b();
    if (!bestA || x.microsPerCall < bestA.microsPerCall) bestA = x;
    if (!bestB || y.microsPerCall < bestB.microsPerCall) bestB = y;
  }
  return {
    a: bestA as Figures,
    b: bestB as Figures,
    ratio: Math.round(((bestA as Figures).microsPerCall / (bestB as Figures).microsPerCall) * 100) / 100,
  };
}
