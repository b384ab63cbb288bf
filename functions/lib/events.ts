import { z } from "zod";

/** Event shapes the workflows send (see workflows/*.asl.json Parameters). */

export const deployRefSchema = z.strictObject({ deployId: z.string().min(1).max(80) });

export const batchRefSchema = z.strictObject({
  deployId: z.string().min(1).max(80),
  phase: z.enum(["deploy", "rollback"]),
  batchIndex: z.number().int().min(0),
});

/** What a Catch puts in ResultPath: the failed state's Error and Cause. */
export const failureSchema = z.object({ Error: z.string().optional(), Cause: z.string().optional() });
