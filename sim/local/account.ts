import { startPacing, type PacingOptions } from "../../emulator/protocol/pacer.ts";
import type { RequestLog } from "../../emulator/protocol/request-log.ts";
import { startEmulatorServer } from "../../emulator/protocol/server.ts";
import type { World } from "../world.ts";
import { installLocalEbb } from "./ebb.ts";

export interface LocalAccountOptions extends PacingOptions {
  /** 0 picks a free one. */
  port?: number;
  /** One JSON line per AWS API request. */
  requestLog?: RequestLog;
}

/** An emulated account served over HTTP, with Ebb installed in it and time paced. */
export interface LocalAccount {
  readonly url: string;
  /** StartExecution on this runs the real rolling-deploy workflow against the emulated fleet. */
  readonly stateMachineArn: string;
  close(): Promise<void>;
}

/**
 * What `ebb emulator` serves: the World over HTTP, time moving at `speed`, and Ebb's workflows
 * registered so any Step Functions client can start a deploy. Executions sleep on the pacer's
 * clock, so a deploy runs at the same pace as the fleet it drains.
 */
export async function serveLocalAccount(world: World, options: LocalAccountOptions): Promise<LocalAccount> {
  const { port, requestLog, ...pacing } = options;
  const pacer = startPacing(world, pacing);
  try {
    const ebb = await installLocalEbb(world, { clock: pacer.clock });
    const server = await startEmulatorServer(world, {
      ...(port === undefined ? {} : { port }),
      dynamoDbEndpoint: ebb.dynamoDbEndpoint,
      ...(requestLog === undefined ? {} : { requestLog }),
      // What a CLI pointed at this endpoint needs to find Ebb's resources: the stage and its state machines.
      adminDocuments: { stage: () => ({ stage: ebb.stage, stateMachineArn: ebb.stateMachineArn, stateMachineArns: ebb.stateMachineArns }) },
    }).catch(async (error: unknown) => {
      await ebb.stop();
      throw error;
    });
    return {
      url: server.url,
      stateMachineArn: ebb.stateMachineArn,
      close: async () => {
        pacer.stop();
        await server.close();
        await ebb.stop();
      },
    };
  } catch (error) {
    pacer.stop();
    throw error;
  }
}
