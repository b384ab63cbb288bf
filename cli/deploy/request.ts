import { readFile } from "node:fs/promises";
import { z } from "zod";
import { isValidResourceName } from "../../emulator/stepfunctions/naming.ts";
import { inputProblems, rollingDeployInputSchema } from "../../workflows/rolling-deploy.input.ts";
import type { RollingDeployInput } from "../../workflows/rolling-deploy.input.ts";
import { BadCommandInput } from "../errors.ts";
import type { OutputFormat } from "../output.ts";
import type { TargetFlags } from "../target.ts";

/** What `ebb deploy` was asked, as its flags give it. */
export interface DeployFlags extends TargetFlags {
  /** Default: the stage's (or the emulator's) rolling-deploy state machine. */
  stateMachineArn?: string;
  output?: OutputFormat;
  /** A JSON file holding the workflow input. */
  input?: string;
  inputJson?: string;
  name?: string;
  region?: string;
  endpointUrl?: string;
  wait: boolean;
  pollSeconds: number;
}

/** A deploy that may be started: the flags checked, the input read and its shape checked. */
export interface DeployRequest {
  /** Undefined: the target's own. */
  readonly stateMachineArn: string | undefined;
  readonly region: string;
  readonly endpointUrl: string | undefined;
  readonly name: string | undefined;
  readonly input: RollingDeployInput;
  readonly wait: boolean;
  readonly pollSeconds: number;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):\d{12}:stateMachine:[^:]+$/;

const flagsSchema = z
  .object({
    stateMachineArn: z.string().regex(STATE_MACHINE_ARN, "expected arn:aws:states:REGION:ACCOUNT:stateMachine:NAME").optional(),
    input: z.string().min(1).optional(),
    inputJson: z.string().optional(),
    name: z.string().refine(isValidResourceName, "1-80 characters without spaces, brackets, wildcards or ;:/\\|~`$&,#%^ (AWS's rule)").optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "expected a region such as us-east-1").optional(),
    endpointUrl: z.url({ protocol: /^https?$/ }).optional(),
    wait: z.boolean(),
    pollSeconds: z.number().positive().max(3600),
    targeted: z.boolean(),
  })
  .refine((flags) => (flags.input === undefined) !== (flags.inputJson === undefined), {
    message: "give the workflow input with exactly one of --input FILE or --input-json JSON",
    path: ["input"],
  })
  .refine((flags) => flags.stateMachineArn !== undefined || flags.targeted, {
    message: "say where to deploy: --stage NAME (AWS), --local --endpoint URL (`ebb emulator`), or --state-machine-arn ARN",
    path: ["stage"],
  });

const flagName = (key: PropertyKey | undefined): string =>
  `--${String(key ?? "").replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

async function inputText(flags: DeployFlags): Promise<{ text: string; source: string }> {
  if (flags.inputJson !== undefined) return { text: flags.inputJson, source: "--input-json" };
  const file = flags.input ?? "";
  try {
    return { text: await readFile(file, "utf8"), source: file };
  } catch (error) {
    throw new BadCommandInput("cannot read the deploy input", [`${file}: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

/**
 * Checks everything `ebb deploy` can check before starting anything: the flags, the input's JSON
 * and its shape against the workflow's own schema. What depends on the stage (defaults, allowed
 * groups, alarms) is the workflow's first state's to check.
 */
export async function readDeployRequest(flags: DeployFlags, environmentEndpoint: string | undefined): Promise<DeployRequest> {
  const targeted = flags.stage !== undefined || flags.local === true || flags.endpoint !== undefined;
  const checked = flagsSchema.safeParse({
    stateMachineArn: flags.stateMachineArn, input: flags.input, inputJson: flags.inputJson, name: flags.name, region: flags.region,
    endpointUrl: flags.endpointUrl ?? (targeted ? undefined : environmentEndpoint), wait: flags.wait, pollSeconds: flags.pollSeconds, targeted,
  });
  if (!checked.success) {
    throw new BadCommandInput("cannot start the deploy", checked.error.issues.map((issue) => `${flagName(issue.path[0])}: ${issue.message}`));
  }
  const { text, source } = await inputText(flags);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new BadCommandInput("the deploy input is not valid JSON", [`${source}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const parsed = rollingDeployInputSchema.safeParse(raw);
  if (!parsed.success) throw new BadCommandInput("the deploy input is not a rolling-deploy input, nothing was started", inputProblems(parsed.error));
  const { stateMachineArn } = checked.data;
  return {
    stateMachineArn,
    // A state machine is only reachable in its own region, which its ARN names.
    region: checked.data.region ?? (stateMachineArn === undefined ? undefined : STATE_MACHINE_ARN.exec(stateMachineArn)?.[1]) ?? "us-east-1",
    endpointUrl: checked.data.endpointUrl,
    name: checked.data.name,
    // The input as written, not as parsed: the workflow applies the stage's defaults itself.
    input: raw as RollingDeployInput,
    wait: checked.data.wait,
    pollSeconds: checked.data.pollSeconds,
  };
}
