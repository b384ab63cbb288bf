import { z } from "zod";
import { VPC_ID } from "../model.ts";
import { list } from "../../protocol/coerce.ts";
import { AwsApiError, validationError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { loadBalancerNotFound, markerPage, markerPaging, requireLoadBalancer, requireTargetGroup, targetGroupNotFound } from "./lookup.ts";
import { listenerView, loadBalancerAttributes, loadBalancerView, targetGroupAttributes, targetGroupView } from "../views.ts";

const describeLoadBalancersSchema = z.object({
  LoadBalancerArns: list(z.string().min(1)).optional(),
  Names: list(z.string().min(1).max(32)).optional(),
  ...markerPaging,
});

export const describeLoadBalancers: ActionHandler = (params, { world }) => {
  const request = describeLoadBalancersSchema.parse(params);
  const arns = request.LoadBalancerArns ?? [];
  const names = request.Names ?? [];
  if (arns.length > 0 && names.length > 0) throw validationError("Load balancer names and load balancer ARNs cannot be specified at the same time");
  const all = world.elb.loadBalancers();
  const selected = all.filter((lb) => (arns.length === 0 || arns.includes(lb.loadBalancerArn)) && (names.length === 0 || names.includes(lb.loadBalancerName)));
  if (selected.length < arns.length + names.length) throw loadBalancerNotFound();
  const { page, NextMarker } = markerPage(selected, request);
  return { LoadBalancers: page.map(loadBalancerView), NextMarker };
};

export const describeLoadBalancerAttributes: ActionHandler = (params, { world }) => {
  const request = z.object({ LoadBalancerArn: z.string().min(1) }).parse(params);
  return { Attributes: loadBalancerAttributes(requireLoadBalancer(world, request.LoadBalancerArn)) };
};

const describeListenersSchema = z.object({
  LoadBalancerArn: z.string().min(1).optional(),
  ListenerArns: list(z.string().min(1)).optional(),
  ...markerPaging,
});

export const describeListeners: ActionHandler = (params, { world }) => {
  const request = describeListenersSchema.parse(params);
  const arns = request.ListenerArns ?? [];
  if (request.LoadBalancerArn === undefined && arns.length === 0) {
    throw validationError("You must specify either listener ARNs or a load balancer ARN");
  }
  if (request.LoadBalancerArn !== undefined) requireLoadBalancer(world, request.LoadBalancerArn);
  const selected = world.elb
    .listeners()
    .filter((listener) => (request.LoadBalancerArn === undefined || listener.loadBalancerArn === request.LoadBalancerArn) && (arns.length === 0 || arns.includes(listener.listenerArn)));
  if (selected.length < arns.length) throw new AwsApiError("ListenerNotFound", "One or more listeners not found");
  const { page, NextMarker } = markerPage(selected, request);
  return { Listeners: page.map(listenerView), NextMarker };
};

const describeTargetGroupsSchema = z.object({
  LoadBalancerArn: z.string().min(1).optional(),
  TargetGroupArns: list(z.string().min(1)).optional(),
  Names: list(z.string().min(1).max(32)).optional(),
  ...markerPaging,
});

export const describeTargetGroups: ActionHandler = (params, { world }) => {
  const request = describeTargetGroupsSchema.parse(params);
  const arns = request.TargetGroupArns ?? [];
  const names = request.Names ?? [];
  const selectors = [request.LoadBalancerArn !== undefined, arns.length > 0, names.length > 0].filter(Boolean).length;
  if (selectors > 1) throw validationError("Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time");
  if (request.LoadBalancerArn !== undefined) requireLoadBalancer(world, request.LoadBalancerArn);
  const selected = world.elb
    .targetGroups()
    .filter(
      (group) =>
        (arns.length === 0 || arns.includes(group.targetGroupArn)) &&
        (names.length === 0 || names.includes(group.targetGroupName)) &&
        (request.LoadBalancerArn === undefined || group.loadBalancerArns.includes(request.LoadBalancerArn)),
    );
  if (selected.length < arns.length + names.length) throw targetGroupNotFound();
  const { page, NextMarker } = markerPage(selected, request);
  return { TargetGroups: page.map((group) => targetGroupView(group, VPC_ID)), NextMarker };
};

export const describeTargetGroupAttributes: ActionHandler = (params, { world }) => {
  const request = z.object({ TargetGroupArn: z.string().min(1) }).parse(params);
  return { Attributes: targetGroupAttributes(requireTargetGroup(world, request.TargetGroupArn)) };
};
