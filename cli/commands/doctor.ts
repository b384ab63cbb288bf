import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_CLIENT_TIMEOUTS, runDoctor, type DoctorClients, type DoctorReport, type Finding } from "../../core/doctor/index.ts";
import { readLock } from "../../core/lock.ts";
import { createServiceClients } from "../../core/clients/every-client.ts";
import type { StageConfig } from "../../core/stage.ts";
import { createAwsClients } from "../../sim/aws-clients.ts";
import { simulationStage } from "../../sim/local/stage.ts";
import { loadScenario, loadScenarioFile, scenarioNames } from "../../sim/scenarios.ts";
import { World } from "../../sim/world.ts";
import { EXIT_CODES } from "../errors.ts";
import { EXIT_CODES_HELP } from "../help.ts";
import { operate } from "../operate.ts";
import { outputOption, printJson, processOutput, writeOutputFile, type CommandOutput, type OutputFormat } from "../output.ts";
import { addTargetOptions, type TargetFlags } from "../target.ts";

export interface DoctorFlags extends TargetFlags {
  scenario?: string;
  config?: string;
  group?: string;
  json?: string;
  output: OutputFormat;
  heartbeatSeconds: number;
  heartbeatGraceSeconds: number;
  marginSeconds: number;
}

/**
 * Virtual seconds an in-process scenario runs before it is examined: past CloudWatch's ingestion
 * delay and a few metric periods, so connection counts and target health are there to read.
 */
const LOCAL_SETTLE_SECONDS = 180;

const SEVERITY_LABELS = { error: "ERROR  ", warning: "WARNING", info: "INFO   " } as const;

export function findingLines(finding: Finding): string[] {
  return [
    `${SEVERITY_LABELS[finding.severity]} ${finding.id}  ${finding.resource}`,
    `        ${finding.what}`,
    `        why: ${finding.why}`,
    `        fix: ${finding.fix.api}`,
    ...(finding.fix.sst === undefined ? [] : [`        sst: ${finding.fix.sst}`]),
    ...(finding.fix.terraform === undefined ? [] : [`        terraform: ${finding.fix.terraform}`]),
  ];
}

export function reportLines(report: DoctorReport): string[] {
  return [
    ...report.groups.flatMap((group) => [`${group.autoScalingGroupName}:`, ...(group.findings.length === 0 ? ["  nothing found"] : group.findings.flatMap(findingLines)), ""]),
    `${report.counts.error} errors, ${report.counts.warning} warnings, ${report.counts.info} notes (stage ${report.stage}, checked at ${report.checkedAt})`,
  ];
}

async function emit(report: DoctorReport, flags: DoctorFlags, output: CommandOutput): Promise<number> {
  if (flags.json !== undefined) await writeOutputFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.output === "json") printJson(output, report);
  else for (const line of reportLines(report)) output.out(line);
  return report.counts.error > 0 ? EXIT_CODES.failed : EXIT_CODES.succeeded;
}

const contextOf = (stage: StageConfig, flags: DoctorFlags) => ({
  stage,
  clients: { heartbeatSeconds: flags.heartbeatSeconds, heartbeatGraceSeconds: flags.heartbeatGraceSeconds, marginSeconds: flags.marginSeconds },
});

/** A scenario examined in this process: the emulator's world with no server, read through real SDK clients. */
async function doctorScenario(flags: DoctorFlags, output: CommandOutput): Promise<number> {
  const config = flags.config === undefined ? loadScenario(flags.scenario ?? "rolling-deploy") : await loadScenarioFile(flags.config);
  const world = new World(config);
  world.advance(LOCAL_SETTLE_SECONDS);
  const { runtime: stage } = await simulationStage(world);
  const clients: DoctorClients = createAwsClients(world);
  const report = await runDoctor(clients, contextOf(stage, flags), { now: world.clock.now(), ...(flags.group === undefined ? {} : { groups: [flags.group] }) });
  return emit(report, flags, output);
}

export async function runDoctorCommand(flags: DoctorFlags, output: CommandOutput = processOutput): Promise<number> {
  if (flags.scenario !== undefined || flags.config !== undefined || (flags.local === true && flags.endpoint === undefined)) return doctorScenario(flags, output);
  return operate(flags, output, {}, async (operation) => {
    const clients = createServiceClients(operation.target.clientConfig);
    try {
      const report = await runDoctor(clients, contextOf(operation.runtime.stage, flags), {
        now: await operation.target.now(),
        ...(flags.group === undefined ? {} : { groups: [flags.group] }),
        deployInProgress: async (group) => (await readLock(operation.runtime, group)) !== undefined,
      });
      return await emit(report, flags, output);
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
  });
}

const parseSeconds = (value: string): number => {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) throw new InvalidArgumentError("expected whole seconds ≥ 0");
  return seconds;
};

export function registerDoctorCommand(program: Command): void {
  const command = program
    .command("doctor")
    .description("read the fleet's real configuration through the APIs and check it against the checklists and against itself (timeouts, health checks, hooks, registration, TLS)")
    .addOption(new Option("--scenario <name>", `with --local: examine a built-in scenario in this process (${scenarioNames().join(", ")})`).conflicts("config"))
    .option("--config <file>", "with --local: examine a scenario config file in this process")
    .option("--group <name>", "only this Auto Scaling group (default: every group of the stage)")
    .option("--json <path>", "also write the report as JSON to this file")
    .option("--heartbeat-seconds <n>", "how often clients send a heartbeat (seeds/003: 25)", parseSeconds, DEFAULT_CLIENT_TIMEOUTS.heartbeatSeconds)
    .option("--heartbeat-grace-seconds <n>", "how long a client waits for a missed heartbeat (seeds/003: 25)", parseSeconds, DEFAULT_CLIENT_TIMEOUTS.heartbeatGraceSeconds)
    .option("--margin-seconds <n>", "margin the idle timeout keeps beyond heartbeat + grace (seeds/003: 30)", parseSeconds, DEFAULT_CLIENT_TIMEOUTS.marginSeconds)
    .addOption(outputOption());
  addTargetOptions(command)
    .addHelpText("after", `\nExamples:\n  ebb doctor --stage prod\n  ebb doctor --local --scenario misconfigured --json out.json\n${EXIT_CODES_HELP}`)
    .action(async (flags: DoctorFlags) => {
      process.exitCode = await runDoctorCommand(flags);
    });
}
