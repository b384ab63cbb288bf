import { z } from "zod";
import { checkReferences } from "./references.ts";
import { serviceCatalog, type TransientFaultKind } from "../../emulator/protocol/catalog.ts";
import { SCALING_PROCESSES } from "../../emulator/autoscaling/group.ts";

/**
 * A scenario: the fleet, its load balancer and clients, the app's behaviour, what to run and
 * which faults to inject. Every field has a default; unknown fields are an error.
 */

const positive = z.number().positive();
const nonNegative = z.number().min(0);
const seconds = z.number().int().min(0);
const rate = z.number().min(0).max(1);
const delayRange = z
  .tuple([z.number().int().min(0), z.number().int().min(0)])
  .refine(([min, max]) => min <= max, { message: "the first bound must not exceed the second" });

export const appVersionSchema = z.strictObject({
  /** Seconds from launch until the app answers health checks. */
  bootSeconds: seconds.default(60),
  /** false: this version never passes its health check (a bad release). */
  healthy: z.boolean().default(true),
  /** Fraction of launches whose instance never boots. */
  bootFailureRate: rate.default(0),
});

export const lifecycleHookSchema = z.strictObject({
  name: z.string().min(1),
  transition: z.enum(["launch", "terminate"]),
  heartbeatTimeoutSeconds: z.number().int().min(30).max(7200).default(3600),
  defaultResult: z.enum(["CONTINUE", "ABANDON"]).default("ABANDON"),
});

/** The ASG's maxSize when the scenario gives none. */
export const defaultMaxSize = (desiredCapacity: number): number => Math.max(1, desiredCapacity * 2);

export const fleetSchema = z.strictObject({
  autoScalingGroupName: z.string().min(1).default("ebb-demo-asg"),
  desiredCapacity: z.number().int().min(0).max(5000).default(12),
  minSize: z.number().int().min(0).optional(),
  maxSize: z.number().int().min(0).optional(),
  availabilityZones: z.array(z.string().min(1)).min(1).default(["us-east-1a", "us-east-1b", "us-east-1c"]),
  launchTemplateName: z.string().min(1).default("ebb-app"),
  /** The launch template version the fleet runs at the start. */
  launchTemplateVersion: z.string().min(1).default("1"),
  /**
   * Versions 1..N of the launch template are published before the run (at least up to the
   * starting version and every app.versions key); any other version does not exist.
   */
  launchTemplateVersions: z.number().int().min(1).max(1000).default(2),
  healthCheckType: z.enum(["EC2", "ELB"]).default("ELB"),
  healthCheckGracePeriodSeconds: seconds.default(300),
  /**
   * Who registers instances with the target group: `asg` (target group attached to the ASG,
   * the ASG registers on launch and deregisters on terminate) or `ebb` (Ebb's lifecycle hooks do).
   */
  targetRegistration: z.enum(["asg", "ebb"]).default("asg"),
  /**
   * How long the ASG waits after deregistering a terminating (or standby-bound) instance from its
   * target groups: `full-delay`, the whole deregistration delay, as users report it does even for
   * a target without connections; `until-drained`, only until the load balancer has no
   * connection left on it. The harsher reading is the default.
   */
  asgDrainWait: z.enum(["full-delay", "until-drained"]).default("full-delay"),
  lifecycleHooks: z.array(lifecycleHookSchema).default([]),
  /**
   * The group's termination policies: `default`, AWS's default policy; `ebb`, Ebb's
   * termination-policy function first (connection-aware scale in), then the default.
   */
  terminationPolicy: z.enum(["default", "ebb"]).default("default"),
  /** Processes already suspended when the run starts (a deploy's leftover, or an operator's). */
  suspendedProcesses: z.array(z.enum(SCALING_PROCESSES)).default([]),
  /** Instances that are protected from scale in, by index in launch order. */
  protectedInstances: z.array(z.number().int().min(0)).default([]),
});

export const targetGroupSchema = z.strictObject({
  name: z.string().min(1).default("ebb-app-tg"),
  loadBalancerName: z.string().min(1).default("ebb-app-alb"),
  port: z.number().int().min(1).max(65535).default(8080),
  /**
   * Seconds a new target stays `initial` / Elb.RegistrationInProgress before its first health
   * check. AWS publishes no figure; registrations take seconds, so the default is a few seconds,
   * short of one default check interval so that it does not line up with the check schedule.
   */
  registrationSeconds: seconds.default(8),
  healthCheck: z
    .strictObject({
      /** false: no health checks, every target `unavailable` / Target.HealthCheckDisabled and routed to. */
      enabled: z.boolean().default(true),
      path: z.string().default("/health/ready"),
      intervalSeconds: z.number().int().min(5).max(300).default(10),
      timeoutSeconds: z.number().int().min(2).max(120).default(5),
      healthyThreshold: z.number().int().min(2).max(10).default(3),
      unhealthyThreshold: z.number().int().min(2).max(10).default(2),
    })
    .prefault({}),
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(300),
  /**
   * Seconds after DeregisterTargets during which load balancer nodes that have not caught up still
   * send new connections to the target (AWS documents no bound; a few seconds is what is seen).
   */
  deregistrationPropagationSeconds: seconds.max(60).default(5),
  /** How the load balancer picks a target for a new connection. */
  algorithm: z.enum(["round_robin", "least_connections"]).default("least_connections"),
  idleTimeoutSeconds: z.number().int().min(1).max(4000).default(3600),
  /** The load balancer's listeners (default: HTTP on 80 forwarding to the target group). */
  listeners: z.array(z.strictObject({
    port: z.number().int().min(1).max(65535),
    protocol: z.enum(["HTTP", "HTTPS"]),
    action: z.enum(["forward", "redirect-https"]).default("forward"),
    sslPolicy: z.string().min(1).optional(),
    certificateArn: z.string().startsWith("arn:").optional(),
  }).refine((listener) => listener.protocol === "HTTPS" ? listener.certificateArn !== undefined : listener.sslPolicy === undefined && listener.certificateArn === undefined, {
    message: "an HTTPS listener needs certificateArn; sslPolicy and certificateArn are for HTTPS only",
  })).min(1).max(10).default([{ port: 80, protocol: "HTTP", action: "forward" }]),
});

export const clientsSchema = z.strictObject({
  /** WebSocket sessions that want to be connected. */
  sessions: z.number().int().min(0).max(10_000_000).default(12_000),
  /**
   * How the starting sessions are spread: each starting instance's relative share, by launch
   * index (instances not listed weigh 1). Empty: evenly, as least-connections routing leaves a
   * fleet that has not changed for a long time.
   */
  initialShares: z.array(z.number().min(0)).default([]),
  /** Fraction of connected sessions that end on their own per hour (and come back later). */
  churnPerHour: nonNegative.default(0.5),
  /** Mean seconds a churned session stays away before it connects again. */
  meanAwaySeconds: nonNegative.default(120),
  /**
   * A traffic shape: from atSeconds (since the scenario's start) the wanted sessions move linearly
   * to `sessions` over durationSeconds, one ramp after another. New sessions connect through the
   * load balancer; leaving ones close on their own (not forced).
   */
  ramps: z
    .array(z.strictObject({ atSeconds: seconds, durationSeconds: seconds.default(600), sessions: z.number().int().min(0).max(10_000_000) }))
    .refine((ramps) => ramps.every((ramp, index) => index === 0 || ramp.atSeconds >= (ramps[index - 1]?.atSeconds ?? 0) + (ramps[index - 1]?.durationSeconds ?? 0)), "ramps must not overlap and must be in time order")
    .default([]),
  /**
   * How long a client whose connection the app closed gracefully waits before it reconnects, drawn
   * uniformly per client, by the close code (RFC 6455 §7.4.1's 1001 Going Away; IANA's 1012
   * Service Restart, whose registration asks clients to reconnect "using a randomized delay of
   * 5 - 30s"). [0, 0]: at once, as a bare onclose handler does.
   */
  reconnectAfterClose: z
    .strictObject({ "1001": delayRange.default([0, 0]), "1012": delayRange.default([5, 30]) })
    .prefault({}),
  reconnect: z
    .strictObject({
      initialDelaySeconds: nonNegative.default(1),
      maxDelaySeconds: nonNegative.default(30),
      multiplier: z.number().min(1).default(2),
      jitter: z.enum(["full", "equal", "none"]).default("full"),
    })
    .prefault({}),
});

export const appSchema = z.strictObject({
  /** Behaviour of each launch template version; versions not listed use the defaults. */
  versions: z.record(z.string(), appVersionSchema).default({}),
  /** Connections per second the app hands off gracefully once told to drain. */
  drainRatePerSecond: positive.default(40),
  /** The close code the app ends a shed connection with (clients.reconnectAfterClose says how clients answer it). */
  drainCloseCode: z.enum(["1001", "1012"]).default("1001"),
  /** How the app learns it should drain: an SSM command, or nothing (it never sheds). */
  drainSignal: z.enum(["ssm", "none"]).default("ssm"),
  metricNamespace: z.string().min(1).default("Ebb/App"),
  metricName: z.string().min(1).default("ActiveConnections"),
  /** How often each instance publishes its connection count (InstanceId dimension). */
  metricPeriodSeconds: z.number().int().min(1).max(300).default(10),
  /**
   * CPU proportional to connections (published as AWS/EC2 CPUUtilization every minute, detailed
   * monitoring): idle plus a share per connection, capped at 100%.
   */
  cpu: z
    .strictObject({
      idlePercent: z.number().min(0).max(100).default(5),
      percentPerThousandConnections: z.number().min(0).default(26),
    })
    .prefault({}),
  /** The team's CloudWatch alarms on this app (created before the run; a rollback alarm is one of these). */
  alarms: z
    .array(
      z.strictObject({
        alarmName: z.string().min(1),
        namespace: z.string().min(1).default("AWS/ApplicationELB"),
        metricName: z.string().min(1).default("HTTPCode_Target_5XX_Count"),
        statistic: z.enum(["Sum", "Average", "Maximum", "Minimum", "SampleCount"]).default("Sum"),
        periodSeconds: z.number().int().min(10).default(300),
        evaluationPeriods: z.number().int().min(1).default(1),
        threshold: z.number().default(10),
      }),
    )
    .default([]),
});

export const cloudwatchSchema = z.strictObject({
  /**
   * Seconds from PutMetricData until its datapoints are readable by GetMetricData,
   * GetMetricStatistics and alarms. AWS publishes no figure for current data; the default is
   * the harsh end of what users report (up to about a minute).
   */
  ingestionDelaySeconds: z.number().int().min(0).max(600).default(60),
});

const MAX_VIRTUAL_SECONDS = 6 * 3600;

export const runSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("rolling-deploy"),
    /**
     * The workflow input, validated by the workflow itself (so mistakes show in its first state).
     * `autoScalingGroupName` defaults to the fleet's group.
     */
    input: z.record(z.string(), z.unknown()).default({ launchTemplateVersion: "2" }),
    strategy: z.enum(["ebb", "seed-script", "instance-refresh"]).default("ebb"),
    /**
     * The instance-refresh strategy's Preferences: `deploy` maps the deploy's minHealthyPercent (and
     * surge) and a warm-up from the physics; `aws-defaults` sends none (MinHealthyPercentage 90, the
     * group's health check grace period as warm-up).
     */
    refreshPreferences: z.enum(["deploy", "aws-defaults"]).default("deploy"),
    /** Virtual time each Lambda task takes (invocation and Step Functions transition overhead). */
    taskLatencyMs: z.number().int().min(0).max(60_000).default(100),
    /** Stop the deploy (outcome Aborted) after this much virtual time; the world then has as long again to settle. */
    maxVirtualSeconds: positive.default(MAX_VIRTUAL_SECONDS),
  }),
  z.strictObject({
    /** The fleet serves for `durationSeconds` while faults happen; Ebb (or nobody) answers its alarms. */
    kind: z.literal("remediation"),
    durationSeconds: positive.default(3600),
    /** `none`: the same world without Ebb (the ASG's own health replacement only), to compare. */
    strategy: z.enum(["ebb", "none"]).default("ebb"),
    /** Stage remediation settings for this run (core/remediation/settings.ts), over the stage's. */
    settings: z.record(z.string(), z.unknown()).default({}),
    maxVirtualSeconds: positive.default(MAX_VIRTUAL_SECONDS),
  }),
  z.strictObject({
    /** The clients' traffic shape plays out for durationSeconds while the group scales on its own. */
    kind: z.literal("traffic"),
    durationSeconds: positive.default(3600),
    /** `ebb`: target tracking on Ebb's connection metrics; `cpu-policy`: seeds/000's CPU alarms and simple scaling. */
    strategy: z.enum(["ebb", "cpu-policy"]).default("ebb"),
    maxVirtualSeconds: positive.default(MAX_VIRTUAL_SECONDS),
  }),
  z.strictObject({
    /** SetDesiredCapacity at the start (scale in or out) with Ebb installed: its lifecycle hooks answer the actions. */
    kind: z.literal("scale"),
    desiredCapacity: z.number().int().min(0).max(5000),
    /** Stop waiting for the hooks after this much virtual time; the world then has as long again to settle. */
    maxVirtualSeconds: positive.default(MAX_VIRTUAL_SECONDS),
  }),
  z.strictObject({
    kind: z.literal("idle"),
    durationSeconds: positive.default(3600),
    /** How long the world may take to settle after the idle time (outcome Unsettled if it does not). */
    maxVirtualSeconds: positive.default(MAX_VIRTUAL_SECONDS),
  }),
]);

/** A virtual duration drawn per use, uniformly between its two bounds (milliseconds). */
const msRange = z
  .tuple([z.number().int().min(0), z.number().int().min(0)])
  .refine(([min, max]) => min <= max, { message: "the first bound must not exceed the second" });

/** How the emulated AWS services behave where their documentation gives no number. */
export const awsSchema = z.strictObject({
  autoscaling: z
    .strictObject({
      /** A Lambda termination policy (emulator/autoscaling/custom-termination.ts). */
      customTerminationPolicy: z
        .strictObject({
          /** The guide's limit: "The maximum run time for your Lambda function is two seconds". */
          timeoutMs: z.number().int().min(1).max(900_000).default(2000),
          /** The guide's "waits a short time before invoking your function again" gives no figure. */
          retrySeconds: seconds.min(1).default(30),
          /** An instance returned that the group did not suggest: ignored (harsher) or accepted. */
          outsideSuggestion: z.enum(["ignore", "accept"]).default("ignore"),
        })
        .prefault({}),
    })
    .prefault({}),
  ec2: z
    .strictObject({
      statusChecks: z
        .strictObject({
          /** EC2 checks every minute; the guide gives no count of failures before `impaired`, so the harsher reading waits three. */
          impairedAfterSeconds: seconds.min(60).max(3600).default(180),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Virtual time each SDK call to the emulator takes (network and service), so token buckets refill between calls. */
  apiLatencyMs: z.number().int().min(0).max(10_000).default(30),
  ssm: z
    .strictObject({
      /** Seconds from launch until the SSM Agent is registered; before that SendCommand answers InvalidInstanceId. */
      agentStartSeconds: seconds.default(30),
      /** From SendCommand until the agent picks the invocation up (Pending until then). */
      deliveryMs: msRange.default([1000, 3000]),
      /** From pickup until the agent reports the script's result (InProgress until then). */
      executionMs: msRange.default([200, 1500]),
    })
    .prefault({}),
});

const windowSchema = z.strictObject({ atSeconds: seconds, durationSeconds: seconds.default(300) });

const transientFaultKinds = ["resource-contention", "scaling-activity-in-progress"] as const satisfies readonly TransientFaultKind[];

/**
 * A service's own transient error (Auto Scaling's ResourceContention, ScalingActivityInProgress)
 * only for that service, and only on an action whose API reference lists it.
 */
const apiFaultSchema = z
  .strictObject({
    service: z.enum(["autoscaling", "elasticloadbalancing", "monitoring", "ec2", "ssm", "states", "events"]),
    action: z.string().min(1).default("*"),
    kind: z.enum(["throttle", "server-error", ...transientFaultKinds]),
    rate,
  })
  .superRefine((fault, context) => {
    if (fault.kind === "throttle" || fault.kind === "server-error") return;
    const spec = serviceCatalog[fault.service].transientErrors?.[fault.kind];
    if (spec === undefined) {
      context.addIssue({ code: "custom", path: ["kind"], message: `${fault.kind} is not an error ${fault.service} returns` });
    } else if (fault.action !== "*" && spec.actions !== undefined && !spec.actions.includes(fault.action)) {
      context.addIssue({ code: "custom", path: ["action"], message: `${fault.service}:${fault.action} never returns ${spec.code} (only ${spec.actions.join(", ")})` });
    }
  });

export const faultsSchema = z.strictObject({
  /** API faults: a fraction of calls to service:Action (Action may be `*`) fail. */
  api: z.array(apiFaultSchema).default([]),
  /**
   * Lambda invocations that Lambda itself ends: `timeout` (the function runs until its
   * configured timeout and is stopped) or `out-of-memory`; a fraction `rate` of the named
   * function's invocations (a function in functions/). Step Functions reports both as Lambda.Unknown.
   */
  lambda: z.array(z.strictObject({ function: z.string().min(1), kind: z.enum(["timeout", "out-of-memory"]), rate })).default([]),
  /**
   * The control plane is down: every invocation of every Ebb function (tasks, event handlers,
   * schedules, the termination policy) fails during the window, as a broken deployment or a
   * Lambda outage would make it.
   */
  controlPlaneOutages: z.array(windowSchema).default([]),
  /** Instances (by launch index) that crash at a given time. */
  crashes: z.array(z.strictObject({ atSeconds: seconds, instanceIndex: z.number().int().min(0) })).default([]),
  /** Health checks of some instances alternate between pass and fail. */
  flapping: z
    .array(z.strictObject({ ...windowSchema.shape, instanceIndex: z.number().int().min(0), periodSeconds: positive.default(30) }))
    .default([]),
  /** A shared dependency is down: every target fails its health check for the window. */
  sharedOutages: z.array(windowSchema).default([]),
  /** Instances (by launch index) whose health check fails for the window (for good by default). */
  unhealthy: z
    .array(z.strictObject({ atSeconds: seconds, durationSeconds: seconds.default(MAX_VIRTUAL_SECONDS), instanceIndex: z.number().int().min(0) }))
    .default([]),
  /** Every instance launched into the zone fails its health check for the window (the zone's network or a zonal dependency is down). */
  zoneOutages: z.array(z.strictObject({ ...windowSchema.shape, availabilityZone: z.string().min(1) })).default([]),
  /** Alarms forced into a state at a time (e.g. a rollback alarm firing mid-deploy). */
  alarms: z.array(z.strictObject({ atSeconds: seconds, alarmName: z.string().min(1), state: z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]).default("ALARM") })).default([]),
  /** Launch indexes of instances whose app never comes up (never healthy), e.g. one of a scale out's new instances. */
  neverHealthy: z.array(z.number().int().min(0)).default([]),
  /**
   * Someone else changes the group's desired capacity at a time (an operator's SetDesiredCapacity,
   * a scaling policy); a value outside MinSize..MaxSize is rejected, as the API would.
   */
  capacityChanges: z.array(z.strictObject({ atSeconds: seconds, desiredCapacity: z.number().int().min(0) })).default([]),
  /** Run Command invocations that fail on some instances (every instance when instanceIndex is omitted). */
  ssm: z
    .array(
      z.strictObject({
        instanceIndex: z.number().int().min(0).optional(),
        rate: rate.default(1),
        outcome: z.enum(["Failed", "ExecutionTimedOut", "Undeliverable"]).default("Failed"),
        /** Only the first this many invocations on each covered instance can fail (a transient fault); every one when omitted. */
        times: z.number().int().min(1).optional(),
      }),
    )
    .default([]),
  events: z
    .strictObject({
      duplicateRate: rate.default(0),
      delaySeconds: seconds.default(0),
      /** Fraction of events the bus never delivers to any rule. */
      dropRate: rate.default(0),
      /** Each delivery is late by a random 0..jitterSeconds more, so events can arrive out of order. */
      jitterSeconds: seconds.default(0),
    })
    .prefault({}),
});

const scenarioSchema = z.strictObject({
  scenario: z.string().min(1).default("custom"),
  fleet: fleetSchema.prefault({}),
  targetGroup: targetGroupSchema.prefault({}),
  clients: clientsSchema.prefault({}),
  app: appSchema.prefault({}),
  cloudwatch: cloudwatchSchema.prefault({}),
  run: runSchema.prefault({ kind: "rolling-deploy" }),
  faults: faultsSchema.prefault({}),
  seed: z.number().int().min(0).default(1),
  /** Virtual start time (ISO 8601); the emulator never reads the wall clock. */
  startTime: z.iso.datetime().default("2026-01-01T00:00:00Z"),
  region: z.string().default("us-east-1"),
  accountId: z.string().regex(/^\d{12}$/).default("123456789012"),
  aws: awsSchema.prefault({}),
}).superRefine(checkReferences);

/** A rolling deploy of the scenario's own fleet unless the input names another group. */
export const scenarioConfigSchema = scenarioSchema.transform((config) =>
  config.run.kind === "rolling-deploy" && config.run.input["autoScalingGroupName"] === undefined
    ? { ...config, run: { ...config.run, input: { autoScalingGroupName: config.fleet.autoScalingGroupName, ...config.run.input } } }
    : config,
);

export type ScenarioConfig = z.infer<typeof scenarioConfigSchema>;
export type ScenarioConfigInput = z.input<typeof scenarioConfigSchema>;
export type AppVersionConfig = z.infer<typeof appVersionSchema>;
export type FaultsConfig = z.infer<typeof faultsSchema>;
export type AwsConfig = z.infer<typeof awsSchema>;
