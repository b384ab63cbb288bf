import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "rolldown";
import type { Benchmark } from "../registry.ts";
import { round } from "../measure.ts";

const FUNCTIONS = fileURLToPath(new URL("../../functions/", import.meta.url));
const IMPORT_RUNS = 5;

/**
 * Bundled the way SST ships a nodejs22.x function: one minified ESM file for node22, every
 * dependency (the AWS SDK too) inside it. esbuild is not installed here; rolldown, which vitest
 * already brings, takes the same options.
 */
export const bundleHandler = async (entry: string, outFile: string): Promise<void> => {
  await build({
    input: entry,
    platform: "node",
    logLevel: "silent",
    transform: { target: "node22" },
    output: { file: outFile, format: "esm", minify: true, codeSplitting: false },
    write: true,
  });
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Time to import the bundle in a fresh Node process: module evaluation, what a cold start pays. */
const coldImportMs = (file: string): number => {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});console.log(performance.now()-t)`;
  const runs = Array.from({ length: IMPORT_RUNS }, () =>
    Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).trim()),
  );
  return median(runs);
};

export const handlerFiles = (): string[] =>
  readdirSync(FUNCTIONS)
    .filter((file) => file.endsWith(".ts"))
    .sort();

export const lambdaBundles: Benchmark = {
  name: "lambda-bundles",
  description: "every functions/*.ts bundled as SST ships it (minified ESM, node22, SDK inside): size and cold import",
  targets: { maxSizeKb: 400, maxColdImportMs: 150 },
  async run() {
    const out = mkdtempSync(join(tmpdir(), "ebb-bundles-"));
    const rows: { function: string; sizeKb: number; coldImportMs: number }[] = [];
    try {
      for (const file of handlerFiles()) {
        const name = file.replace(/\.ts$/, "");
        const outFile = join(out, `${name}.mjs`);
        await bundleHandler(join(FUNCTIONS, file), outFile);
        rows.push({ function: name, sizeKb: round(statSync(outFile).size / 1024, 0), coldImportMs: round(coldImportMs(outFile), 1) });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    console.error(rows.map((row) => `${row.function.padEnd(30)} ${String(row.sizeKb).padStart(6)} KB ${String(row.coldImportMs).padStart(7)} ms`).join("\n"));
    const figures = {
      maxSizeKb: Math.max(...rows.map((row) => row.sizeKb)),
      maxColdImportMs: Math.max(...rows.map((row) => row.coldImportMs)),
    };
    return { figures, rows };
  },
};
