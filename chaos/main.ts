import { parseArgs } from "node:util";
import { describeMix, runChaosCaseIsolated } from "./suite.ts";

/**
 * `npm run chaos -- --runs N --seed S [--from I] [--only I]`: N runs, each a random fault mix
 * drawn from (S, run index) alone, so `--only I` replays run I of seed S exactly. Prints every
 * run, the fault mix and broken invariants of each failing one, and ends with `N passed, N failed`.
 */
function options(): { runs: number; seed: number; from: number } {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "20" }, seed: { type: "string", default: "1" }, from: { type: "string", default: "0" }, only: { type: "string" } },
    allowPositionals: false,
  });
  const whole = (name: string, text: string, min: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      console.error(`chaos: --${name} must be a whole number ≥ ${min} (got "${text}")`);
      process.exit(2);
    }
    return value;
  };
  const seed = whole("seed", values.seed, 0);
  if (values.only !== undefined) return { runs: 1, seed, from: whole("only", values.only, 0) };
  return { runs: whole("runs", values.runs, 1), seed, from: whole("from", values.from, 0) };
}

async function main(): Promise<void> {
  const { runs, seed, from } = options();
  let passed = 0;
  let failed = 0;
  for (let index = from; index < from + runs; index++) {
    const result = await runChaosCaseIsolated(seed, index);
    const mix = describeMix(result.chaos);
    if (result.violations.length === 0) {
      passed += 1;
      console.log(`ok   seed ${seed} run ${index} · ${result.outcome} · ${result.wallSeconds.toFixed(1)} s · ${mix}`);
      continue;
    }
    failed += 1;
    console.log(`FAIL seed ${seed} run ${index} · ${result.outcome} · ${result.wallSeconds.toFixed(1)} s · ${mix}`);
    for (const violation of result.violations) console.log(`     invariant: ${violation.invariant}: ${violation.detail}`);
    console.log(`     replay: npm run chaos -- --seed ${seed} --only ${index}`);
    console.log(`     mix: ${JSON.stringify(result.chaos)}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
