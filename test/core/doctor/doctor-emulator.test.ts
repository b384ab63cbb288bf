import {
  CreateListenerCommand, DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_TIMEOUTS, runDoctor } from "../../../core/doctor/index.ts";
import { readFleetConfiguration } from "../../../core/doctor/read.ts";
import { createAwsClients, inProcessClientConfig } from "../../../sim/aws-clients.ts";
import type { ScenarioConfig } from "../../../sim/config/schema.ts";
import { simulationStage } from "../../../sim/local/stage.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { World } from "../../../sim/world.ts";

/** The doctor reads the emulated account through real SDK clients, as it reads AWS. */
async function doctor(scenario: string) {
  const world = new World(loadScenario(scenario));
  // Past CloudWatch's ingestion delay, so connection counts are readable.
  world.advance(180);
  const { runtime: stage } = await simulationStage(world);
  const report = await runDoctor(createAwsClients(world), { stage, clients: DEFAULT_CLIENT_TIMEOUTS }, { now: world.clock.now() });
  return { report, world };
}

describe("ebb doctor over the emulator", () => {
  it("finds the misconfigured scenario's mistakes, with a fix for each", async () => {
    const { report, world } = await doctor("misconfigured");
    const findings = report.groups[0]?.findings ?? [];
    const found = new Map(findings.map((finding) => [finding.id, finding]));
    for (const id of ["alb-idle-timeout", "deregistration-delay", "asg-health-check-type", "terminate-hook-missing", "hook-heartbeat-timeout", "suspended-processes", "health-check-path"]) {
      expect(found.has(id), id).toBe(true);
    }
    expect(found.get("alb-idle-timeout")?.what).toContain("idle timeout is 60 s");
    expect(found.get("deregistration-delay")?.what).toContain("30 s, shorter than the drain timeout of 300 s");
    expect(found.get("suspended-processes")?.what).toContain("AZRebalance, ReplaceUnhealthy");
    expect(report.counts.error).toBeGreaterThan(0);
    for (const finding of findings) expect(finding.fix.api.length, finding.id).toBeGreaterThan(0);
    // Read-only: it looked, it changed nothing.
    expect(world.stats.apiCalls.get("autoscaling:DescribeLifecycleHooks")).toBe(1);
    expect([...world.stats.apiCalls.keys()].every((call) => /:(Describe|Get)/.test(call))).toBe(true);
  });

  it("finds no error on the default rolling-deploy fleet, and every instance's connections within ±20%", async () => {
    const { report } = await doctor("rolling-deploy");
    const findings = report.groups[0]?.findings ?? [];
    expect(findings.filter((finding) => finding.severity === "error")).toEqual([]);
    expect(findings.map((finding) => finding.id)).not.toContain("connection-skew");
    expect(report.counts.error).toBe(0);
  });

  it("reads what the checks need: hooks, attributes, listeners, and a connection count per InService instance", async () => {
    const world = new World(loadScenario("misconfigured"));
    world.advance(180);
    const { runtime: stage } = await simulationStage(world);
    const read = await readFleetConfiguration(createAwsClients(world), stage, "ebb-demo-asg", { now: world.clock.now(), deployInProgress: false });
    expect(read.hooks.map((hook) => [hook.LifecycleTransition, hook.HeartbeatTimeout])).toEqual([["autoscaling:EC2_INSTANCE_LAUNCHING", 30]]);
    expect(read.loadBalancers[0]?.attributes["idle_timeout.timeout_seconds"]).toBe("60");
    expect(read.loadBalancers[0]?.listeners.map((listener) => `${listener.Protocol}:${listener.Port}`)).toEqual(["HTTP:80"]);
    expect(read.targetGroups[0]?.attributes["deregistration_delay.timeout_seconds"]).toBe("30");
    const counts = Object.values(read.connections);
    expect(counts).toHaveLength(12);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(11_000);
  });
});

describe("ebb doctor's listener checks against the emulated load balancer's listeners", () => {
  const withListeners = (listeners: ScenarioConfig["targetGroup"]["listeners"]): ScenarioConfig => {
    const config = loadScenario("rolling-deploy");
    return { ...config, targetGroup: { ...config.targetGroup, listeners } };
  };
  const findingsOf = async (world: World): Promise<string[]> => {
    world.advance(180);
    const { runtime: stage } = await simulationStage(world);
    const report = await runDoctor(createAwsClients(world), { stage, clients: DEFAULT_CLIENT_TIMEOUTS }, { now: world.clock.now() });
    return (report.groups[0]?.findings ?? []).map((finding) => finding.id);
  };
  const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/ebb-test";

  it("a plain-HTTP fleet (misconfigured) gets https-listener-missing", async () => {
    expect(await findingsOf(new World(loadScenario("misconfigured")))).toContain("https-listener-missing");
  });

  it("HTTPS with a current policy and HTTP redirecting to it: no listener finding", async () => {
    const world = new World(withListeners([
      { port: 80, protocol: "HTTP", action: "redirect-https" },
      { port: 443, protocol: "HTTPS", action: "forward", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: CERTIFICATE },
    ]));
    const ids = await findingsOf(world);
    for (const id of ["https-listener-missing", "http-redirect", "tls-policy"]) expect(ids, id).not.toContain(id);
  });

  it("an HTTP listener that serves next to HTTPS gets http-redirect; a TLS 1.0 policy gets tls-policy", async () => {
    const world = new World(withListeners([
      { port: 80, protocol: "HTTP", action: "forward" },
      { port: 443, protocol: "HTTPS", action: "forward", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: CERTIFICATE },
    ]));
    const ids = await findingsOf(world);
    expect(ids).toContain("http-redirect");
    expect(ids).toContain("tls-policy");
    expect(ids).not.toContain("https-listener-missing");
  });

  it("CreateListener over the wire (ELBv2 API reference, CreateListener): HTTPS needs a certificate, one listener per port, DescribeListeners shows it", async () => {
    const world = new World(loadScenario("rolling-deploy"));
    const elbv2 = new ElasticLoadBalancingV2Client(inProcessClientConfig(world));
    const [loadBalancer] = (await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const LoadBalancerArn = loadBalancer?.LoadBalancerArn ?? "";
    const [targetGroup] = (await elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    const forward = [{ Type: "forward" as const, TargetGroupArn: targetGroup?.TargetGroupArn ?? "" }];
    await expect(elbv2.send(new CreateListenerCommand({ LoadBalancerArn, Protocol: "HTTPS", Port: 443, DefaultActions: forward }))).rejects.toMatchObject({ name: "ValidationError" });
    await expect(elbv2.send(new CreateListenerCommand({ LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forward }))).rejects.toMatchObject({ name: "DuplicateListenerException" });
    const created = await elbv2.send(new CreateListenerCommand({
      LoadBalancerArn, Protocol: "HTTPS", Port: 443, SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", Certificates: [{ CertificateArn: CERTIFICATE }], DefaultActions: forward,
    }));
    expect(created.Listeners?.[0]).toMatchObject({ Protocol: "HTTPS", Port: 443, SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", Certificates: [{ CertificateArn: CERTIFICATE }] });
    const listed = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn }))).Listeners ?? [];
    expect(listed.map((listener) => `${listener.Protocol}:${listener.Port}`)).toEqual(["HTTP:80", "HTTPS:443"]);
    elbv2.destroy();
    const ids = await findingsOf(world);
    expect(ids).not.toContain("https-listener-missing");
    // The HTTP listener still forwards: it should redirect.
    expect(ids).toContain("http-redirect");
  });
});
