import { z } from "zod";

/** What the remediation workflow passes its steps: the episode's id only (the record holds the rest). */
export const remediationRefSchema = z.strictObject({ remediationId: z.string().min(1).max(80) });
