import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { benchmarks, type Benchmark, type BenchmarkOutput } from "./registry.ts";
import { renderResultsHtml } from "./comparison/html.ts";

/**
 * `npm run bench [name...]`: runs each benchmark in its own Node process (so peak memory is
 * that benchmark's alone), prints a table, checks targets and writes bench/results.json.
 */

const RESULTS = fileURLToPath(new URL("./results.json", import.meta.url));
const RESULTS_HTML = fileURLToPath(new URL("./results.html", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const CHILD_FLAG = "--child";

export interface BenchResult {
  readonly description: string;
  readonly figures: Record<string, number>;
  readonly rows?: readonly object[];
  readonly [extra: string]: unknown;
  readonly targets: Record<string, number>;
  readonly metTargets: boolean;
  readonly ranAt: string;
  readonly node: string;
}

const find = (name: string): Benchmark => {
  const benchmark = benchmarks.find((candidate) => candidate.name === name);
  if (!benchmark) throw new Error(`unknown benchmark "${name}" (known: ${benchmarks.map((known) => known.name).join(", ")})`);
  return benchmark;
};

const isOutput = (value: Record<string, number> | BenchmarkOutput): value is BenchmarkOutput => typeof value["figures"] === "object";

const runInChild = (name: string): BenchmarkOutput => {
  const output = execFileSync(process.execPath, [SELF, CHILD_FLAG, name], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
  const parsed = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as Record<string, number> | BenchmarkOutput;
  return isOutput(parsed) ? parsed : { figures: parsed, rows: [] };
};

const readPrevious = (): Record<string, BenchResult> => {
  try {
    return JSON.parse(readFileSync(RESULTS, "utf8")) as Record<string, BenchResult>;
  } catch {
    return {};
  }
};

const printTable = (results: Record<string, BenchResult>): void => {
  const rows = Object.entries(results).flatMap(([name, result]) =>
    Object.entries(result.figures).map(([figure, value]) => {
      const target = result.targets[figure];
      const verdict = target === undefined ? "" : value <= target ? `≤ ${target} ok` : `> ${target} MISSED`;
      return [name, figure, String(value), verdict];
    }),
  );
  const header = ["benchmark", "figure", "value", "target"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  console.log([line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n"));
};

const main = async (): Promise<void> => {
  const args = process.argv.slice(2);
  if (args[0] === CHILD_FLAG) {
    console.log(JSON.stringify(await find(args[1] ?? "").run()));
    return;
  }
  const selected = args.length > 0 ? args.map(find) : benchmarks;
  const results: Record<string, BenchResult> = {};
  for (const benchmark of selected) {
    console.error(`running ${benchmark.name}: ${benchmark.description}`);
    const { figures, rows, ...extra } = runInChild(benchmark.name);
    const targets = { ...benchmark.targets };
    const metTargets = Object.entries(targets).every(([figure, target]) => (figures[figure] ?? Number.POSITIVE_INFINITY) <= target);
    results[benchmark.name] = {
      description: benchmark.description,
      figures,
      targets,
      metTargets,
      ranAt: new Date().toISOString(),
      node: process.version,
      ...(rows.length > 0 ? { rows, ...extra } : {}),
    };
  }
  printTable(results);
  const all = { ...readPrevious(), ...results };
  writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
  writeFileSync(RESULTS_HTML, renderResultsHtml(all));
  console.log(`wrote ${RESULTS}\nwrote ${RESULTS_HTML}`);
  if (Object.values(results).some((result) => !result.metTargets)) process.exitCode = 1;
};

await main();
