import { z } from "zod";
import { deploySettingsSchema } from "./deploy-settings.ts";
import { remediationSettingsSchema } from "./remediation/settings.ts";
import { StageConfigInvalid } from "./errors.ts";
import { describeIssues } from "../shared/validation.ts";

/** Auto Scaling processes a stage may have suspended for a deploy (Launch and Terminate would stop the deploy itself). */
export const SUSPENDABLE_PROCESSES = ["AZRebalance", "AlarmNotification", "ScheduledActions", "ReplaceUnhealthy", "HealthCheck", "InstanceRefresh"] as const;

/**
 * The runtime configuration of one stage (EBB_STAGE_CONFIG in Lambda, passed directly by the
 * local simulation): what Ebb may touch and how it behaves by default.
 */
export const stageConfigSchema = z.strictObject({
  stage: z.string().min(1),
  /** The only Auto Scaling groups this stage may deploy, drain or remediate. */
  autoScalingGroups: z.array(z.string().min(1)).min(1),
  /**
   * `asg`: target groups are attached to the ASG, which registers new instances (Ebb deregisters
   * before draining). `ebb`: Ebb registers instances itself in `targetGroupArns`.
   */
  targetRegistration: z.enum(["asg", "ebb"]).default("asg"),
  /** Target groups Ebb registers instances in when targetRegistration is `ebb` (besides the ASG's own). */
  targetGroupArns: z.array(z.string().startsWith("arn:")).default([]),
  deployDefaults: deploySettingsSchema.prefault({}),
  /** Used to predict waits before anything is measured. */
  estimates: z
    .strictObject({
      bootSeconds: z.number().int().min(0).default(60),
      shedRatePerSecond: z.number().positive().default(40),
    })
    .prefault({}),
  /** The app's own per-instance connection gauge (ALB metrics are per load balancer only). */
  connectionMetric: z
    .strictObject({
      namespace: z.string().min(1).default("Ebb/App"),
      metricName: z.string().min(1).default("ActiveConnections"),
      dimensionName: z.string().min(1).default("InstanceId"),
      /** How often each instance publishes; drain polls never wait longer than this once overdue. */
      periodSeconds: z.number().int().min(1).max(300).default(10),
      /**
       * A datapoint older than this says nothing about the instance now (connection-aware
       * scale-in): CloudWatch serves one about a minute after it is published, so this leaves
       * room for that delay and a few missed periods.
       */
      maxAgeSeconds: z.number().int().min(1).max(3600).default(180),
    })
    .prefault({}),
  /**
   * Connection-aware scaling: the target tracking policy's target, the skew alarm's threshold, and
   * how old an instance's newest connection datapoint may be before the publisher stops trusting it
   * (CloudWatch's ingestion delay, about a minute, plus a few publish periods).
   */
  scaling: z
    .strictObject({
      targetConnectionsPerInstance: z.number().positive().default(2000),
      skewAlarmThreshold: z.number().gt(1).default(1.2),
      staleAfterSeconds: z.number().int().min(10).max(3600).default(180),
      /**
       * The target tracking policy's instance warmup: how long a new instance's seat takes to show in
       * the alarm's datapoints (one publish, CloudWatch's ingestion delay, one evaluation: about
       * three minutes). Shorter, the policy multiplies the grown capacity by a metric from before it
       * grew and launches the same instances again.
       */
      instanceWarmupSeconds: z.number().int().min(0).max(3600).default(180),
      /**
       * The predictive term: ConnectionsPerHealthyInstance counts the connections the fleet will hold
       * this many seconds ahead at its current growth (growth only: a falling trend never hastens a
       * scale in). About the pipeline's lag (ingestion, three datapoints, boot); 0 turns it off.
       */
      lookaheadSeconds: z.number().int().min(0).max(1800).default(0),
    })
    .prefault({}),
  /** The shell command (AWS-RunShellScript) that tells the app to shed its connections. */
  drainCommand: z.string().min(1).default("ebb-drain"),
  /**
   * The shell command that tells the app to accept connections again: sent to instances that were
   * told to drain and are registered back (an aborted deploy). Must be harmless when not draining.
   */
  undrainCommand: z.string().min(1).default("ebb-undrain"),
  /**
   * true: a target group whose deregistration delay is shorter than drain.timeoutSeconds gets it
   * raised for the deploy (the load balancer would otherwise close what is still open when the
   * delay expires) and restored on every way out. false: such a deploy is refused by validation.
   */
  raiseDeregistrationDelay: z.boolean().default(true),
  /**
   * Suspended for the deploy's duration so that scaling and health replacements do not fight it
   * (CloudFormation's rolling update does the same), and resumed on every way out. Processes the
   * group already had suspended are left suspended.
   */
  suspendProcesses: z
    .array(z.enum(SUSPENDABLE_PROCESSES))
    .refine((names) => new Set(names).size === names.length, "each process at most once")
    .default(["AZRebalance", "AlarmNotification", "ScheduledActions", "ReplaceUnhealthy"]),
  /**
   * An abandoned lock may be taken over this long after its last renewal. Every step renews it
   * and a poll waits at most a quarter of it, so the lease must outlast a Task (120 s) with its
   * retries: hence at least 300 s.
   */
  lockLeaseSeconds: z.number().int().min(300).max(86_400).default(1800),
  /** Auto-remediation of unhealthy hosts (core/remediation). */
  remediation: remediationSettingsSchema.prefault({}),
  /** The remediation workflow the alarm handler starts (filled in by the deployment, not by hand). */
  remediationStateMachineArn: z.string().startsWith("arn:").optional(),
  /** The bus Ebb's progress events go to (core/progress-events): a name or ARN. */
  eventBusName: z.string().min(1).max(1600).default("default"),
  /** How the launch and terminate lifecycle hooks behave (core/lifecycle). */
  lifecycleHooks: z
    .strictObject({
      /** A launching instance goes InService once healthy in every target group on this many consecutive checks. */
      consecutiveHealthyChecks: z.number().int().min(1).max(10).default(2),
      /** Never healthy within this long after launch: ABANDON, so the ASG replaces it. */
      launchTimeoutSeconds: z.number().int().min(30).max(172_800).default(900),
      /** The terminate hook's drain; it never outlasts the lifecycle action's global timeout. */
      drain: z
        .strictObject({
          timeoutSeconds: z.number().int().min(0).max(172_800).default(86_400),
          maxRemainingConnections: z.number().int().min(0).max(10_000_000).default(0),
          signal: z.enum(["ssm", "none"]).default("ssm"),
        })
        .prefault({}),
    })
    .prefault({}),
  tables: z.strictObject({
    locks: z.string().min(3),
    deploys: z.string().min(3),
    idempotency: z.string().min(3),
  }),
});

export type StageConfig = z.output<typeof stageConfigSchema>;

/** Parses a stage config, listing every problem at once. */
export function parseStageConfig(raw: unknown): StageConfig {
  const parsed = stageConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new StageConfigInvalid(describeIssues(parsed.error));
}

/** Reads EBB_STAGE_CONFIG (JSON) from the environment. */
export function stageConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StageConfig {
  const text = env["EBB_STAGE_CONFIG"];
  if (text === undefined || text === "") throw new StageConfigInvalid(["EBB_STAGE_CONFIG is not set"]);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StageConfigInvalid([`not JSON: ${(error as Error).message}`]);
  }
  return parseStageConfig(raw);
}
