import { z } from "zod";

/**
 * Every deploy setting but the Auto Scaling group. The stage config holds defaults for all of
 * them (deployDefaults); a workflow input overrides any of them.
 */

const PERCENT = /^(\d{1,3})%$/;
/** More than any Auto Scaling group holds; larger numbers are mistakes, not batches. */
const MAX_BATCH_INSTANCES = 10_000;

/** `3` (instances) or `"25%"` (of the desired capacity, rounded up); undefined when valid. */
export function batchSizeProblem(value: number | string): string | undefined {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 1 && value <= MAX_BATCH_INSTANCES
      ? undefined
      : `must be a whole number of instances from 1 to ${MAX_BATCH_INSTANCES} or a percent such as "25%" (got ${value})`;
  }
  const match = PERCENT.exec(value);
  const percent = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (Number.isNaN(percent)) return `must be a whole number of instances or a percent such as "25%" (got "${value}")`;
  return percent >= 1 && percent <= 100 ? undefined : `a percent must be between 1% and 100% (got "${value}")`;
}

export const batchSizeSchema = z.union([z.number(), z.string()]).superRefine((value, context) => {
  const problem = batchSizeProblem(value);
  if (problem !== undefined) context.addIssue({ code: "custom", message: problem });
});

/** Numeric version, or `$Latest` / `$Default` (resolved to a number when the deploy starts). */
export const launchTemplateVersionSchema = z
  .string()
  .regex(/^([1-9]\d{0,8}|\$Latest|\$Default)$/, 'must be a launch template version number such as "2", or "$Latest" / "$Default"');

export const imageIdSchema = z.string().regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0");

const alarmName = z.string().min(1).max(255);

/** Field schemas without defaults: a workflow input gives any subset of them. */
export const deployFieldSchemas = {
  launchTemplateVersion: launchTemplateVersionSchema,
  imageId: imageIdSchema,
  batchSize: batchSizeSchema,
  mode: z.enum(["replace", "surge"]),
  /**
   * Replace mode only: the first batch surges (its replacements launch and pass their health
   * checks before it drains) when the group's MaxSize leaves room, so its clients land on new
   * instances instead of on the next batches' old ones, which would move them again.
   */
  surgeFirstBatch: z.boolean(),
  minHealthyPercent: z.number().int().min(0).max(100),
  drain: {
    /** Longest wait for an instance's connections to drain; then the deploy proceeds and records the rest. */
    timeoutSeconds: z.number().int().min(0).max(3600),
    /** Drained when the instance holds at most this many connections. */
    maxRemainingConnections: z.number().int().min(0).max(10_000_000),
    /** `ssm`: SendCommand `ebb-drain` so the app sheds its clients; `none`: only stop new ones (deregister). */
    signal: z.enum(["ssm", "none"]),
    /**
     * The fleet-wide reconnect budget: the drain paces the app's shedding (`ebb-drain --rate N`)
     * and how many instances drain at once so that the clients it moves reconnect at most this
     * often per minute. Omitted: every instance sheds at the app's own rate.
     */
    maxReconnectsPerMinute: z.number().int().min(1).max(10_000_000),
  },
  health: {
    /** Consecutive healthy observations (one per target group health-check interval) per new instance. */
    consecutiveHealthyChecks: z.number().int().min(1).max(10),
    /** Longest wait for a batch's new instances to be healthy; then the deploy rolls back. */
    timeoutSeconds: z.number().int().min(30).max(7200),
  },
  bakeSeconds: z.number().int().min(0).max(86_400),
  rollbackAlarms: z.array(alarmName).max(100),
  dryRun: z.boolean(),
};

const fields = deployFieldSchemas;

/** The settings with Ebb's built-in defaults (a stage's deployDefaults start from these). */
export const deploySettingsSchema = z.strictObject({
  launchTemplateVersion: fields.launchTemplateVersion.default("$Latest"),
  imageId: fields.imageId.optional(),
  batchSize: fields.batchSize.default("25%"),
  mode: fields.mode.default("replace"),
  surgeFirstBatch: fields.surgeFirstBatch.default(false),
  minHealthyPercent: fields.minHealthyPercent.default(75),
  drain: z
    .strictObject({
      timeoutSeconds: fields.drain.timeoutSeconds.default(300),
      maxRemainingConnections: fields.drain.maxRemainingConnections.default(0),
      signal: fields.drain.signal.default("ssm"),
      maxReconnectsPerMinute: fields.drain.maxReconnectsPerMinute.optional(),
    })
    .prefault({}),
  health: z
    .strictObject({
      consecutiveHealthyChecks: fields.health.consecutiveHealthyChecks.default(1),
      timeoutSeconds: fields.health.timeoutSeconds.default(900),
    })
    .prefault({}),
  bakeSeconds: fields.bakeSeconds.default(0),
  rollbackAlarms: fields.rollbackAlarms.default([]),
  dryRun: fields.dryRun.default(false),
});

export type DeploySettings = z.output<typeof deploySettingsSchema>;
export type DrainSettings = DeploySettings["drain"];
export type HealthSettings = DeploySettings["health"];
export type DeployMode = DeploySettings["mode"];
export type BatchSize = number | string;
