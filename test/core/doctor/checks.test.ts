import { describe, expect, it } from "vitest";
import { diagnose, DEFAULT_CLIENT_TIMEOUTS, type FleetConfiguration } from "../../../core/doctor/index.ts";
import { globalTimeoutSeconds } from "../../../core/doctor/timeouts.ts";
import { parseStageConfig, type StageConfig } from "../../../core/stage.ts";

const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/0123456789abcdef";
const LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app/0123456789abcdef";

const stage = (overrides: Record<string, unknown> = {}): StageConfig =>
  parseStageConfig({ stage: "test", autoScalingGroups: ["app"], tables: { locks: "ebb-l", deploys: "ebb-d", idempotency: "ebb-i" }, ...overrides });

/** seeds/000's setup done right: 3600 s idle timeout, ELB health checks, /health/ready, a terminate hook, a delay covering the drain. */
function healthy(): FleetConfiguration {
  return {
    group: {
      AutoScalingGroupName: "app", MinSize: 2, MaxSize: 10, DesiredCapacity: 4, DefaultCooldown: 300, AvailabilityZones: ["a"], CreatedTime: new Date(0),
      HealthCheckType: "ELB", HealthCheckGracePeriod: 300, TargetGroupARNs: [TG], SuspendedProcesses: [],
      Instances: [],
    },
    hooks: [{ AutoScalingGroupName: "app", LifecycleHookName: "ebb-terminate", LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout: 900, DefaultResult: "CONTINUE" }],
    policies: [],
    targetGroups: [{
      group: { TargetGroupArn: TG, HealthCheckEnabled: true, HealthCheckPath: "/health/ready", HealthCheckIntervalSeconds: 30, UnhealthyThresholdCount: 3, HealthyThresholdCount: 2, LoadBalancerArns: [LB] },
      attributes: { "deregistration_delay.timeout_seconds": "300", "stickiness.enabled": "true" },
      health: [{ Target: { Id: "i-1" }, TargetHealth: { State: "healthy" } }, { Target: { Id: "i-2" }, TargetHealth: { State: "healthy" } }],
    }],
    loadBalancers: [{
      loadBalancer: { LoadBalancerArn: LB },
      attributes: { "idle_timeout.timeout_seconds": "3600" },
      listeners: [
        { ListenerArn: `${LB}/443`, Protocol: "HTTPS", Port: 443, SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
        { ListenerArn: `${LB}/80`, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }] },
      ],
    }],
    connections: { "i-1": 1000, "i-2": 1100 },
    deployInProgress: false,
  };
}

const context = (overrides: Record<string, unknown> = {}) => ({ stage: stage(overrides), clients: DEFAULT_CLIENT_TIMEOUTS });
const ids = (configuration: FleetConfiguration, overrides: Record<string, unknown> = {}) => diagnose(configuration, context(overrides)).map((finding) => `${finding.id}:${finding.severity}`);

describe("ebb doctor's checks", () => {
  it("find nothing in seeds/000's setup done right", () => {
    expect(ids(healthy())).toEqual([]);
  });

  it("alb-idle-timeout: seeds/003's 80 s = heartbeat 25 + grace 25 + margin 30; at or under one heartbeat it is an error", () => {
    const configuration = healthy();
    const attributes = configuration.loadBalancers[0]!.attributes;
    attributes["idle_timeout.timeout_seconds"] = "80";
    expect(ids(configuration)).toEqual([]);
    attributes["idle_timeout.timeout_seconds"] = "79";
    expect(ids(configuration)).toEqual(["alb-idle-timeout:warning"]);
    attributes["idle_timeout.timeout_seconds"] = "25";
    expect(ids(configuration)).toEqual(["alb-idle-timeout:error"]);
  });

  it("deregistration-delay: a warning when Ebb may raise it for its drains, an error when the stage forbids it", () => {
    const configuration = healthy();
    configuration.targetGroups[0]!.attributes["deregistration_delay.timeout_seconds"] = "30";
    expect(ids(configuration)).toEqual(["deregistration-delay:warning"]);
    expect(ids(configuration, { raiseDeregistrationDelay: false })).toEqual(["deregistration-delay:error"]);
    const finding = diagnose(configuration, context())[0];
    expect(finding?.fix.api).toBe("ModifyTargetGroupAttributes deregistration_delay.timeout_seconds=300");
  });

  it("hook timeouts: the global timeout is min(48 h, 100 × HeartbeatTimeout); a launch hook must outlast boot + checks", () => {
    expect(globalTimeoutSeconds(30)).toBe(3000);
    expect(globalTimeoutSeconds(7200)).toBe(172_800);
    const configuration = healthy();
    configuration.hooks[0]!.HeartbeatTimeout = 120;
    expect(ids(configuration)).toEqual(["hook-heartbeat-timeout:warning"]);
    expect(ids(configuration, { deployDefaults: { drain: { timeoutSeconds: 3600 } } })).not.toContain("hook-global-timeout:error");
    configuration.hooks[0]!.HeartbeatTimeout = 30;
    expect(ids(configuration, { deployDefaults: { drain: { timeoutSeconds: 3600 } } })).toContain("hook-global-timeout:error");
    configuration.hooks.push({ AutoScalingGroupName: "app", LifecycleHookName: "warm", LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING", HeartbeatTimeout: 60 });
    // boot 60 s + one 30 s interval > 60 s
    expect(ids(configuration)).toContain("hook-heartbeat-timeout:error");
  });

  it("health-check-grace-period and asg-health-check-type", () => {
    const configuration = healthy();
    configuration.group.HealthCheckGracePeriod = 60;
    expect(ids(configuration)).toEqual(["health-check-grace-period:error"]);
    configuration.group.HealthCheckType = "EC2";
    expect(ids(configuration)).toEqual(["asg-health-check-type:warning"]);
  });

  it("registration mode must match the attached target groups and the hooks; terminate-hook-missing is an error when Ebb owns registration", () => {
    const configuration = healthy();
    configuration.hooks = [];
    expect(ids(configuration)).toEqual(["terminate-hook-missing:warning"]);
    expect(ids(configuration, { targetRegistration: "ebb", targetGroupArns: [TG] })).toEqual([
      "registration-mode:error", "launch-hook-missing:error", "terminate-hook-missing:error",
    ]);
    configuration.group.TargetGroupARNs = [];
    expect(ids(configuration)).toContain("registration-mode:error");
  });

  it("every target unhealthy is a shared outage; unjudged (initial, draining) targets do not count", () => {
    const configuration = healthy();
    const health = configuration.targetGroups[0]!.health;
    health[0]!.TargetHealth = { State: "unhealthy", Reason: "Target.FailedHealthChecks" };
    expect(ids(configuration)).toEqual([]);
    health[1]!.TargetHealth = { State: "unhealthy", Reason: "Target.FailedHealthChecks" };
    expect(ids(configuration)).toEqual(["all-targets-unhealthy:error"]);
    health[1]!.TargetHealth = { State: "initial" };
    expect(ids(configuration)).toEqual(["all-targets-unhealthy:error"]);
  });

  it("connection-skew beyond ±20% of the mean (seeds/001)", () => {
    const configuration = healthy();
    configuration.connections = { "i-1": 1000, "i-2": 1000, "i-3": 1190 };
    expect(ids(configuration)).toEqual([]);
    configuration.connections["i-3"] = 1400;
    expect(ids(configuration)).toEqual(["connection-skew:warning"]);
  });

  it("suspended processes left suspended, unless a deploy holds the lock; Launch/Terminate block everything", () => {
    const configuration = healthy();
    configuration.group.SuspendedProcesses = [{ ProcessName: "AZRebalance" }];
    expect(ids(configuration)).toEqual(["suspended-processes:warning"]);
    configuration.group.SuspendedProcesses.push({ ProcessName: "Launch" });
    expect(ids(configuration)).toEqual(["suspended-processes:error"]);
    configuration.deployInProgress = true;
    expect(ids(configuration)).toEqual([]);
  });

  it("listeners: HTTPS present, HTTP redirects, no TLS 1.0/1.1 policy; stickiness off is a note", () => {
    const configuration = healthy();
    const [https, http] = configuration.loadBalancers[0]!.listeners;
    https!.SslPolicy = "ELBSecurityPolicy-2016-08";
    http!.DefaultActions = [{ Type: "forward", TargetGroupArn: TG }];
    configuration.targetGroups[0]!.attributes["stickiness.enabled"] = "false";
    expect(ids(configuration)).toEqual(["http-redirect:warning", "tls-policy:warning", "stickiness:info"]);
    configuration.loadBalancers[0]!.listeners = [http!];
    expect(ids(configuration)).toContain("https-listener-missing:warning");
  });

  it("health check path, thresholds and instance warmup", () => {
    const configuration = healthy();
    const group = configuration.targetGroups[0]!.group;
    group.HealthCheckPath = "/";
    group.HealthCheckIntervalSeconds = 5;
    group.UnhealthyThresholdCount = 2;
    configuration.policies = [{ PolicyName: "connections", EstimatedInstanceWarmup: 30 }];
    expect(ids(configuration)).toEqual(["health-check-path:warning", "health-check-thresholds:warning", "instance-warmup:warning"]);
  });
});
