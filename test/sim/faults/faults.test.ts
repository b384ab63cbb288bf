import { describe, expect, it } from "vitest";
import type { AlarmStateChangeDetail } from "../../../emulator/cloudwatch/alarm-types.ts";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import { START_MS, quietWorld } from "../../support/world.ts";

const secondsIn = (seconds: number): number => START_MS + seconds * 1000;

describe("FaultInjector", () => {
  const faulty: ScenarioConfigInput = {
    seed: 42,
    faults: {
      api: [
        { service: "elasticloadbalancing", action: "DescribeTargetHealth", kind: "throttle", rate: 0.5 },
        { service: "autoscaling", kind: "server-error", rate: 0.2 },
      ],
    },
  };

  it("draws API faults from the seeded stream: the same seed gives the same faults", () => {
    const draw = (config: ScenarioConfigInput) => {
      const world = quietWorld(config);
      return Array.from({ length: 200 }, (_, index) => world.faults.apiFault(index % 2 === 0 ? "elasticloadbalancing" : "autoscaling", index % 4 < 2 ? "DescribeTargetHealth" : "SetDesiredCapacity"));
    };
    const first = draw(faulty);
    expect(first).toEqual(draw(faulty));
    expect(first).not.toEqual(draw({ ...faulty, seed: 43 }));
    const throttles = first.filter((fault) => fault === "throttle").length;
    const errors = first.filter((fault) => fault === "server-error").length;
    expect(throttles).toBeGreaterThan(25);
    expect(throttles).toBeLessThan(75);
    expect(errors).toBeGreaterThan(5);
    expect(errors).toBeLessThan(40);
  });

  it("applies a fault only to its service and action (`*` = every action)", () => {
    const world = quietWorld({ faults: { api: [{ service: "elasticloadbalancing", action: "DescribeTargetHealth", kind: "throttle", rate: 1 }, { service: "ssm", kind: "server-error", rate: 1 }] } });
    expect(world.faults.apiFault("elasticloadbalancing", "DescribeTargetHealth")).toBe("throttle");
    expect(world.faults.apiFault("elasticloadbalancing", "DescribeTargetGroups")).toBeUndefined();
    expect(world.faults.apiFault("autoscaling", "DescribeTargetHealth")).toBeUndefined();
    expect(world.faults.apiFault("ssm", "SendCommand")).toBe("server-error");
  });

  it("flaps the health check of one instance in alternating periods inside the window", () => {
    const world = quietWorld({ fleet: { desiredCapacity: 3 }, faults: { flapping: [{ atSeconds: 100, durationSeconds: 120, instanceIndex: 2, periodSeconds: 30 }] } });
    const failing = (seconds: number, launchIndex = 2) => world.faults.healthCheckForcedFailing({ launchIndex, availabilityZone: "us-east-1a" }, secondsIn(seconds));
    expect([99, 100, 129, 130, 159, 160, 219, 220].map((seconds) => failing(seconds))).toEqual([false, true, true, false, false, true, false, false]);
    expect(failing(100, 1)).toBe(false);
  });

  it("fails every health check during a shared outage", () => {
    const world = quietWorld({ faults: { sharedOutages: [{ atSeconds: 60, durationSeconds: 60 }] } });
    expect(world.faults.sharedOutageActive(secondsIn(59))).toBe(false);
    expect(world.faults.sharedOutageActive(secondsIn(60))).toBe(true);
    expect(world.faults.healthCheckForcedFailing({ launchIndex: 7, availabilityZone: "us-east-1a" }, secondsIn(119))).toBe(true);
    expect(world.faults.sharedOutageActive(secondsIn(120))).toBe(false);
  });

  it("crashes the instance with a launch index once, at its time", () => {
    // Needs the fleet physics (AutoScalingModel.crashInstance).
    const world = quietWorld({ fleet: { desiredCapacity: 3 }, clients: { sessions: 300 }, faults: { crashes: [{ atSeconds: 30, instanceIndex: 1 }] } });
    const instance = world.autoscaling.instanceByLaunchIndex(1);
    expect(instance?.crashed).toBe(false);
    world.advance(29);
    expect(world.autoscaling.instanceByLaunchIndex(1)?.crashed).toBe(false);
    world.advance(1);
    expect(world.autoscaling.instanceByLaunchIndex(1)?.crashed).toBe(true);
    world.advance(20);
    expect(world.faults.fired()).toEqual([
      { kind: "crash", atMs: secondsIn(30), target: instance?.instanceId, outcome: "applied" },
    ]);
    // A launch index the starting fleet does not have is a config error, not a fault that never fires.
    expect(() => quietWorld({ fleet: { desiredCapacity: 3 }, faults: { crashes: [{ atSeconds: 40, instanceIndex: 99 }] } })).toThrow(/no instance with launch index 99/);
  });

  it("forces an alarm's state at its time, which announces the change", () => {
    const world = quietWorld({ app: { alarms: [{ alarmName: "ebb-rollback" }] }, faults: { alarms: [{ atSeconds: 90, alarmName: "ebb-rollback" }] } });
    world.cloudwatch.putMetricAlarm({ AlarmName: "ebb-rollback", MetricName: "Errors", Namespace: "Ebb/Test", Statistic: "Sum", Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: "GreaterThanThreshold", TreatMissingData: "notBreaching" });
    world.advance(89);
    expect(world.cloudwatch.alarm("ebb-rollback")?.StateValue).toBe("OK");
    world.advance(1);
    expect(world.cloudwatch.alarm("ebb-rollback")?.StateValue).toBe("ALARM");
    const changes = world.events.published().map((event) => (event.detail as AlarmStateChangeDetail).state.value);
    expect(changes).toEqual(["OK", "ALARM"]);
    expect(world.faults.fired()).toEqual([{ kind: "alarm", atMs: secondsIn(90), target: "ebb-rollback", outcome: "applied" }]);
  });
});
