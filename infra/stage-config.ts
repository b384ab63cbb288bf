import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { stageConfigSchema, type StageConfig } from "../core/stage.ts";
import { describeIssues } from "../shared/validation.ts";
import { isTargetGroupArn, resourceName, targetGroupGrants, type AwsLocation } from "./arns.ts";
import { StageConfigError } from "./errors.ts";

/**
 * A stage is configured by `stages/<stage>.json`, which the user edits. It holds two kinds of
 * fields: where Ebb is deployed and what it may touch (account, region, target groups, alarm
 * prefix, drain document, workflow logging), validated here; and everything else, which is the
 * Lambdas' runtime configuration (EBB_STAGE_CONFIG) and is validated by core's stageConfigSchema.
 * Both validations always run, so every problem in the file is listed at once.
 */

/** Deploy-time fields only infra/ reads; every other field of the file goes to EBB_STAGE_CONFIG. */
const INFRA_FIELDS = [
  "account",
  "region",
  "launchTemplates",
  "instanceRoles",
  "targetGroups",
  "alarmNamePrefix",
  "workflowLogging",
] as const;
const DEPLOYMENT_FIELDS = ["stage", "tables"] as const;

/** Stricter than AWS on purpose: names end up in IAM ARNs, where `*` and `?` are wildcards. */
const autoScalingGroupName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, "an Auto Scaling group name: letters, digits, '.', '_' and '-' (no IAM wildcards)");

const targetGroupNameOrArn = z
  .string()
  .refine(
    (value) => isTargetGroupArn(value) || /^(?!-)[A-Za-z0-9-]{1,32}(?<!-)$/.test(value),
    "a target group name (1-32 letters, digits or '-') or a target group ARN",
  );

const infraFieldsSchema = z.object({
  account: z.string().regex(/^\d{12}$/, "a 12-digit AWS account id"),
  region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "an AWS region such as us-east-1"),
  autoScalingGroups: z
    .array(autoScalingGroupName)
    .min(1)
    .refine((names) => new Set(names).size === names.length, "Auto Scaling group names must be unique"),
  /**
   * Ids of the launch templates the groups use: pointing a group at a new template version needs
   * ec2:RunInstances, which Ebb only gets for these.
   */
  launchTemplates: z.array(z.string().regex(/^lt-[0-9a-f]{17}$/, "a launch template id such as lt-0123456789abcdef0")).min(1),
  /** ARNs of the roles in the launch templates' instance profiles, if any (iam:PassRole). */
  instanceRoles: z
    .array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "an IAM role ARN (no wildcards)"))
    .default([]),
  targetGroups: z.array(targetGroupNameOrArn).min(1),
  /** Alarms whose name starts with this trigger remediation. */
  alarmNamePrefix: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]{0,200}$/, "an alarm name prefix (no wildcards)"),
  /**
   * Step Functions execution logs in CloudWatch Logs. Standard workflows keep their full history
   * in Step Functions either way; logging needs log-delivery permissions on `*` (AWS offers no
   * narrower scope), which is why it is opt-in.
   */
  workflowLogging: z.enum(["OFF", "ERROR", "ALL"]).default("OFF"),
});
type InfraFields = z.output<typeof infraFieldsSchema>;

export interface StageTables {
  readonly locks: string;
  readonly deploys: string;
  readonly idempotency: string;
}

export interface StageSettings extends AwsLocation {
  readonly stage: string;
  readonly launchTemplates: readonly string[];
  readonly instanceRoles: readonly string[];
  readonly targetGroups: readonly string[];
  readonly alarmNamePrefix: string;
  readonly workflowLogging: InfraFields["workflowLogging"];
  /** EBB_STAGE_CONFIG, validated by core's stageConfigSchema. */
  readonly runtime: StageConfig;
}

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * `targetGroups` is what IAM lets Ebb register and deregister in: the ASG's attached groups (Ebb
 * deregisters before draining) and, with targetRegistration `ebb`, the runtime's targetGroupArns.
 */
function targetGroupProblems(infra: InfraFields, runtime: StageConfig | undefined): string[] {
  const problems: string[] = [];
  infra.targetGroups.forEach((group, index) => {
    const [, , , region, account] = group.split(":");
    if (isTargetGroupArn(group) && (region !== infra.region || account !== infra.account)) {
      problems.push(`targetGroups.${index}: ${group} is not in account ${infra.account}, region ${infra.region}`);
    }
  });
  if (runtime === undefined) return problems;
  runtime.targetGroupArns.forEach((arn, index) => {
    if (!infra.targetGroups.some((group) => targetGroupGrants(infra, group, arn))) {
      problems.push(`targetGroupArns.${index}: ${arn} is not listed in targetGroups, so Ebb would not be allowed to register in it`);
    }
  });
  if (runtime.targetRegistration === "ebb" && runtime.targetGroupArns.length === 0) {
    problems.push('targetGroupArns: targetRegistration "ebb" needs the target groups Ebb registers new instances in');
  }
  return problems;
}

/** `ebb-<stage>-<kind>`: the table names the stage's functions receive in EBB_STAGE_CONFIG. */
export function tableNames(stage: string): StageTables {
  return {
    locks: resourceName(stage, "locks", "table"),
    deploys: resourceName(stage, "deploys", "table"),
    idempotency: resourceName(stage, "idempotency", "table"),
  };
}

/**
 * Validates a parsed stage file. Throws StageConfigError listing every problem: unknown fields,
 * bad names, a target group ARN in another account or region, runtime settings core rejects.
 */
export function parseStageSettings(stage: string, raw: unknown, source = `stages/${stage}.json`): StageSettings {
  if (!STAGE_NAME.test(stage)) {
    throw new StageConfigError(source, [`stage "${stage}": lowercase letters, digits and '-', starting with a letter, at most 20 characters`]);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new StageConfigError(source, ["(file): expected a JSON object"]);
  }
  const fields = raw as Record<string, unknown>;
  // `stage` and `tables` come from the stage's name and the tables infra/ creates, never from the file.
  const problems = DEPLOYMENT_FIELDS.filter((key) => key in fields).map((key) => `${key}: set by the deployment; remove it from the file`);
  const runtimeFields = Object.fromEntries(
    Object.entries(fields).filter(([key]) => ![...INFRA_FIELDS, ...DEPLOYMENT_FIELDS].some((known) => known === key)),
  );
  const infra = infraFieldsSchema.safeParse(fields);
  const runtime = stageConfigSchema.safeParse({ ...runtimeFields, stage, tables: tableNames(stage) });
  problems.push(...(infra.success ? [] : describeIssues(infra.error, "(file)")), ...(runtime.success ? [] : describeIssues(runtime.error, "(file)")));
  if (infra.success) problems.push(...targetGroupProblems(infra.data, runtime.success ? runtime.data : undefined));
  const unique = [...new Set(problems)];
  if (unique.length > 0 || !infra.success || !runtime.success) throw new StageConfigError(source, unique);
  return {
    stage,
    account: infra.data.account,
    region: infra.data.region,
    launchTemplates: infra.data.launchTemplates,
    instanceRoles: infra.data.instanceRoles,
    targetGroups: infra.data.targetGroups,
    alarmNamePrefix: infra.data.alarmNamePrefix,
    workflowLogging: infra.data.workflowLogging,
    runtime: runtime.data,
  };
}

/** Reads and validates `<root>/stages/<stage>.json`. */
export async function loadStageSettings(root: string, stage: string): Promise<StageSettings> {
  const source = join("stages", `${stage}.json`);
  let text: string;
  try {
    text = await readFile(join(root, source), "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StageConfigError(source, [`cannot read the stage file (copy stages/dev.json to start one): ${reason}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StageConfigError(source, [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parseStageSettings(stage, raw, source);
}
