import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planStage } from "../../infra/plan.ts";
import { readProjectSources } from "../../infra/project.ts";
import { loadStageSettings, parseStageSettings } from "../../infra/stage-config.ts";

const root = join(import.meta.dirname, "..", "..");
const project = await readProjectSources(root);
const settings = await loadStageSettings(root, "dev");
const plan = planStage(settings, project);

describe("connection-aware scaling as deployed", () => {
  it("schedules the publisher every minute and lets it put metrics only into namespace Ebb", () => {
    expect(plan.schedules.find((schedule) => schedule.targetFunction === "publish-fleet-metrics")?.scheduleExpression).toBe("rate(1 minute)");
    const publisher = plan.functions.find((fn) => fn.name === "publish-fleet-metrics");
    const put = publisher?.permissions.filter((statement) => statement.actions.includes("cloudwatch:PutMetricData")) ?? [];
    expect(put).toEqual([
      { actions: ["cloudwatch:PutMetricData"], resources: ["*"], conditions: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: ["Ebb"] }] },
    ]);
    // Only the publisher and remediation's FleetWideOutage steps may put metrics, all into namespace Ebb.
    expect(plan.functions.filter((fn) => fn.permissions.some((statement) => statement.actions.includes("cloudwatch:PutMetricData"))).map((fn) => fn.name)).toEqual([
      "assess-remediation",
      "finish-remediation",
      "publish-fleet-metrics",
    ]);
  });

  it("tracks ConnectionsPerHealthyInstance of each group at the stage's target", () => {
    expect(plan.scaling?.policies).toEqual([
      {
        AutoScalingGroupName: "ebb-demo-asg",
        PolicyName: "ebb-dev-connections-per-instance",
        PolicyType: "TargetTrackingScaling",
        EstimatedInstanceWarmup: settings.runtime.scaling.instanceWarmupSeconds,
        TargetTrackingConfiguration: {
          TargetValue: settings.runtime.scaling.targetConnectionsPerInstance,
          DisableScaleIn: false,
          CustomizedMetricSpecification: {
            Namespace: "Ebb",
            MetricName: "ConnectionsPerHealthyInstance",
            Dimensions: [{ Name: "AutoScalingGroupName", Value: "ebb-demo-asg" }],
            Statistic: "Average",
          },
        },
      },
    ]);
  });

  it("alarms on ConnectionSkew above 1.2, under a name remediation does not act on", () => {
    const [alarm] = plan.scaling?.skewAlarms ?? [];
    expect(alarm).toMatchObject({ Namespace: "Ebb", MetricName: "ConnectionSkew", Threshold: 1.2, ComparisonOperator: "GreaterThanThreshold", Period: 60 });
    expect(alarm?.AlarmName.startsWith(settings.alarmNamePrefix)).toBe(false);
  });

  it("takes the target from the stage file, and refuses a skew threshold of 1 or less", async () => {
    const { readFile } = await import("node:fs/promises");
    const raw = JSON.parse(await readFile(join(root, "stages", "dev.json"), "utf8")) as Record<string, unknown>;
    const custom = parseStageSettings("dev", { ...raw, scaling: { targetConnectionsPerInstance: 750 } });
    expect(planStage(custom, project).scaling?.policies[0]?.TargetTrackingConfiguration.TargetValue).toBe(750);
    expect(() => parseStageSettings("dev", { ...raw, scaling: { skewAlarmThreshold: 1 } })).toThrow(/skewAlarmThreshold/);
  });
});
