import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdempotencyConfig } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { makeHandlerIdempotent } from "@aws-lambda-powertools/idempotency/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import { InvalidEvent } from "../../core/errors.ts";
import type { Runtime } from "../../core/runtime.ts";
import { describeIssues } from "../../shared/validation.ts";
import { observe, perRuntime } from "./observed.ts";

/**
 * An EventBridge target: the event is zod-validated first (a malformed one is rejected before
 * anything is touched, idempotency record included), then Powertools Idempotency on the stage's
 * idempotency table, keyed by `eventKeyJmesPath`, lets a duplicate delivery return the first
 * result without running again. Only for event handlers, never for pollers (whose answers change).
 */
export function idempotentEventHandler<Schema extends z.ZodType, Result>(
  name: string,
  schema: Schema,
  eventKeyJmesPath: string,
  run: (event: z.output<Schema>, rt: Runtime, context: Context) => Promise<Result>,
): (event: unknown, context: Context) => Promise<Result> {
  return perRuntime((rt) => {
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: rt.stage.tables.idempotency,
      // The document client is an SDK v3 client over the same connection; Powertools marshals its own items.
      awsSdkV3Client: rt.clients.dynamo as unknown as DynamoDBClient,
    });
    const config = new IdempotencyConfig({ eventKeyJmesPath, throwOnNoIdempotencyKey: true });
    const chain = middy(async (event: unknown, context: Context): Promise<Result> => run(event as z.output<Schema>, rt, context), { timeoutEarlyInMillis: 0 });
    return observe(chain, rt)
      .before((request) => {
        const parsed = schema.safeParse(request.event);
        if (!parsed.success) throw new InvalidEvent(name, describeIssues(parsed.error, "(event)"));
        request.event = parsed.data;
      })
      .use(makeHandlerIdempotent({ persistenceStore, config }));
  });
}

/** The ARN of a state machine deployed next to this function (`ebb-<stage>-<function>` → `ebb-<stage>-<workflow>`). */
export function siblingStateMachineArn(context: Pick<Context, "invokedFunctionArn" | "functionName">, functionName: string, workflow: string): string {
  const [, partition, , region, account] = context.invokedFunctionArn.split(":");
  const prefix = context.functionName.endsWith(functionName) ? context.functionName.slice(0, -functionName.length) : "";
  return `arn:${partition ?? "aws"}:states:${region ?? ""}:${account ?? ""}:stateMachine:${prefix}${workflow}`;
}
