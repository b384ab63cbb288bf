import { runChaosCase } from "./suite.ts";

/** One chaos run in a process of its own (what the suite spawns): prints its result as JSON on the last line. */
const [seed, index] = process.argv.slice(2).map(Number);
const result = await runChaosCase(seed ?? 0, index ?? 0);
process.stdout.write(`\n${JSON.stringify(result)}\n`);
process.exit(0);
