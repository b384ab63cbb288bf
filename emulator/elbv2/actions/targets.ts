import { z } from "zod";
import { healthView } from "../target-group.ts";
import { integer, list } from "../../protocol/coerce.ts";
import { AwsApiError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { requireTargetGroup } from "./lookup.ts";
import { targetHealthDescription } from "../views.ts";

const port = integer.pipe(z.number().min(1).max(65535));
const target = z.object({ Id: z.string().min(1), Port: port.optional(), AvailabilityZone: z.string().optional() });

const targetsSchema = z.object({
  TargetGroupArn: z.string().min(1),
  Targets: z.preprocess((value) => (value === "" ? [] : value), z.array(target).min(1)),
});

const quoted = (ids: readonly string[]): string => ids.map((id) => `'${id}'`).join(", ");

/** Not paginated: a target group with many targets answers in one (large) response. */
export const describeTargetHealth: ActionHandler = (params, { world }) => {
  const request = z.object({ TargetGroupArn: z.string().min(1), Targets: list(target).optional() }).parse(params);
  const group = requireTargetGroup(world, request.TargetGroupArn);
  const asked = request.Targets ?? [...group.targets.values()].map((registered) => ({ Id: registered.instanceId, Port: registered.port }));
  return {
    TargetHealthDescriptions: asked.map(({ Id, Port }) => {
      const instance = world.autoscaling.instance(Id);
      const health = !group.targets.has(Id) && instance?.ec2State === "terminated" ? healthView("unused", "Target.InvalidState") : group.healthOf(Id);
      return targetHealthDescription(Id, Port ?? group.port, health);
    }),
  };
};

export const registerTargets: ActionHandler = (params, { world }) => {
  const request = targetsSchema.parse(params);
  const group = requireTargetGroup(world, request.TargetGroupArn);
  const ids = request.Targets.map((entry) => entry.Id);
  const missing = ids.filter((id) => world.autoscaling.instance(id) === undefined);
  if (missing.length > 0) throw new AwsApiError("InvalidTarget", `The following instances do not exist: ${quoted(missing)}`);
  // A pending instance is rejected too: the ASG registers its instances once they are running.
  const notRunning = ids.filter((id) => world.autoscaling.instance(id)?.ec2State !== "running");
  if (notRunning.length > 0) {
    throw new AwsApiError("InvalidTarget", `The following targets are not in a running state and cannot be registered: ${quoted(notRunning)}`);
  }
  world.elb.registerTargets(group.targetGroupArn, ids);
  return undefined;
};

/** Deregistering a target that is not registered is accepted and does nothing, as on AWS. */
export const deregisterTargets: ActionHandler = (params, { world }) => {
  const request = targetsSchema.parse(params);
  const group = requireTargetGroup(world, request.TargetGroupArn);
  world.elb.deregisterTargets(group.targetGroupArn, request.Targets.map((entry) => entry.Id));
  return undefined;
};
