import { fileURLToPath } from "node:url";
import { functionNameForPlaceholder, placeholdersOf, renderDefinition, stateMachineNameForPlaceholder } from "../../infra/asl.ts";
import type { JsonValue } from "../../infra/asl.ts";
import { readProjectSources } from "../../infra/project.ts";
import { lambdaArn, stateMachineArn } from "../stepfunctions/naming.ts";
import type { AccountScope } from "../stepfunctions/naming.ts";
import type { AslDefinition, TaskHandler, TaskHandlers } from "../stepfunctions/types.ts";

/** The workflow a rolling deploy starts; the others are its children. */
export const TOP_LEVEL_WORKFLOW = "rolling-deploy";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Every Lambda entry point in functions/, by function name, as Step Functions would invoke it. */
export async function loadFunctionHandlers(): Promise<TaskHandlers> {
  const { functions } = await readProjectSources(PROJECT_ROOT);
  const handlers: Record<string, TaskHandler> = {};
  for (const name of functions) {
    const module = (await import(new URL(`../../functions/${name}.ts`, import.meta.url).href)) as { handler?: TaskHandler };
    if (typeof module.handler !== "function") throw new Error(`functions/${name}.ts does not export a handler`);
    handlers[name] = module.handler;
  }
  return handlers;
}

/**
 * The workflows of workflows/, rendered as infra/ renders them for AWS: every `${...}` placeholder
 * replaced by the ARN of the local function or state machine it names.
 */
export async function loadWorkflows(scope: AccountScope): Promise<Map<string, AslDefinition>> {
  const { workflows } = await readProjectSources(PROJECT_ROOT);
  const rendered = new Map<string, AslDefinition>();
  for (const [name, definition] of workflows) {
    rendered.set(name, renderDefinition(definition, substitutionsFor(definition, scope), `workflows/${name}.asl.json`) as AslDefinition);
  }
  return rendered;
}

function substitutionsFor(definition: JsonValue, scope: AccountScope): Record<string, string> {
  const substitutions: Record<string, string> = {};
  for (const placeholder of placeholdersOf(definition)) {
    const functionName = functionNameForPlaceholder(placeholder);
    const machineName = stateMachineNameForPlaceholder(placeholder);
    if (functionName !== undefined) substitutions[placeholder] = lambdaArn(scope, functionName);
    else if (machineName !== undefined) substitutions[placeholder] = stateMachineArn(scope, machineName);
  }
  return substitutions;
}
