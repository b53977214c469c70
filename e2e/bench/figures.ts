// A benchmark's figures, for `cargo xtask bench`'s one table and its JSON: each appended as a
// JSON line to the file xtask names in TOKHAI_BENCH_FIGURES (and printed by the bench itself
// as before). Without that variable, a bench run by hand only prints.
import { appendFileSync } from 'node:fs';

export interface Budget {
  limit: number;
  /// Whether the figure must stay at or below the limit (sizes, times) or reach it (scores).
  atMost: boolean;
}

export function figure(bench: string, name: string, value: number | string, unit: string, budget?: Budget) {
  const file = process.env.TOKHAI_BENCH_FIGURES;
  if (!file) return;
  if (!Number.isFinite(Number(value))) {
    console.log(`${bench}: no value for "${name}" (${value})`);
    return;
  }
  appendFileSync(file, `${JSON.stringify({ bench, name, value: Number(value), unit, budget: budget ?? null })}\n`);
}

export const atMost = (limit: number): Budget => ({ limit, atMost: true });
export const atLeast = (limit: number): Budget => ({ limit, atMost: false });
