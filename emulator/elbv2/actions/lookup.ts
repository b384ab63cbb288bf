import { z } from "zod";
import type { LoadBalancer } from "../model.ts";
import type { TargetGroup } from "../target-group.ts";
import type { EmulatedAccount } from "../../account.ts";
import { integer } from "../../protocol/coerce.ts";
import { AwsApiError, validationError } from "../../protocol/errors.ts";
import { paginate } from "../../protocol/pagination.ts";

/** The Describe actions' paging parameters, answered by markerPage. */
export const markerPaging = {
  Marker: z.string().min(1).optional(),
  PageSize: integer.pipe(z.number().min(1).max(400)).optional(),
};

export const targetGroupNotFound = (): AwsApiError => new AwsApiError("TargetGroupNotFound", "One or more target groups not found");
export const loadBalancerNotFound = (): AwsApiError => new AwsApiError("LoadBalancerNotFound", "One or more load balancers not found");

export const requireTargetGroup = (world: EmulatedAccount, arn: string): TargetGroup => {
  const group = world.elb.targetGroup(arn);
  if (group === undefined) throw targetGroupNotFound();
  return group;
};

export const requireLoadBalancer = (world: EmulatedAccount, arn: string): LoadBalancer => {
  const loadBalancer = world.elb.loadBalancers().find((candidate) => candidate.loadBalancerArn === arn);
  if (loadBalancer === undefined) throw loadBalancerNotFound();
  return loadBalancer;
};

/** ELBv2 pages with Marker / PageSize and answers NextMarker. */
export const markerPage = <T>(items: readonly T[], request: { Marker?: string | undefined; PageSize?: number | undefined }) => {
  const { page, nextToken } = paginate(items, {
    maxResults: request.PageSize,
    nextToken: request.Marker,
    growsAt: "end",
    invalidToken: () => validationError("The marker is not valid"),
  });
  return { page, NextMarker: nextToken };
};
