import { z } from "zod";
import { deployFieldSchemas as fields } from "../core/deploy-settings.ts";
import type { StageConfig } from "../core/stage.ts";
import type { DeployInput } from "../core/types.ts";
import { describeIssues } from "../core/validation.ts";

/**
 * The rolling-deploy workflow's input, as typed in the Step Functions console, the CLI or CI.
 * Only `autoScalingGroupName` is required; every other field falls back to the stage's
 * deployDefaults (nested `drain` / `health` fields one by one).
 */
export const rollingDeployInputSchema = z.strictObject({
  autoScalingGroupName: z.string().min(1),
  /** Target launch template version ("2", "$Latest", "$Default"). */
  launchTemplateVersion: fields.launchTemplateVersion.optional(),
  /** Target AMI: must already be the image of a version of the group's launch template. */
  imageId: fields.imageId.optional(),
  batchSize: fields.batchSize.optional(),
  mode: fields.mode.optional(),
  minHealthyPercent: fields.minHealthyPercent.optional(),
  drain: z
    .strictObject({
      timeoutSeconds: fields.drain.timeoutSeconds.optional(),
      maxRemainingConnections: fields.drain.maxRemainingConnections.optional(),
      signal: fields.drain.signal.optional(),
    })
    .optional(),
  health: z
    .strictObject({
      consecutiveHealthyChecks: fields.health.consecutiveHealthyChecks.optional(),
      timeoutSeconds: fields.health.timeoutSeconds.optional(),
    })
    .optional(),
  bakeSeconds: fields.bakeSeconds.optional(),
  rollbackAlarms: fields.rollbackAlarms.optional(),
  dryRun: fields.dryRun.optional(),
});

export type RollingDeployInput = z.input<typeof rollingDeployInputSchema>;

export type ResolvedDeployInput = { ok: true; input: DeployInput } | { ok: false; problems: string[]; groupNotAllowed: boolean };

const withoutUndefined = <T extends object>(value: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(value ?? {}).filter(([, field]) => field !== undefined)) as Partial<T>;

/** The schema's objections to an input, one line per problem, as InvalidDeployInput lists them (the CLI too). */
export const inputProblems = (error: z.ZodError): string[] =>
  describeIssues(error, "(input)");

/** Validates a raw input against the schema and the stage, and merges the stage's defaults. */
export function resolveDeployInput(raw: unknown, stage: StageConfig): ResolvedDeployInput {
  const parsed = rollingDeployInputSchema.safeParse(raw);
  const problems = parsed.success ? [] : inputProblems(parsed.error);
  const group = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>)["autoScalingGroupName"] : undefined;
  const groupNotAllowed = typeof group === "string" && group !== "" && !stage.autoScalingGroups.includes(group);
  if (groupNotAllowed) {
    problems.push(`autoScalingGroupName: "${String(group)}" is not one of this stage's Auto Scaling groups (${stage.autoScalingGroups.join(", ")})`);
  }
  if (!parsed.success) return { ok: false, problems, groupNotAllowed };

  const given = parsed.data;
  const defaults = stage.deployDefaults;
  const input: DeployInput = {
    ...defaults,
    ...withoutUndefined(given),
    drain: { ...defaults.drain, ...withoutUndefined(given.drain) },
    health: { ...defaults.health, ...withoutUndefined(given.health) },
    autoScalingGroupName: given.autoScalingGroupName,
  };
  if (given.imageId !== undefined) {
    if (given.launchTemplateVersion !== undefined) problems.push("imageId: give launchTemplateVersion or imageId, not both");
    input.launchTemplateVersion = "$Latest";
  } else if (given.launchTemplateVersion !== undefined) {
    delete input.imageId;
  }
  if (input.mode === "replace" && input.minHealthyPercent === 100) {
    problems.push('minHealthyPercent: 100 with mode "replace" never lets an instance leave service; use mode "surge" or a lower minHealthyPercent');
  }
  return problems.length > 0 ? { ok: false, problems, groupNotAllowed } : { ok: true, input };
}
