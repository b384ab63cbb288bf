import { z } from "zod";
import { deployFieldSchemas as fields } from "../core/deploy-settings.ts";
import type { StageConfig } from "../core/stage.ts";
import type { DeployInput } from "../core/types.ts";
import { describeIssues } from "../shared/validation.ts";

/**
 * The rolling-deploy workflow's input, as typed in the Step Functions console, the CLI or CI.
 * Only `autoScalingGroupName` is required; every other field falls back to the stage's
 * deployDefaults (nested `drain` / `health` fields one by one).
 */
export const rollingDeployInputSchema = z.strictObject({
  /** Auto Scaling group names are 1 to 255 characters. */
  autoScalingGroupName: z.string().min(1).max(255),
  /** Target launch template version ("2", "$Latest", "$Default"). */
  launchTemplateVersion: fields.launchTemplateVersion.optional(),
  /** Target AMI: must already be the image of a version of the group's launch template. */
  imageId: fields.imageId.optional(),
  batchSize: fields.batchSize.optional(),
  mode: fields.mode.optional(),
  surgeFirstBatch: fields.surgeFirstBatch.optional(),
  minHealthyPercent: fields.minHealthyPercent.optional(),
  drain: z
    .strictObject({
      timeoutSeconds: fields.drain.timeoutSeconds.optional(),
      maxRemainingConnections: fields.drain.maxRemainingConnections.optional(),
      signal: fields.drain.signal.optional(),
      maxReconnectsPerMinute: fields.drain.maxReconnectsPerMinute.optional(),
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

/**
 * The largest input accepted. Step Functions caps a state's input and output at 256 KiB and the
 * workflow's state carries the input twice (as given and resolved) besides the plan; every
 * valid input is far smaller (100 alarm names of 255 characters make 26 KiB).
 */
export const MAX_INPUT_BYTES = 32 * 1024;

/**
 * A failed input still yields what it validly names (`partial`: the stage defaults with every
 * field that passed), so that the group, the version and the alarms are checked too and every
 * problem is listed at once; undefined when it names no group that may be checked.
 */
export type ResolvedDeployInput =
  | { ok: true; input: DeployInput }
  | { ok: false; problems: string[]; groupNotAllowed: boolean; partial: DeployInput | undefined };

const withoutUndefined = <T extends object>(value: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(value ?? {}).filter(([, field]) => field !== undefined)) as Partial<T>;

/** The schema's objections to an input, one line per problem, as InvalidDeployInput lists them (the CLI too). */
export const inputProblems = (error: z.ZodError): string[] =>
  describeIssues(error, "(input)");

const inputBytes = (raw: unknown): number => {
  try {
    return Buffer.byteLength(JSON.stringify(raw) ?? "");
  } catch {
    return Number.POSITIVE_INFINITY;
  }
};

/** Each top-level field that passes on its own: what a failed input still validly says. */
function validFields(raw: unknown): RollingDeployInput | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const given = raw as Record<string, unknown>;
  const shape = rollingDeployInputSchema.shape;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const parsed = shape[key].safeParse(given[key]);
    if (parsed.success && parsed.data !== undefined) kept[key] = parsed.data;
  }
  const parsed = rollingDeployInputSchema.safeParse(kept);
  return parsed.success ? parsed.data : undefined;
}

/** Validates a raw input against the schema and the stage, and merges the stage's defaults. */
export function resolveDeployInput(raw: unknown, stage: StageConfig): ResolvedDeployInput {
  const bytes = inputBytes(raw);
  if (bytes > MAX_INPUT_BYTES) {
    // Listing what is wrong inside an oversized input could itself exceed the payload quota.
    const size = Number.isFinite(bytes) ? `${bytes} bytes` : "not serializable as JSON";
    return { ok: false, problems: [`(input): is ${size}; a deploy input is at most ${MAX_INPUT_BYTES} bytes`], groupNotAllowed: false, partial: undefined };
  }
  const parsed = rollingDeployInputSchema.safeParse(raw);
  const problems = parsed.success ? [] : inputProblems(parsed.error);
  const given = parsed.success ? parsed.data : validFields(raw);
  const groupNotAllowed = given !== undefined && !stage.autoScalingGroups.includes(given.autoScalingGroupName);
  if (groupNotAllowed) {
    problems.push(`autoScalingGroupName: "${given.autoScalingGroupName}" is not one of this stage's Auto Scaling groups (${stage.autoScalingGroups.join(", ")})`);
  }
  const merged = given === undefined || groupNotAllowed ? undefined : withDefaults(given, stage, problems);
  if (!parsed.success || merged === undefined || problems.length > 0) return { ok: false, problems, groupNotAllowed, partial: merged };
  return { ok: true, input: merged };
}

/** The stage's defaults overridden by the input's fields; adds the problems of fields that conflict. */
function withDefaults(given: z.output<typeof rollingDeployInputSchema>, stage: StageConfig, problems: string[]): DeployInput {
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
  if (input.drain.maxReconnectsPerMinute !== undefined && input.drain.signal !== "ssm") {
    problems.push('drain.maxReconnectsPerMinute: pacing needs drain.signal "ssm" (with "none" the app is never told to shed, and the load balancer cuts what is left at once)');
  }
  if (input.mode === "replace" && input.minHealthyPercent === 100) {
    problems.push('minHealthyPercent: 100 with mode "replace" never lets an instance leave service; use mode "surge" or a lower minHealthyPercent');
  }
  return input;
}
