import { Command } from "commander";
import { registerDeployCommand } from "./commands/deploy.ts";
import { registerEmulatorCommand } from "./commands/emulator.ts";
import { registerSimulateCommand } from "./commands/simulate.ts";

const program = new Command("ebb")
  .description("Connection-aware rolling deploys, draining, healing and scaling for WebSocket fleets on AWS")
  .showHelpAfterError();

registerSimulateCommand(program);
registerEmulatorCommand(program);
registerDeployCommand(program);

await program.parseAsync(process.argv);
