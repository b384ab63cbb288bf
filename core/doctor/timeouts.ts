import { DEREGISTRATION_DELAY_KEY } from "../deregistration-delay.ts";
import { newTargetHealthySeconds, verifiedHealthySeconds } from "../timing.ts";
import type { Check, DoctorContext, Finding, FleetConfiguration } from "./types.ts";

/** The lifecycle action's global timeout: "48 hours or 100 times the heartbeat timeout, whichever is smaller" (Amazon EC2 Auto Scaling lifecycle hooks). */
export const globalTimeoutSeconds = (heartbeatTimeoutSeconds: number): number => Math.min(48 * 3600, 100 * heartbeatTimeoutSeconds);

const LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
const TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";

/** From launch until a new instance is healthy on the slowest of the group's target groups. */
function bootToHealthySeconds(configuration: FleetConfiguration, context: DoctorContext): number {
  const intervals = configuration.targetGroups.map((reading) => reading.group.HealthCheckIntervalSeconds ?? 30);
  return verifiedHealthySeconds(
    { bootSeconds: context.stage.estimates.bootSeconds, healthCheckIntervalSeconds: Math.max(0, ...intervals) },
    context.stage.deployDefaults.health.consecutiveHealthyChecks,
  );
}

/** seeds/003: LB idle timeout = heartbeat + grace + margin (80 s = 25 + 25 + 30); seeds/000 sets 3600 s. */
export const checkIdleTimeout: Check = (configuration, { clients }) =>
  configuration.loadBalancers.flatMap((reading): Finding[] => {
    const idle = Number(reading.attributes["idle_timeout.timeout_seconds"] ?? 60);
    const clientGivesUp = clients.heartbeatSeconds + clients.heartbeatGraceSeconds;
    const wanted = clientGivesUp + clients.marginSeconds;
    if (idle >= wanted) return [];
    const cuts = idle <= clients.heartbeatSeconds;
    return [{
      id: "alb-idle-timeout",
      severity: cuts ? "error" : "warning",
      resource: reading.loadBalancer.LoadBalancerArn ?? "",
      what: `the load balancer's idle timeout is ${idle} s; clients heartbeat every ${clients.heartbeatSeconds} s and give up ${clients.heartbeatGraceSeconds} s later`,
      why: cuts
        ? "an idle timeout no longer than the heartbeat interval closes quiet WebSocket connections between two heartbeats: every such client reconnects"
        : `a timeout under heartbeat + grace + margin (${wanted} s, seeds/003's 80 s rule) leaves no room for one late heartbeat before the load balancer closes the connection`,
      fix: {
        api: `ModifyLoadBalancerAttributes idle_timeout.timeout_seconds=${Math.max(wanted, 80)} (seeds/000 uses 3600 with nginx proxy_read_timeout 3600s)`,
        sst: `new aws.lb.LoadBalancer(..., { idleTimeout: ${Math.max(wanted, 80)} })`,
        terraform: `aws_lb.idle_timeout = ${Math.max(wanted, 80)}`,
      },
    }];
  });

/** The short-delay trap: the load balancer cuts what a connection-aware drain was about to hand off. */
export const checkDeregistrationDelay: Check = (configuration, { stage }) =>
  configuration.targetGroups.flatMap((reading): Finding[] => {
    const delay = Number(reading.attributes[DEREGISTRATION_DELAY_KEY] ?? 300);
    const drain = stage.deployDefaults.drain.timeoutSeconds;
    if (delay >= drain) return [];
    const raised = stage.raiseDeregistrationDelay;
    return [{
      id: "deregistration-delay",
      severity: raised ? "warning" : "error",
      resource: reading.group.TargetGroupArn ?? "",
      what: `the deregistration delay is ${delay} s, shorter than the drain timeout of ${drain} s`,
      why: raised
        ? "Ebb raises the delay for its own deploys and restores it after, but every other deregistration (scale-in, a health replacement, Instance Refresh) closes the connections still open after this delay"
        : "the stage does not let Ebb raise the delay (raiseDeregistrationDelay false), so every deploy is refused; drains outside Ebb are cut when the delay expires",
      fix: {
        api: `ModifyTargetGroupAttributes deregistration_delay.timeout_seconds=${drain}`,
        sst: `new aws.lb.TargetGroup(..., { deregistrationDelay: ${drain} })`,
        terraform: `aws_lb_target_group.deregistration_delay = ${drain}`,
      },
    }];
  });

/** A lifecycle action that expires takes its DefaultResult, whatever the drain or the boot was doing. */
export const checkHookTimeouts: Check = (configuration, context) => {
  const drain = context.stage.deployDefaults.drain.timeoutSeconds;
  const boot = bootToHealthySeconds(configuration, context);
  return configuration.hooks.flatMap((hook): Finding[] => {
    const heartbeat = hook.HeartbeatTimeout ?? 3600;
    const resource = `${hook.AutoScalingGroupName ?? ""}/${hook.LifecycleHookName ?? ""}`;
    const fix = (seconds: number) => ({
      api: `PutLifecycleHook --lifecycle-hook-name ${hook.LifecycleHookName ?? ""} --heartbeat-timeout ${seconds}`,
      sst: `new aws.autoscaling.LifecycleHook(..., { heartbeatTimeout: ${seconds} })`,
      terraform: `aws_autoscaling_lifecycle_hook.heartbeat_timeout = ${seconds}`,
    });
    if (hook.LifecycleTransition === TERMINATING && globalTimeoutSeconds(heartbeat) < drain) {
      return [{
        id: "hook-global-timeout", severity: "error", resource,
        what: `the terminate hook's global timeout (${globalTimeoutSeconds(heartbeat)} s: 100 × HeartbeatTimeout ${heartbeat} s) is shorter than the drain timeout of ${drain} s`,
        why: "heartbeats cannot extend an action past its global timeout: the instance is terminated mid-drain with its connections open",
        fix: fix(Math.min(7200, Math.ceil(drain / 100))),
      }];
    }
    if (hook.LifecycleTransition === TERMINATING && heartbeat < drain) {
      return [{
        id: "hook-heartbeat-timeout", severity: "warning", resource,
        what: `the terminate hook's HeartbeatTimeout is ${heartbeat} s, shorter than the drain timeout of ${drain} s`,
        why: "a drain longer than the heartbeat timeout survives only if RecordLifecycleActionHeartbeat is called in time; one missed heartbeat and the action takes its DefaultResult mid-drain",
        fix: fix(Math.min(7200, drain + 60)),
      }];
    }
    if (hook.LifecycleTransition === LAUNCHING && heartbeat < boot) {
      return [{
        id: "hook-heartbeat-timeout", severity: "error", resource,
        what: `the launch hook's HeartbeatTimeout is ${heartbeat} s; a new instance needs about ${boot} s to boot and pass its health checks`,
        why: `the action expires before the instance is healthy and takes its DefaultResult (${hook.DefaultResult ?? "ABANDON"}): ABANDON terminates every new instance, CONTINUE puts it in service unverified`,
        fix: fix(Math.min(7200, boot * 2)),
      }];
    }
    return [];
  });
};

/** With ELB health checks, the group judges a new instance once the grace period is over: before it has booted, it is replaced. */
export const checkGracePeriod: Check = (configuration, context) => {
  const grace = configuration.group.HealthCheckGracePeriod ?? 0;
  const intervals = configuration.targetGroups.map((reading) => reading.group.HealthCheckIntervalSeconds ?? 30);
  const needed = newTargetHealthySeconds({ bootSeconds: context.stage.estimates.bootSeconds, healthCheckIntervalSeconds: Math.max(0, ...intervals) });
  if (configuration.group.HealthCheckType !== "ELB" || grace >= needed) return [];
  return [{
    id: "health-check-grace-period", severity: "error", resource: configuration.group.AutoScalingGroupName ?? "",
    what: `the health check grace period is ${grace} s; a new instance needs about ${needed} s (boot ${context.stage.estimates.bootSeconds} s + one check interval) to pass its first load balancer health check`,
    why: "the group starts acting on ELB health before the app is up: new instances are marked unhealthy and replaced in a loop, and a deploy never completes",
    fix: {
      api: `UpdateAutoScalingGroup --health-check-grace-period ${Math.max(needed * 2, 300)}`,
      sst: `new aws.autoscaling.Group(..., { healthCheckGracePeriod: ${Math.max(needed * 2, 300)} })`,
      terraform: `aws_autoscaling_group.health_check_grace_period = ${Math.max(needed * 2, 300)} (seeds/000: 300)`,
    },
  }];
};

/** Target tracking counts a new instance's metrics once its warmup is over: too short, and it scales on instances that carry nothing yet. */
export const checkInstanceWarmup: Check = (configuration, context) => {
  const needed = bootToHealthySeconds(configuration, context);
  const group = configuration.group;
  return configuration.policies.flatMap((policy): Finding[] => {
    const warmup = policy.EstimatedInstanceWarmup ?? group.DefaultInstanceWarmup ?? group.DefaultCooldown ?? 300;
    if (warmup >= needed) return [];
    return [{
      id: "instance-warmup", severity: "warning", resource: policy.PolicyARN ?? policy.PolicyName ?? "",
      what: `scaling policy ${policy.PolicyName ?? ""} warms instances up for ${warmup} s; a new instance needs about ${needed} s to boot and turn healthy`,
      why: "instances still booting count as capacity: connections per instance look low and target tracking scales in (or stops scaling out) too early",
      fix: {
        api: `UpdateAutoScalingGroup --default-instance-warmup ${needed}`,
        sst: `new aws.autoscaling.Group(..., { defaultInstanceWarmup: ${needed} })`,
        terraform: `aws_autoscaling_group.default_instance_warmup = ${needed}`,
      },
    }];
  });
};
