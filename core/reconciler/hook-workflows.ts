import { DescribeExecutionCommand, ListExecutionsCommand } from "@aws-sdk/client-sfn";
import type { Runtime } from "../runtime.ts";

/** The lifecycle hook workflows' state machines (the intake starts one execution per action). */
export interface HookWorkflowArns {
  readonly launch: string;
  readonly terminate: string;
}

const notDeployed = (error: unknown): boolean => error instanceof Error && error.name === "StateMachineDoesNotExist";

/**
 * The instances a hook workflow is working on right now: one still running has its action in hand
 * (it heartbeats, drains, completes), so the reconciler keeps away from it however long it takes.
 * Each execution's input is the action it answers (core/lifecycle/intake.ts).
 */
export async function instancesInHookWorkflows(rt: Runtime, workflows: HookWorkflowArns): Promise<Set<string>> {
  const busy = new Set<string>();
  for (const stateMachineArn of [workflows.launch, workflows.terminate]) {
    let nextToken: string | undefined;
    try {
      do {
        const page = await rt.clients.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING", nextToken }));
        for (const execution of page.executions ?? []) {
          const described = await rt.clients.sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
          const input = JSON.parse(described.input ?? "{}") as { instanceId?: unknown };
          if (typeof input.instanceId === "string") busy.add(input.instanceId);
        }
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
    } catch (error) {
      if (!notDeployed(error)) throw error;
    }
  }
  return busy;
}
