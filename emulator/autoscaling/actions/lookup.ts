import { z } from "zod";
import type { AutoScalingGroupState } from "../group.ts";
import type { FleetInstance } from "../types.ts";
import type { EmulatedAccount } from "../../account.ts";
import { integer } from "../../protocol/coerce.ts";
import { AwsApiError, invalidNextToken, validationError } from "../../protocol/errors.ts";
import { paginate } from "../../protocol/pagination.ts";
import { serviceCatalog } from "../../protocol/catalog.ts";

/** Zod pieces for Auto Scaling's query parameters (every value arrives as a string). */
export const groupName = z.string().min(1).max(255);
export const instanceId = z.string().min(1).max(19);
export const maxRecords = (max: number) => integer.pipe(z.number().min(1).max(max)).optional();
export const nextToken = z.string().min(1).optional();
export const launchTemplateSpecification = z.object({
  LaunchTemplateId: z.string().min(1).optional(),
  LaunchTemplateName: z.string().min(3).max(128).optional(),
  Version: z.string().min(1).max(255).optional(),
});

/** Auto Scaling pages with MaxRecords (50 unless asked) / NextToken. */
export const recordsPage = <T>(
  items: readonly T[],
  request: { MaxRecords?: number | undefined; NextToken?: string | undefined },
  growsAt: "end" | "start" = "end",
) => {
  const { page, nextToken } = paginate(items, { maxResults: request.MaxRecords ?? 50, nextToken: request.NextToken, growsAt, invalidToken: invalidNextToken });
  return { page, NextToken: nextToken };
};

const inProgress = serviceCatalog.autoscaling.transientErrors?.["scaling-activity-in-progress"];

export const scalingActivityInProgress = (): AwsApiError =>
  new AwsApiError(inProgress?.code ?? "ScalingActivityInProgress", inProgress?.message ?? "", { statusCode: inProgress?.statusCode ?? 400 });

export const requireGroup = (world: EmulatedAccount, name: string): AutoScalingGroupState => {
  const group = world.autoscaling.group(name);
  if (group === undefined) throw validationError(`AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
  return group;
};

/** A live instance managed by some group (terminated instances are no longer managed). */
export const requireManagedInstance = (world: EmulatedAccount, id: string): FleetInstance => {
  const instance = world.autoscaling.instance(id);
  if (instance === undefined || instance.lifecycleState === "Terminated") {
    throw validationError(`Instance Id not found - No managed instance found for instance ID: ${id}`);
  }
  return instance;
};

export const requireInstanceOfGroup = (world: EmulatedAccount, group: AutoScalingGroupState, id: string): FleetInstance => {
  const instance = world.autoscaling.instance(id);
  if (instance === undefined || instance.lifecycleState === "Terminated" || instance.autoScalingGroupName !== group.autoScalingGroupName) {
    throw validationError(`The instance ${id} is not part of Auto Scaling group ${group.autoScalingGroupName}.`);
  }
  return instance;
};

