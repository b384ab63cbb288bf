import { Command, CommanderError } from "commander";
import { ProblemListError } from "../shared/validation.ts";
import { registerDeployCommand } from "./commands/deploy.ts";
import { registerEmulatorCommand } from "./commands/emulator.ts";
import { registerSimulateCommand } from "./commands/simulate.ts";
import { EXIT_CODES } from "./errors.ts";

const program = new Command("ebb")
  .description("Connection-aware rolling deploys, draining, healing and scaling for WebSocket fleets on AWS")
  .showHelpAfterError()
  // Before the subcommands are added, so that they inherit it: a usage mistake exits 2, not 1.
  .exitOverride();

registerSimulateCommand(program);
registerEmulatorCommand(program);
registerDeployCommand(program);

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
