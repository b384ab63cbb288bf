import { AutoScalingGroupNotAllowed, InvalidDeployInput } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import type { DeployInput } from "../types.ts";
import { resolveDeployInput } from "../../workflows/rolling-deploy.input.ts";
import { checkDeployTarget } from "./preflight.ts";

// Apart from the other deploy steps: only this one reads launch templates (the EC2 client).
export interface ValidatedDeploy {
  deployId: string;
  autoScalingGroupName: string;
  dryRun: boolean;
  targetVersion: string;
  input: DeployInput;
}

/**
 * The workflow's first state: checks the input and what it names (the group exists and may be
 * touched, the target version and alarms exist, the fleet admits the plan) and lists every
 * problem at once, the schema's and the account's together. Read-only.
 */
export async function validateDeploy(rt: Runtime, raw: unknown, executionName: string): Promise<ValidatedDeploy> {
  const resolved = resolveDeployInput(raw, rt.stage);
  const problems = resolved.ok ? [] : [...resolved.problems];
  const input = resolved.ok ? resolved.input : resolved.partial;
  const checked = input === undefined ? undefined : await checkDeployTarget(rt, input);
  problems.push(...(checked?.problems ?? []));
  if (!resolved.ok && resolved.groupNotAllowed && problems.length === 1) {
    throw new AutoScalingGroupNotAllowed(String((raw as Record<string, unknown>)["autoScalingGroupName"]), rt.stage.autoScalingGroups);
  }
  if (problems.length > 0 || input === undefined || checked === undefined) throw new InvalidDeployInput(problems);
  return { deployId: executionName, autoScalingGroupName: input.autoScalingGroupName, dryRun: input.dryRun, targetVersion: checked.targetVersion, input };
}

