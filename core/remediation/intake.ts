import { createHash } from "node:crypto";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { z } from "zod";
import { AlarmNotRemediable, InvalidEvent } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import { describeIssues } from "../../shared/validation.ts";

/**
 * The alarm's "CloudWatch Alarm State Change" event (CloudWatch user guide, "Alarm events and
 * EventBridge") turned into one remediation execution per alarm episode. The execution name is
 * derived from the alarm name and the time of the state change, so a duplicated or re-delivered
 * event starts nothing new: Step Functions refuses a second execution of the same name (and
 * returns the running one for the same input), for 90 days.
 */

const dimensions = z.record(z.string(), z.string());
export const alarmEventSchema = z.object({
  "detail-type": z.literal("CloudWatch Alarm State Change"),
  source: z.literal("aws.cloudwatch"),
  account: z.string().regex(/^\d{12}$/),
  region: z.string().min(1),
  detail: z.object({
    alarmName: z.string().min(1),
    state: z.object({ value: z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]), timestamp: z.string().min(1) }),
    configuration: z.object({
      metrics: z.array(z.object({ metricStat: z.object({ metric: z.object({ namespace: z.string(), name: z.string(), dimensions: dimensions.default({}) }) }).optional() })).min(1),
    }),
  }),
});

export type AlarmEvent = z.output<typeof alarmEventSchema>;

/** What the remediation workflow starts with: derived from the event alone, so a duplicate has the same input. */
export interface RemediationInput {
  remediationId: string;
  alarmName: string;
  alarmChangedAt: string;
  targetGroupArn: string;
}

const NAME_LIMIT = 80;

/** A Step Functions execution name (letters, digits, - and _; at most 80) for this alarm episode. */
export function episodeName(alarmName: string, changedAt: string): string {
  const readable = `${alarmName}-${changedAt}`.replace(/[^A-Za-z0-9_-]/g, "-");
  if (readable.length <= NAME_LIMIT) return readable;
  const digest = createHash("sha256").update(`${alarmName}\n${changedAt}`).digest("hex").slice(0, 16);
  return `${readable.slice(0, NAME_LIMIT - digest.length - 1)}-${digest}`;
}

/** The target group the alarm watches, from its metric's TargetGroup dimension (`targetgroup/<name>/<id>`). */
function targetGroupArnOf(event: AlarmEvent): string | undefined {
  const dimension = event.detail.configuration.metrics.map((metric) => metric.metricStat?.metric.dimensions["TargetGroup"]).find((value) => value !== undefined);
  if (dimension === undefined || !/^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/.test(dimension)) return undefined;
  const partition = event.region.startsWith("cn-") ? "aws-cn" : event.region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:elasticloadbalancing:${event.region}:${event.account}:${dimension}`;
}

export function remediationInputOf(raw: unknown): RemediationInput | undefined {
  const parsed = alarmEventSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidEvent("remediate-alarm", describeIssues(parsed.error, "(event)"));
  const event = parsed.data;
  // The rule matches ALARM only; an event that is not one is acknowledged and ignored.
  if (event.detail.state.value !== "ALARM") return undefined;
  const targetGroupArn = targetGroupArnOf(event);
  // Another of the team's alarms under the stage's prefix (a rollback alarm): not remediation's.
  if (targetGroupArn === undefined) return undefined;
  const alarmChangedAt = event.detail.state.timestamp;
  return { remediationId: episodeName(event.detail.alarmName, alarmChangedAt), alarmName: event.detail.alarmName, alarmChangedAt, targetGroupArn };
}

export interface IntakeResult {
  started: boolean;
  remediationId?: string;
  executionArn?: string;
  /** Why nothing was started: not an ALARM, or this episode already has its execution. */
  skipped?: string;
}

export async function startRemediation(rt: Runtime, raw: unknown): Promise<IntakeResult> {
  const input = remediationInputOf(raw);
  if (input === undefined) return { started: false, skipped: "not an ALARM of an alarm on a target group" };
  const stateMachineArn = rt.stage.remediationStateMachineArn;
  if (stateMachineArn === undefined) throw new AlarmNotRemediable(input.alarmName, "the stage has no remediation workflow");
  try {
    const response = await rt.clients.sfn.send(new StartExecutionCommand({ stateMachineArn, name: input.remediationId, input: JSON.stringify(input) }));
    rt.logger.info("remediation started", { remediationId: input.remediationId, executionArn: response.executionArn });
    return { started: true, remediationId: input.remediationId, ...(response.executionArn === undefined ? {} : { executionArn: response.executionArn }) };
  } catch (error) {
    if (error instanceof Error && error.name === "ExecutionAlreadyExists") {
      return { started: false, remediationId: input.remediationId, skipped: "this alarm episode already has its execution" };
    }
    throw error;
  }
}
