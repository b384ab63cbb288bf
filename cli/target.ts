import "../core/clients/every-client.ts";
import { fileURLToPath } from "node:url";
import { Option, type Command } from "commander";
import { z } from "zod";
import { createRuntime, type AwsClientConfig, type Runtime } from "../core/runtime.ts";
import { stageConfigSchema, type StageConfig } from "../core/stage.ts";
import { resourceName, stateMachineArn } from "../infra/arns.ts";
import { ROOT_WORKFLOW } from "../infra/plan.ts";
import { loadStageSettings } from "../infra/stage-config.ts";
import { BadCommandInput, EndpointUnreachable } from "./errors.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Where a command points: the flags every command shares. */
export interface TargetFlags {
  stage?: string;
  local?: boolean;
  endpoint?: string;
  region?: string;
}

/** What a command talks to, resolved once: AWS through a stage, or `ebb emulator`. */
export interface Target {
  /** For messages: "stage dev (us-east-1)" or "the emulator at http://127.0.0.1:4566". */
  readonly where: string;
  readonly local: boolean;
  readonly endpoint: string | undefined;
  readonly clientConfig: AwsClientConfig;
  readonly stage: StageConfig | undefined;
  readonly stateMachineArn: string | undefined;
  /** Another of Ebb's state machines by workflow name (workflows/NAME.asl.json), e.g. "drain". */
  stateMachineArnOf(workflow: string): string | undefined;
  /** The clock the deploy records use: the wall clock on AWS, the emulator's virtual one locally. */
  now(): Promise<Date>;
  /** Ebb's runtime (clients, tables) for reading deploy records; needs a stage. */
  runtime(): Runtime;
}

/** An emulator accepts any signature; these only stand in when nothing else is configured. */
export const ENDPOINT_FALLBACK_CREDENTIALS = { accessKeyId: "AKIAEBBCLIENDPOINT", secretAccessKey: "ebb-cli-any-credentials-work" };

export function addTargetOptions(command: Command): Command {
  return command
    .addOption(new Option("--stage <name>", "the stage to work on in AWS (stages/NAME.json; standard AWS credential chain)").conflicts("local"))
    .option("--local", "work on `ebb emulator` (with --endpoint, or $AWS_ENDPOINT_URL)")
    .option("--endpoint <url>", "the emulator's URL, as `ebb emulator` prints it (implies --local unless --stage is given)")
    .option("--region <region>", "AWS region (default: the stage's)");
}

const flagsSchema = z.object({
  stage: z.string().optional(),
  local: z.boolean().optional(),
  endpoint: z.url({ protocol: /^https?$/, message: "expected an http(s) URL such as http://127.0.0.1:4566" }).optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "expected a region such as us-east-1").optional(),
});

const localDocumentSchema = z.object({ stage: stageConfigSchema, stateMachineArn: z.string(), stateMachineArns: z.record(z.string(), z.string()).default({}) });
const clockSchema = z.object({ virtualTime: z.string() });

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/** A network failure (not a service's answer), as a short reason; undefined for anything else. */
export function unreachableReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
  if (error.name === "TimeoutError") return error.message;
  return undefined;
}

async function getJson(endpoint: string, path: string): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetch(new URL(path, endpoint), { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: response.ok ? await response.json() : undefined };
  } catch (error) {
    // fetch says only "fetch failed"; what went wrong is its cause.
    const reason = unreachableReason(error) ?? (error instanceof TypeError && error.cause instanceof Error ? error.cause.message : undefined);
    if (reason === undefined) throw error;
    throw new EndpointUnreachable(endpoint, `${reason} (is \`ebb emulator\` running there?)`);
  }
}

function runtimeOf(stage: StageConfig | undefined, clientConfig: AwsClientConfig, where: string): Runtime {
  if (stage === undefined) throw new BadCommandInput(`no Ebb stage is known for ${where}`, ["give --stage NAME, or --local --endpoint URL of `ebb emulator`"]);
  return createRuntime({ clientConfig, stage, logLevel: "SILENT" });
}

/** Resolves the shared flags; `required` false lets a command work with only an explicit ARN and endpoint. */
export async function resolveTarget(raw: TargetFlags, environment: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const parsed = flagsSchema.safeParse(raw);
  if (!parsed.success) throw new BadCommandInput("bad options", parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`));
  const flags = parsed.data;
  if (flags.stage !== undefined) {
    const settings = await loadStageSettings(PROJECT_ROOT, flags.stage);
    const region = flags.region ?? settings.region;
    const clientConfig: AwsClientConfig = { region, ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }) };
    const where = `stage ${flags.stage} (${region})`;
    return {
      where, local: false, endpoint: flags.endpoint, clientConfig, stage: settings.runtime,
      stateMachineArn: stateMachineArn({ account: settings.account, region }, resourceName(flags.stage, ROOT_WORKFLOW, "stateMachine")),
      stateMachineArnOf: (workflow) => stateMachineArn({ account: settings.account, region }, resourceName(flags.stage ?? "", workflow, "stateMachine")),
      now: () => Promise.resolve(new Date()),
      runtime: () => runtimeOf(settings.runtime, clientConfig, where),
    };
  }
  const endpoint = flags.endpoint ?? (environment["AWS_ENDPOINT_URL"] || undefined);
  if (flags.local !== true && flags.endpoint === undefined) {
    throw new BadCommandInput("say where to work", ["--stage NAME for a stage in AWS, or --local --endpoint URL for `ebb emulator`"]);
  }
  if (endpoint === undefined) throw new BadCommandInput("--local needs the emulator's URL", ["give --endpoint URL (`ebb emulator` prints it) or set AWS_ENDPOINT_URL"]);
  const found = await getJson(endpoint, "/_ebb/stage");
  if (found.status !== 200) throw new EndpointUnreachable(endpoint, "it answers, but it is not `ebb emulator` (no /_ebb/stage)");
  const document = localDocumentSchema.parse(found.body);
  const region = flags.region ?? document.stateMachineArn.split(":")[3] ?? "us-east-1";
  const clientConfig: AwsClientConfig = { region, endpoint, credentials: ENDPOINT_FALLBACK_CREDENTIALS };
  const where = `the emulator at ${endpoint}`;
  return {
    where, local: true, endpoint, clientConfig, stage: document.stage, stateMachineArn: document.stateMachineArn,
    stateMachineArnOf: (workflow) => document.stateMachineArns[workflow],
    now: async () => new Date(clockSchema.parse((await getJson(endpoint, "/_ebb/state")).body).virtualTime),
    runtime: () => runtimeOf(document.stage, clientConfig, where),
  };
}

/** How to point a later command at the same place (for "reattach with ..."). */
export const targetArguments = (target: Target): string =>
  target.local ? `--local --endpoint ${target.endpoint ?? ""}` : `--stage ${target.stage?.stage ?? ""}`;
