/** Small helpers for printing bench figures consistently. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): { p50: number; p95: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

export function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

export function figure(name: string, value: string, goal?: { met: boolean; text: string }): void {
  const verdict = goal === undefined ? '' : `   (goal ${goal.text}: ${goal.met ? 'met' : 'MISSED'})`;
  console.log(`  ${name.padEnd(58)} ${value}${verdict}`);
}

export function section(title: string): void {
  console.log(`\n== ${title}`);
}
