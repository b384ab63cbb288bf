import { performance } from "node:perf_hooks";
import { Command, InvalidArgumentError, Option } from "commander";
import { requestLogFile, type RequestLog } from "../../emulator/protocol/request-log.ts";
import type { ScenarioConfig } from "../../sim/config/schema.ts";
import { serveLocalAccount } from "../../sim/local/account.ts";
import { loadScenario, loadScenarioFile, scenarioNames } from "../../sim/scenarios.ts";
import { World } from "../../sim/world.ts";
import { BadCommandInput } from "../errors.ts";

interface EmulatorFlags {
  port: number;
  scenario?: string;
  config?: string;
  speed: number;
  requestLog?: string;
}

/** --request-log, else $EBB_REQUEST_LOG; a path that cannot be written is refused before anything starts. */
function openRequestLog(path: string | undefined): RequestLog | undefined {
  if (path === undefined || path === "") return undefined;
  try {
    return requestLogFile(path, () => performance.now());
  } catch (error) {
    throw new BadCommandInput(`cannot write the request log ${path}`, [error instanceof Error ? error.message.replace(/^[A-Z]+: /, "") : String(error)]);
  }
}

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("the port must be a whole number from 0 to 65535");
  return port;
};

const parseSpeed = (value: string): number => {
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed < 0) throw new InvalidArgumentError("the speed must be a number ≥ 0");
  return speed;
};

async function loadConfig(flags: EmulatorFlags): Promise<ScenarioConfig> {
  return flags.config ? loadScenarioFile(flags.config) : loadScenario(flags.scenario ?? "rolling-deploy");
}

export function registerEmulatorCommand(program: Command): void {
  const command = program.command("emulator");
  command
    .description("serve the local AWS emulator, with Ebb installed, over HTTP on 127.0.0.1 (use it with --endpoint-url or AWS_ENDPOINT_URL; start a deploy with `ebb deploy`)")
    .option("--port <n>", "port to listen on (0 picks a free one)", parsePort, 0)
    .addOption(new Option("--scenario <name>", `a built-in scenario: ${scenarioNames().join(", ")}`).conflicts("config"))
    .option("--config <file>", "a scenario config file (JSON)")
    .addHelpText("after", "\nExit codes: 0 stopped by SIGINT/SIGTERM, 2 bad usage, scenario config or a port in use.")
    .option("--request-log <file>", "write one JSON line per AWS API request (service, action, statusCode, durationMs, virtualTime); default $EBB_REQUEST_LOG")
    .option("--speed <x>", "virtual seconds per real second (0: time moves only through POST /_ebb/advance?seconds=N)", parseSpeed, 1)
    .action(async (flags: EmulatorFlags) => {
      const config = await loadConfig(flags);
      const requestLog = openRequestLog(flags.requestLog ?? process.env["EBB_REQUEST_LOG"]);
      const world = new World(config);
      const account = await serveLocalAccount(world, { port: flags.port, speed: flags.speed, realNowMs: () => performance.now(), ...(requestLog === undefined ? {} : { requestLog }) }).catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== "EADDRINUSE") throw error;
        throw new BadCommandInput(`cannot listen on 127.0.0.1:${flags.port}`, ["the port is in use: choose another with --port, or --port 0 for a free one"]);
      });
      process.stdout.write(
        `ebb emulator listening on ${account.url} (scenario ${config.scenario}, speed ${flags.speed}×; ` +
          `admin: POST ${account.url}/_ebb/advance?seconds=N, GET ${account.url}/_ebb/state)\n` +
          `rolling-deploy state machine: ${account.stateMachineArn}\n`,
      );
      const shutdown = (): void => {
        // Stops DynamoDB (dynalite) too, then exits even if a deploy is still sleeping.
        void account.close().finally(() => process.exit(0));
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    });
}
