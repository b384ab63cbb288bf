import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { ProblemListError } from "../shared/validation.ts";
import { registerAbortCommand } from "./commands/abort.ts";
import { registerDeployCommand } from "./commands/deploy.ts";
import { registerDoctorCommand } from "./commands/doctor.ts";
import { registerDrainCommand } from "./commands/drain.ts";
import { registerEmulatorCommand } from "./commands/emulator.ts";
import { registerHistoryCommand } from "./commands/history.ts";
import { registerPlanCommand } from "./commands/plan.ts";
import { registerSimulateCommand } from "./commands/simulate.ts";
import { registerStatusCommand } from "./commands/status.ts";
import { EXIT_CODES } from "./errors.ts";
import { EXIT_CODES_HELP } from "./help.ts";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("ebb")
  .description("Connection-aware rolling deploys, draining, healing and scaling for WebSocket fleets on AWS")
  .version(version, "-V, --version", "print Ebb's version")
  .showHelpAfterError()
  .addHelpText("after", `\n${EXIT_CODES_HELP}`)
  // Before the subcommands are added, so that they inherit it: a usage mistake exits 2, not 1.
  .exitOverride();

registerSimulateCommand(program);
registerEmulatorCommand(program);
registerDeployCommand(program);
registerStatusCommand(program);
registerAbortCommand(program);
registerHistoryCommand(program);
registerPlanCommand(program);
registerDrainCommand(program);
registerDoctorCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed its message already; help and --version are not mistakes.
    process.exitCode = error.exitCode === 0 ? EXIT_CODES.succeeded : EXIT_CODES.badInput;
  } else if (error instanceof ProblemListError) {
    // The user's mistake (a bad scenario, an unreadable file, a port in use): the problems, no stack trace.
    process.stderr.write(`ebb: ${error.message}\n`);
    process.exitCode = EXIT_CODES.badInput;
  } else {
    throw error;
  }
}
