import type { Check, Finding } from "./types.ts";

const LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
const TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";

/** Seeds 000 and 001 both pin this policy: TLS 1.2 and 1.3 only. */
export const RECOMMENDED_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Policies that still accept TLS 1.0 or 1.1 (the ELB guide's "Security policies for your Application Load Balancer"). */
const LEGACY_TLS_POLICIES = /^ELBSecurityPolicy-(2015-05|2016-08|TLS-1-0-|TLS-1-1-|FS-2018-06|FS-1-1-)/;

const hookFix = (transition: "launch" | "terminate", groupName: string) => ({
  api: `PutLifecycleHook --auto-scaling-group-name ${groupName} --lifecycle-hook-name ebb-${transition} --lifecycle-transition autoscaling:EC2_INSTANCE_${transition === "launch" ? "LAUNCHING" : "TERMINATING"} --heartbeat-timeout 900 --default-result ${transition === "launch" ? "ABANDON" : "CONTINUE"}`,
  sst: `new aws.autoscaling.LifecycleHook("ebb-${transition}", { autoscalingGroupName, lifecycleTransition: "autoscaling:EC2_INSTANCE_${transition === "launch" ? "LAUNCHING" : "TERMINATING"}", heartbeatTimeout: 900 })`,
  terraform: `aws_autoscaling_group.initial_lifecycle_hook { lifecycle_transition = "autoscaling:EC2_INSTANCE_${transition === "launch" ? "LAUNCHING" : "TERMINATING"}" }`,
});

/** Who registers instances (stage targetRegistration) must match what is attached and which hooks exist. */
export const checkRegistrationMode: Check = (configuration, { stage }) => {
  const group = configuration.group;
  const name = group.AutoScalingGroupName ?? "";
  const attached = group.TargetGroupARNs ?? [];
  const hasHook = (transition: string) => configuration.hooks.some((hook) => hook.LifecycleTransition === transition);
  const findings: Finding[] = [];
  if (stage.targetRegistration === "asg" && attached.length === 0) {
    findings.push({
      id: "registration-mode", severity: "error", resource: name,
      what: "the stage says the group registers its instances (targetRegistration asg), but no target group is attached to it",
      why: "new instances are never registered with the load balancer: every deploy replaces serving instances with ones that take no traffic",
      fix: { api: `AttachTrafficSources --auto-scaling-group-name ${name} --traffic-sources Identifier=<target group ARN>`, terraform: "aws_autoscaling_group.target_group_arns = [aws_lb_target_group.app.arn]" },
    });
  }
  if (stage.targetRegistration === "ebb") {
    if (attached.length > 0) {
      findings.push({
        id: "registration-mode", severity: "error", resource: name,
        what: `the stage says Ebb registers instances (targetRegistration ebb), but ${attached.length} target group(s) are attached to the group`,
        why: "an attached target group makes the ASG deregister a terminating instance and wait out the deregistration delay before the terminate hook runs: the load balancer cuts the connections before Ebb can drain them",
        fix: { api: `DetachTrafficSources --auto-scaling-group-name ${name} (Ebb's launch hook registers instead)`, terraform: "remove aws_autoscaling_group.target_group_arns; list the target groups in the stage's targetGroups" },
      });
    }
    if (stage.targetGroupArns.length === 0) {
      findings.push({
        id: "registration-mode", severity: "error", resource: name,
        what: "the stage says Ebb registers instances but names no target group (targetGroupArns)",
        why: "Ebb has nowhere to register new instances",
        fix: { api: "set targetGroups in stages/<stage>.json", sst: "stage config targetGroups: [\"<target group name or ARN>\"]" },
      });
    }
    if (!hasHook(LAUNCHING)) {
      findings.push({
        id: "launch-hook-missing", severity: "error", resource: name,
        what: "no launch lifecycle hook, although Ebb owns target registration",
        why: "Ebb registers a new instance from the launch hook: without it new instances go InService and take no traffic",
        fix: hookFix("launch", name),
      });
    }
  }
  if (!hasHook(TERMINATING)) {
    const owned = stage.targetRegistration === "ebb";
    findings.push({
      id: "terminate-hook-missing", severity: owned ? "error" : "warning", resource: name,
      what: "no terminate lifecycle hook on the group",
      why: owned
        ? "with Ebb-owned registration nothing deregisters or drains an instance the group terminates (scale-in, health replacement): its clients are cut and its target stays registered"
        : "terminations Ebb does not start (scale-in, health replacement, Instance Refresh) drain on the deregistration delay's timer, not on live connections",
      fix: hookFix("terminate", name),
    });
  }
  return findings;
};

export const checkListeners: Check = (configuration) =>
  configuration.loadBalancers.flatMap(({ loadBalancer, listeners }): Finding[] => {
    const resource = loadBalancer.LoadBalancerArn ?? "";
    const https = listeners.filter((listener) => listener.Protocol === "HTTPS");
    if (https.length === 0) {
      return [{
        id: "https-listener-missing", severity: "warning", resource,
        what: `no HTTPS listener (listeners: ${listeners.map((listener) => `${listener.Protocol ?? "?"}:${listener.Port ?? "?"}`).join(", ") || "none"})`,
        why: "WebSocket clients connect with ws:// in clear text; browsers block mixed content from an https page",
        fix: { api: `CreateListener --protocol HTTPS --port 443 --ssl-policy ${RECOMMENDED_TLS_POLICY} --certificates CertificateArn=<ACM>`, terraform: `aws_lb_listener { protocol = "HTTPS", ssl_policy = "${RECOMMENDED_TLS_POLICY}" }` },
      }];
    }
    const findings: Finding[] = [];
    for (const listener of listeners.filter((candidate) => candidate.Protocol === "HTTP")) {
      const redirects = (listener.DefaultActions ?? []).some((action) => action.Type === "redirect" && action.RedirectConfig?.Protocol === "HTTPS");
      if (!redirects) {
        findings.push({
          id: "http-redirect", severity: "warning", resource: listener.ListenerArn ?? resource,
          what: `the HTTP listener on port ${listener.Port ?? "?"} serves instead of redirecting to HTTPS`,
          why: "clients that start on http:// stay unencrypted",
          fix: { api: "ModifyListener --default-actions Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}", terraform: `aws_lb_listener.default_action { type = "redirect" }` },
        });
      }
    }
    for (const listener of https.filter((candidate) => LEGACY_TLS_POLICIES.test(candidate.SslPolicy ?? ""))) {
      findings.push({
        id: "tls-policy", severity: "warning", resource: listener.ListenerArn ?? resource,
        what: `the HTTPS listener uses ${listener.SslPolicy ?? "?"}, which accepts TLS 1.0/1.1`,
        why: "outdated TLS versions are refused by current clients and fail compliance scans (seeds/001 'Outdated TLS Version')",
        fix: { api: `ModifyListener --ssl-policy ${RECOMMENDED_TLS_POLICY}`, terraform: `aws_lb_listener.ssl_policy = "${RECOMMENDED_TLS_POLICY}"` },
      });
    }
    return findings;
  });

export const checkStickiness: Check = (configuration) =>
  configuration.targetGroups.flatMap(({ group, attributes }): Finding[] =>
    attributes["stickiness.enabled"] === "true"
      ? []
      : [{
          id: "stickiness", severity: "info", resource: group.TargetGroupArn ?? "",
          what: "stickiness is off on the target group",
          why: "a client that reconnects after a network blip lands on any instance and loses per-instance state; seeds/000 and seeds/003 enable lb_cookie stickiness (86400 s) for WebSocket clients",
          fix: { api: "ModifyTargetGroupAttributes stickiness.enabled=true stickiness.type=lb_cookie stickiness.lb_cookie.duration_seconds=86400", terraform: `aws_lb_target_group.stickiness { type = "lb_cookie", cookie_duration = 86400 }` },
        }]);

/** Processes a deploy suspends are resumed on every way out; left suspended with no deploy running, they are someone's leftover. */
export const checkSuspendedProcesses: Check = (configuration) => {
  const suspended = (configuration.group.SuspendedProcesses ?? []).flatMap((process) => process.ProcessName ?? []);
  if (suspended.length === 0 || configuration.deployInProgress) return [];
  const blocking = suspended.filter((name) => name === "Launch" || name === "Terminate");
  const name = configuration.group.AutoScalingGroupName ?? "";
  return [{
    id: "suspended-processes", severity: blocking.length > 0 ? "error" : "warning", resource: name,
    what: `processes suspended with no deploy running: ${suspended.join(", ")}`,
    why: blocking.length > 0
      ? `${blocking.join(" and ")} suspended: the group cannot replace instances, so no deploy or scaling can proceed`
      : "a deploy that ended without resuming them (or a manual suspension) leaves the group without health replacement, scaling or AZ rebalancing",
    fix: { api: `ResumeProcesses --auto-scaling-group-name ${name} --scaling-processes ${suspended.join(" ")}` },
  }];
};
