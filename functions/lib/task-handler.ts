import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import { InvalidEvent } from "../../core/errors.ts";
import type { Runtime } from "../../core/runtime.ts";
import { describeIssues } from "../../shared/validation.ts";
import { observe, perRuntime } from "./observed.ts";

/**
 * A Step Functions task handler: zod-validates the event (a wiring mistake is rejected before
 * anything is touched), then hands it to core with the runtime (clients, clock, stage).
 */
export function taskHandler<Schema extends z.ZodType, Result>(
  name: string,
  schema: Schema,
  run: (event: z.output<Schema>, rt: Runtime) => Promise<Result>,
): (event: unknown, context: Context) => Promise<Result> {
  return perRuntime((rt) =>
    observe(
      // Task timeouts are enforced by the workflow (TimeoutSeconds), not by an early response.
      middy(
        async (event: unknown): Promise<Result> => {
          const parsed = schema.safeParse(event);
          if (!parsed.success) {
            throw new InvalidEvent(name, describeIssues(parsed.error, "(event)"));
          }
          rt.logger.debug(name, { event: parsed.data });
          return run(parsed.data, rt);
        },
        { timeoutEarlyInMillis: 0 },
      ),
      rt,
    ),
  );
}
