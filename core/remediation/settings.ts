import { z } from "zod";

/**
 * How remediation decides, per stage. The shared-outage guard follows seeds/001 and the Builders'
 * Library ("Implementing health checks"): when much of the fleet fails at once the cause is shared,
 * so nothing is replaced. It takes a fraction and an absolute allowance, because a fraction alone
 * strands small pools (Karpenter's fixed 20% guard left a 4-node pool with 2 nodes down).
 */
export const remediationSettingsSchema = z.strictObject({
  /** Consecutive unhealthy reads, one health-check interval apart, before a host counts as failed. */
  confirmChecks: z.number().int().min(1).max(20).default(3),
  sharedOutage: z
    .strictObject({
      /** More than this fraction of a group's registered targets unhealthy is a shared outage... */
      fraction: z.number().gt(0).max(1).default(1 / 3),
      /** ...unless no more than this many are (every target unhealthy is an outage whatever the count). */
      allowance: z.number().int().min(0).default(2),
      /** More than this fraction of one zone's targets unhealthy (beyond the allowance) is a zonal outage. */
      zoneFraction: z.number().gt(0).max(1).default(0.5),
      /** The outage hold (HealthCheck suspended) is lifted after this long even if health has not returned. */
      maxHoldSeconds: z.number().int().min(60).max(86_400).default(3 * 3600),
    })
    .prefault({}),
  budget: z
    .strictObject({
      /** Replacements per group per window (a DynamoDB counter per window). */
      maxPerWindow: z.number().int().min(0).default(3),
      windowSeconds: z.number().int().min(60).max(7 * 86_400).default(3600),
      /** Hosts drained or awaiting a healthy replacement at the same time. */
      maxConcurrent: z.number().int().min(1).default(1),
      /** Never replace while fewer instances than this serve in every target group. */
      minHealthyInstances: z.number().int().min(0).default(1),
      /** ...nor while fewer than this fraction of the desired capacity does. */
      minHealthyFraction: z.number().min(0).max(1).default(0.5),
    })
    .prefault({}),
  flapping: z
    .strictObject({
      /** Unhealthy → healthy → unhealthy within the episode (or the last one) makes a host a flapper. */
      transitions: z.number().int().min(2).default(2),
      /** How long a flapper stays deregistered before it is registered back and rechecked. */
      quarantineSeconds: z.number().int().min(60).max(86_400).default(600),
      /** After this many quarantines a host that still flaps is left alone and reported. */
      maxQuarantines: z.number().int().min(1).default(2),
    })
    .prefault({}),
  /** How long an episode waits for a deploy holding the group's lock before it gives up and reports. */
  lockWaitSeconds: z.number().int().min(0).max(86_400).default(3600),
  /** An episode ends after this long, whatever is left (reported). */
  maxEpisodeSeconds: z.number().int().min(300).max(86_400).default(4 * 3600),
  /** Alarms Ebb creates on UnHealthyHostCount per target group: period and evaluation periods. */
  alarm: z
    .strictObject({
      periodSeconds: z.union([z.literal(10), z.literal(30), z.number().int().multipleOf(60).min(60)]).default(60),
      evaluationPeriods: z.number().int().min(1).max(10).default(2),
      /** Also alarm on the target group's HTTPCode_Target_5XX_Count above this per period (0: no such alarm). */
      target5xxThreshold: z.number().int().min(0).default(0),
    })
    .prefault({}),
});

export type RemediationSettings = z.output<typeof remediationSettingsSchema>;
