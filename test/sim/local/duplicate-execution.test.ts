import { SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { DeleteCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { runtime } from "../../../core/runtime.ts";
import { installLocalEbb } from "../../../sim/local/ebb.ts";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { World } from "../../../sim/world.ts";

/*
 * EventBridge retries a delivery for up to 24 hours and delivers at least once
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html), longer than
 * Powertools keeps an idempotency record (an hour by default, then DynamoDB's TTL removes it:
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/). What is left is
 * Step Functions itself: StartExecution of a Standard workflow with the name of a closed execution
 * is refused with ExecutionAlreadyExists
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
describe("a lifecycle event delivered again after its idempotency record is gone", () => {
  it("is refused by Step Functions (ExecutionAlreadyExists): one workflow, the action completed once", async () => {
    const config = parseScenarioConfig(
      {
        fleet: {
          desiredCapacity: 3,
          targetRegistration: "ebb",
          lifecycleHooks: [
            { name: "ebb-launch", transition: "launch", heartbeatTimeoutSeconds: 300, defaultResult: "ABANDON" },
            { name: "ebb-terminate", transition: "terminate", heartbeatTimeoutSeconds: 300, defaultResult: "CONTINUE" },
          ],
        },
        clients: { sessions: 300 },
        run: { kind: "idle" },
      },
      "test",
    );
    const world = new World(config);
    world.advance(120);
    await world.events.flush();
    const ebb = await installLocalEbb(world);
    try {
      const rt = runtime();
      await rt.clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: config.fleet.autoScalingGroupName, DesiredCapacity: 2 }));
      const hookRuns = () => ebb.stepFunctions.executions().map((execution) => execution.summary()).filter((summary) => summary.name.startsWith("terminate-"));
      const deadlineMs = world.clock.nowMs + 1800_000;
      while (world.clock.nowMs < deadlineMs && !(hookRuns().length === 1 && hookRuns()[0]?.status === "SUCCEEDED")) await ebb.advanceTo(world.clock.nowMs + 1000);
      expect(hookRuns().map((summary) => summary.status)).toEqual(["SUCCEEDED"]);
      expect(world.stats.lifecycleCompleted).toBe(1);
      const startsBefore = world.stats.apiCalls.get("states:StartExecution") ?? 0;
      expect(startsBefore).toBe(1);

      // The idempotency record expires and is removed.
      const table = ebb.stage.tables.idempotency;
      const records = (await rt.clients.dynamo.send(new ScanCommand({ TableName: table }))).Items ?? [];
      expect(records).toHaveLength(1);
      for (const record of records) await rt.clients.dynamo.send(new DeleteCommand({ TableName: table, Key: { id: record["id"] } }));

      const original = world.events.published().find((event) => event["detail-type"] === "EC2 Instance-terminate Lifecycle Action");
      expect(original).toBeDefined();
      const deliveredBefore = world.events.deliveries().length;
      world.events.publish({ "detail-type": original?.["detail-type"] ?? "", source: original?.source ?? "", resources: original?.resources ?? [], detail: original?.detail });
      await ebb.deliverEvents();

      const redelivered = world.events.deliveries().slice(deliveredBefore).filter((delivery) => delivery.detailType === "EC2 Instance-terminate Lifecycle Action");
      expect(redelivered.map((delivery) => delivery.error)).toEqual([undefined]);
      // The handler did ask Step Functions again, and was refused: still one execution, and its
      // answer (kept in a new idempotency record) says the event was a duplicate.
      expect(world.stats.apiCalls.get("states:StartExecution")).toBe(startsBefore + 1);
      expect(hookRuns()).toHaveLength(1);
      const [fresh] = (await rt.clients.dynamo.send(new ScanCommand({ TableName: table }))).Items ?? [];
      expect(fresh?.["data"]).toMatchObject({ duplicate: true });
      expect(world.stats.lifecycleCompleted).toBe(1);
      expect(world.stats.duplicateCompletions).toBe(0);
      expect(world.stats.forcedDisconnects).toBe(0);
    } finally {
      await ebb.stop();
    }
  });
});
