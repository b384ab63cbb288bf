import type { Check, Finding } from "./types.ts";

/** seeds/001: connections per instance should be "roughly even (±20%)". */
export const SKEW_TOLERANCE = 0.2;

/** A path that answers even while the app is draining or its dependencies are down tells the load balancer nothing (seeds/002, seeds/003: readiness, not liveness). */
const UNINFORMATIVE_PATHS = new Set(["/", "/health/live", "/alive", "/ping"]);

export const checkHealthCheckSettings: Check = (configuration) =>
  configuration.targetGroups.flatMap(({ group }): Finding[] => {
    const resource = group.TargetGroupArn ?? "";
    const findings: Finding[] = [];
    if (group.HealthCheckEnabled === false) {
      findings.push({
        id: "health-check-disabled", severity: "error", resource,
        what: "health checks are disabled on the target group",
        why: "every target is routed to, booting or broken; Ebb cannot verify a new instance before the next batch",
        fix: { api: "ModifyTargetGroup --health-check-enabled --health-check-path /health/ready", terraform: "aws_lb_target_group.health_check { enabled = true }" },
      });
      return findings;
    }
    const path = group.HealthCheckPath ?? "/";
    if (UNINFORMATIVE_PATHS.has(path)) {
      findings.push({
        id: "health-check-path", severity: "warning", resource,
        what: `the health check asks ${path}`,
        why: "a liveness answer keeps routing to an instance that is draining or cannot reach its dependencies; the checklists use a readiness endpoint (/health/ready)",
        fix: { api: "ModifyTargetGroup --health-check-path /health/ready", sst: `new aws.lb.TargetGroup(..., { healthCheck: { path: "/health/ready" } })`, terraform: `aws_lb_target_group.health_check { path = "/health/ready" }` },
      });
    }
    const interval = group.HealthCheckIntervalSeconds ?? 30;
    const unhealthy = group.UnhealthyThresholdCount ?? 2;
    const detection = interval * unhealthy;
    if (detection < 20 || detection > 300) {
      findings.push({
        id: "health-check-thresholds", severity: "warning", resource,
        what: `a failing target is marked unhealthy after ${unhealthy} checks × ${interval} s = ${detection} s`,
        why: detection < 20
          ? "a hiccup shorter than a garbage-collection pause takes targets out of service and drops their clients"
          : "a broken target keeps receiving new connections for minutes",
        fix: { api: "ModifyTargetGroup --health-check-interval-seconds 30 --unhealthy-threshold-count 3 --healthy-threshold-count 2 (seeds/000, seeds/002)", terraform: "aws_lb_target_group.health_check { interval = 30, unhealthy_threshold = 3, healthy_threshold = 2 }" },
      });
    }
    return findings;
  });

/** With EC2 health checks a running instance whose app is dead is never replaced. */
export const checkHealthCheckType: Check = (configuration) => {
  const group = configuration.group;
  if (group.HealthCheckType === "ELB" || configuration.targetGroups.length === 0) return [];
  return [{
    id: "asg-health-check-type", severity: "warning", resource: group.AutoScalingGroupName ?? "",
    what: `the group's health check type is ${group.HealthCheckType ?? "EC2"} although it serves through a load balancer`,
    why: "EC2 status checks only see the machine: an instance whose app has hung keeps its place in the group while the load balancer sends it nothing (seeds/000 sets ELB)",
    fix: {
      api: "UpdateAutoScalingGroup --health-check-type ELB --health-check-grace-period 300",
      sst: `new aws.autoscaling.Group(..., { healthCheckType: "ELB" })`,
      terraform: `aws_autoscaling_group.health_check_type = "ELB"`,
    },
  }];
};

/** When every target fails, the cause is shared (seeds/001): the ALB fails open, the ASG would replace the whole fleet. */
export const checkAllTargetsUnhealthy: Check = (configuration) =>
  configuration.targetGroups.flatMap(({ group, health }): Finding[] => {
    const judged = health.filter((target) => !["initial", "draining", "unused"].includes(target.TargetHealth?.State ?? ""));
    if (judged.length === 0 || judged.some((target) => target.TargetHealth?.State === "healthy")) return [];
    return [{
      id: "all-targets-unhealthy", severity: "error", resource: group.TargetGroupArn ?? "",
      what: `all ${judged.length} targets are unhealthy (${[...new Set(judged.map((target) => target.TargetHealth?.Reason ?? "?"))].join(", ")})`,
      why: "a fleet-wide failure is a shared dependency (database, Redis, a bad config push), not bad hosts: the ALB fails open, and replacing instances only adds cold boots to the outage",
      fix: { api: "fix the shared dependency first; SuspendProcesses --scaling-processes ReplaceUnhealthy while it is down, ResumeProcesses after" },
    }];
  });

export const checkConnectionSkew: Check = (configuration) => {
  const counts = Object.entries(configuration.connections);
  if (counts.length < 2) return [];
  const mean = counts.reduce((sum, [, count]) => sum + count, 0) / counts.length;
  if (mean === 0) return [];
  const skewed = counts.filter(([, count]) => Math.abs(count - mean) > SKEW_TOLERANCE * mean);
  if (skewed.length === 0) return [];
  return [{
    id: "connection-skew", severity: "warning", resource: configuration.group.AutoScalingGroupName ?? "",
    what: `${skewed.length} of ${counts.length} instances are more than ±${SKEW_TOLERANCE * 100}% from the mean of ${Math.round(mean)} connections (${skewed.map(([id, count]) => `${id} ${count}`).join(", ")})`,
    why: "long-lived connections stay where they landed: after a deploy or scale-out new instances sit empty while old ones carry the load, and draining a full one takes longest",
    fix: { api: "ModifyTargetGroupAttributes load_balancing.algorithm.type=least_outstanding_requests; have clients reconnect with jitter; Ebb's deploys rebalance as they go", terraform: `aws_lb_target_group.load_balancing_algorithm_type = "least_outstanding_requests"` },
  }];
};
