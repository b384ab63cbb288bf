import { z } from "zod";
import { integer, list } from "../../protocol/coerce.ts";
import { AwsApiError, validationError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { requireTargetGroup } from "./lookup.ts";
import { targetGroupAttributes } from "../views.ts";

const attribute = z.object({ Key: z.string().min(1), Value: z.string() });
const modifySchema = z.object({ TargetGroupArn: z.string().min(1), Attributes: list(attribute).pipe(z.array(attribute).min(1)) });

/** The range AWS accepts for `deregistration_delay.timeout_seconds` (Target group attributes, ELB User Guide). */
const DEREGISTRATION_DELAY = integer.pipe(z.number().min(0).max(3600));

/**
 * ModifyTargetGroupAttributes for the attributes the model acts on. A new deregistration delay
 * applies to targets deregistered from now on: one already draining keeps the deadline it got
 * (the harsher reading; AWS does not say). Any other known key is refused rather than ignored, so
 * nothing pretends to take effect.
 */
export const modifyTargetGroupAttributes: ActionHandler = (params, { world }) => {
  const request = modifySchema.parse(params);
  const group = requireTargetGroup(world, request.TargetGroupArn);
  const known = new Set(targetGroupAttributes(group).map((entry) => entry.Key));
  for (const { Key, Value } of request.Attributes) {
    if (!known.has(Key)) throw validationError(`Target group attribute key '${Key}' is not recognized`);
    if (Key !== "deregistration_delay.timeout_seconds") {
      throw new AwsApiError("InvalidConfigurationRequest", `The emulator does not model changes to target group attribute '${Key}'`);
    }
    const parsed = DEREGISTRATION_DELAY.safeParse(Value);
    if (!parsed.success) {
      throw new AwsApiError("InvalidConfigurationRequest", `Deregistration delay timeout '${Value}' must be an integer between 0 and 3600 seconds`);
    }
  }
  for (const { Value } of request.Attributes) group.deregistrationDelaySeconds = Number(Value);
  return { Attributes: targetGroupAttributes(group) };
};
