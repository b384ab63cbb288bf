import { z } from "zod";
import { VPC_ID } from "../../elbv2/model.ts";
import type { FleetInstance } from "../../autoscaling/types.ts";
import { paginate } from "../../protocol/pagination.ts";
import { applyFilters, filterList, flag, invalidParameter, namedInstances, rejectDryRun, requireKnownFilters } from "./common.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { instanceTags, reservationView } from "../views.ts";

const paramsSchema = z.strictObject({
  InstanceId: z.array(z.string().min(1)).optional(),
  Filter: filterList.optional(),
  MaxResults: z.coerce.number().int().min(5).max(1000).optional(),
  NextToken: z.string().min(1).optional(),
  DryRun: flag.optional(),
});

const filterNames = ["instance-id", "instance-state-name", "availability-zone", "image-id", "private-ip-address", "tag-key"];
const isSupportedFilter = (name: string): boolean => name.startsWith("tag:") || filterNames.includes(name);

/** The values a filter compares against for one instance. */
function filterSubject(name: string, instance: FleetInstance): readonly string[] {
  if (name.startsWith("tag:")) {
    const key = name.slice("tag:".length);
    return instanceTags(instance).filter((tag) => tag.key === key).map((tag) => tag.value);
  }
  switch (name) {
    case "instance-id":
      return [instance.instanceId];
    case "instance-state-name":
      return [instance.ec2State];
    case "availability-zone":
      return [instance.availabilityZone];
    case "image-id":
      return [instance.imageId];
    case "private-ip-address":
      return [instance.privateIpAddress];
    case "tag-key":
      return instanceTags(instance).map((tag) => tag.key);
    default:
      return [];
  }
}

export const describeInstances: ActionHandler = (params, { world }) => {
  const request = paramsSchema.parse(params);
  rejectDryRun(request.DryRun);
  requireKnownFilters(request.Filter, isSupportedFilter);
  let instances = namedInstances(world.autoscaling.instances(), request.InstanceId, request.MaxResults);
  instances = applyFilters(instances, request.Filter, filterSubject);
  const { page, nextToken } = paginate(instances, {
    maxResults: request.MaxResults,
    nextToken: request.NextToken,
    growsAt: "end",
    invalidToken: invalidParameter,
  });
  const account = { ownerId: world.accountId, region: world.region, vpcId: VPC_ID };
  return { reservationSet: page.map((instance) => reservationView(instance, account)), nextToken };
};
