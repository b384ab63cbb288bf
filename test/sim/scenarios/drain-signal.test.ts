import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { runtime } from "../../../core/runtime.ts";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";
import type { SimulationReport } from "../../../sim/report/report.ts";

interface Audited {
  step: string;
  batchIndex?: number;
  detail?: Record<string, unknown>;
}

const demoDeploy = { autoScalingGroupName: "ebb-demo-asg", launchTemplateVersion: "2", batchSize: "25%", minHealthyPercent: 75 };

/** A rolling deploy whose drain signal fails on the first instance; returns the report, the audit log and that instance's id. */
async function deployWith(ssm: NonNullable<NonNullable<ScenarioConfigInput["faults"]>["ssm"]>): Promise<{ report: SimulationReport; audit: Audited[]; victim: string }> {
  const config = parseScenarioConfig({ scenario: "drain-signal", run: { kind: "rolling-deploy", input: demoDeploy }, faults: { ssm } }, "test");
  let audit: Audited[] = [];
  let victim = "";
  const report = await simulate(config, {
    onSettled: async (world) => {
      victim = world.autoscaling.instanceByLaunchIndex(0)?.instanceId ?? "";
      const rt = runtime();
      const items = (await rt.clients.dynamo.send(new ScanCommand({ TableName: rt.stage.tables.deploys }))).Items ?? [];
      audit = items.filter((item) => String(item["sk"] ?? "").startsWith("audit#")).map((item) => item as Audited);
    },
  });
  return { report, audit, victim };
}

const batchOf = (audit: Audited[], instanceId: string): number | undefined =>
  audit.find((entry) => entry.step === "batch-started" && (entry.detail?.["instanceIds"] as string[] | undefined)?.includes(instanceId))?.batchIndex;

// SSM Run Command, "Understanding command statuses": SendCommand only queues the command; each
// invocation ends Success, Failed, TimedOut... on its own, readable with ListCommandInvocations —
// https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html
describe("the drain signal's result is read, not assumed", () => {
  it("sends a failed signal again: the retry reaches the app and nobody is cut off", async () => {
    const { report, audit, victim } = await deployWith([{ instanceIndex: 0, times: 1 }]);
    expect(report.outcome, report.cause).toBe("Succeeded");
    expect(report.connections.forcedDisconnects).toBe(0);
    const batch = batchOf(audit, victim);
    const retried = audit.find((entry) => entry.step === "drain-signal-retried" && entry.batchIndex === batch);
    expect(retried?.detail?.["instanceIds"]).toEqual([victim]);
    expect(String((retried?.detail?.["failures"] as Record<string, string>)[victim])).toMatch(/^Failed/);
    expect(audit.some((entry) => entry.step === "drained" && entry.batchIndex === batch)).toBe(true);
  });

  it("never calls an instance whose signal failed on every attempt drained: the audit says the load balancer alone drained it", async () => {
    const { report, audit, victim } = await deployWith([{ instanceIndex: 0 }]);
    const batch = batchOf(audit, victim);
    const unsignalled = audit.find((entry) => entry.step === "drain-unsignalled" && entry.batchIndex === batch);
    expect(unsignalled?.detail?.["note"]).toBe("drained by the load balancer view alone");
    expect(String((unsignalled?.detail?.["unsignalled"] as Record<string, string>)[victim])).toMatch(/failed on all 3 attempts/);
    const ended = audit.filter((entry) => entry.batchIndex === batch && entry.step.startsWith("drain")).map((entry) => entry.step);
    expect(ended).not.toContain("drained");
    expect(ended).not.toContain("drained-without-signal");
    // The app never shed, so its clients were still there when the drain ran out of time: the report
    // counts every one of them and the instance as terminated without a drain.
    expect(ended.some((step) => step === "drain-timed-out" || step === "drain-cut")).toBe(true);
    expect(report.connections.forcedDisconnects).toBeGreaterThan(0);
    expect(report.instances.terminatedWithoutDrain).toBe(1);
  });
});
