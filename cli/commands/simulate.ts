import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { Listr } from "listr2";
import { renderHtmlReport } from "../../sim/report/html.ts";
import type { SimulationReport, Strategy } from "../../sim/report/report.ts";
import { loadScenario, loadScenarioFile, scenarioNames } from "../../sim/scenarios.ts";
import { simulate } from "../../sim/simulate.ts";
import type { Progress } from "../../sim/simulate.ts";
import { EXIT_CODES } from "../errors.ts";
import { formatScalingComparison, formatSummary } from "../summary.ts";

interface SimulateFlags {
  scenario?: string;
  config?: string;
  seed?: number;
  strategy?: Strategy;
  compare?: Strategy;
  json?: string;
  html?: string;
  progress: boolean;
}

const parseSeed = (value: string): number => {
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError("the seed must be a whole number ≥ 0");
  return seed;
};

async function writeCreatingFolder(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

const describeProgress = (progress: Progress): string => {
  const batch = progress.batch === undefined ? "" : `batch ${progress.batch + 1}/${progress.batches ?? "?"} · `;
  return `${batch}${progress.phase} · t=${Math.round(progress.elapsedSeconds)}s · healthy ${progress.healthyInstances} · connections ${progress.connections} · forced ${progress.forcedDisconnects}`;
};

async function runWithProgress(title: string, work: (onProgress: (progress: Progress) => void) => Promise<SimulationReport>, live: boolean): Promise<SimulationReport> {
  if (!live) return work(() => undefined);
  let report: SimulationReport | undefined;
  await new Listr(
    [
      {
        title,
        task: async (_context, task) => {
          report = await work((progress) => {
            task.output = describeProgress(progress);
          });
          task.title = `${title}: ${report.outcome} in ${report.durationSeconds} virtual s (${report.wallSeconds} s wall)`;
        },
        rendererOptions: { outputBar: 1 },
      },
    ],
    { renderer: "default", fallbackRenderer: "simple", rendererOptions: { collapseErrors: false } },
  ).run();
  if (!report) throw new Error("the simulation produced no report");
  return report;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command("simulate")
    .description("run a scenario on the local AWS emulator (offline, no AWS account) and report what happened")
    .addOption(new Option("--scenario <name>", `a built-in scenario: ${scenarioNames().join(", ")}`).conflicts("config"))
    .option("--config <file>", "a scenario config file (JSON: fleet, targetGroup, clients, app, run, faults, seed)")
    .option("--seed <n>", "seed for every random choice (same seed, same report)", parseSeed)
    .addOption(new Option("--strategy <name>", "who rolls the fleet: ebb, or a baseline").choices(["ebb", "seed-script", "instance-refresh", "cpu-policy"]))
    .addOption(new Option("--compare <name>", "run the scenario a second time with this strategy and print the two side by side (traffic scenarios: their scaling figures)").choices(["ebb", "seed-script", "instance-refresh", "cpu-policy"]))
    .option("--json <path>", "write the report as JSON (with --compare, both reports in an array)")
    .option("--html <path>", "write a page with charts over virtual time")
    .option("--no-progress", "no live progress display")
    .addHelpText("after", "\nExit codes: 0 Succeeded, 1 RolledBack / Failed / Aborted, 2 bad usage or scenario config (nothing ran).")
    .action(async (flags: SimulateFlags) => {
      const overrides = flags.seed === undefined ? {} : { seed: flags.seed };
      const config = flags.config
        ? await loadScenarioFile(flags.config, overrides)
        : loadScenario(flags.scenario ?? "rolling-deploy", overrides);
      const live = flags.progress && process.stdout.isTTY === true;
      const report = await runWithProgress(
        `Simulating ${config.scenario} (seed ${config.seed})`,
        (onProgress) => simulate(config, { strategy: flags.strategy, onProgress }),
        live,
      );
      process.stdout.write(`${formatSummary(report)}\n`);
      const reports = [report];
      if (flags.compare !== undefined) {
        const compare = flags.compare;
        const other = await runWithProgress(`Simulating ${config.scenario} (seed ${config.seed}, ${compare})`, (onProgress) => simulate(config, { strategy: compare, onProgress }), live);
        process.stdout.write(`${formatSummary(other)}\n${formatScalingComparison([report, other])}\n`);
        reports.push(other);
      }
      if (flags.json) {
        await writeCreatingFolder(flags.json, `${JSON.stringify(reports.length === 1 ? report : reports, null, 2)}\n`);
        process.stdout.write(`wrote the JSON report to ${resolve(flags.json)}\n`);
      }
      if (flags.html) {
        await writeCreatingFolder(flags.html, await renderHtmlReport(report));
        process.stdout.write(`wrote the HTML report to ${resolve(flags.html)}\n`);
      }
      process.exitCode = reports.every((each) => each.outcome === "Succeeded") ? EXIT_CODES.succeeded : EXIT_CODES.failed;
    });
}
