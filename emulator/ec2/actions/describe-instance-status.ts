import { z } from "zod";
import type { FleetInstance } from "../../autoscaling/types.ts";
import { paginate } from "../../protocol/pagination.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import type { StatusSummary } from "../status-checks.ts";
import { stateCodes } from "../views.ts";
import { applyFilters, filterList, flag, invalidParameter, namedInstances, rejectDryRun, requireKnownFilters } from "./common.ts";

/** DescribeInstanceStatus: each instance's state and its status checks, running ones only unless IncludeAllInstances. */

const paramsSchema = z.strictObject({
  InstanceId: z.array(z.string().min(1)).max(100).optional(),
  Filter: filterList.optional(),
  IncludeAllInstances: flag.optional(),
  MaxResults: z.coerce.number().int().min(5).max(1000).optional(),
  NextToken: z.string().min(1).optional(),
  DryRun: flag.optional(),
});

const filterNames = [
  "availability-zone",
  "instance-state-name",
  "instance-state-code",
  "instance-status.status",
  "instance-status.reachability",
  "system-status.status",
  "system-status.reachability",
];

const summaryView = (summary: StatusSummary): Record<string, unknown> => ({
  status: summary.status,
  details:
    summary.reachability === undefined
      ? []
      : [
          {
            name: "reachability",
            status: summary.reachability.status,
            impairedSince: summary.reachability.impairedSinceMs === undefined ? undefined : new Date(summary.reachability.impairedSinceMs),
          },
        ],
});

export const describeInstanceStatus: ActionHandler = (params, { world }) => {
  const request = paramsSchema.parse(params);
  rejectDryRun(request.DryRun);
  requireKnownFilters(request.Filter, (name) => filterNames.includes(name));
  let instances = namedInstances(world.autoscaling.instances(), request.InstanceId, request.MaxResults);
  if (request.IncludeAllInstances !== "true") instances = instances.filter((instance) => instance.ec2State === "running");
  const statuses = new Map(instances.map((instance) => [instance.instanceId, world.ec2Status.status(instance)]));
  const subjects = (name: string, instance: FleetInstance): readonly string[] => {
    const status = statuses.get(instance.instanceId);
    switch (name) {
      case "availability-zone":
        return [instance.availabilityZone];
      case "instance-state-name":
        return [instance.ec2State];
      case "instance-state-code":
        return [String(stateCodes[instance.ec2State])];
      case "instance-status.status":
        return status === undefined ? [] : [status.instanceStatus.status];
      case "instance-status.reachability":
        return status?.instanceStatus.reachability === undefined ? [] : [status.instanceStatus.reachability.status];
      case "system-status.status":
        return status === undefined ? [] : [status.systemStatus.status];
      case "system-status.reachability":
        return status?.systemStatus.reachability === undefined ? [] : [status.systemStatus.reachability.status];
      default:
        return [];
    }
  };
  instances = applyFilters(instances, request.Filter, subjects);
  const { page, nextToken } = paginate(instances, { maxResults: request.MaxResults, nextToken: request.NextToken, growsAt: "end", invalidToken: invalidParameter });
  return {
    instanceStatusSet: page.map((instance) => {
      const status = world.ec2Status.status(instance);
      return {
        instanceId: instance.instanceId,
        availabilityZone: instance.availabilityZone,
        instanceState: { code: stateCodes[instance.ec2State], name: instance.ec2State },
        instanceStatus: summaryView(status.instanceStatus),
        systemStatus: summaryView(status.systemStatus),
        eventsSet: [],
      };
    }),
    nextToken,
  };
};
