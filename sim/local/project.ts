import { fileURLToPath } from "node:url";
import { type AwsLocation, functionArn, stateMachineArn } from "../../infra/arns.ts";
import { placeholderSubstitutions, renderWorkflow } from "../../infra/asl.ts";
import { readProjectSources } from "../../infra/project.ts";
import type { AslDefinition, TaskHandler, TaskHandlers } from "../../emulator/stepfunctions/types.ts";

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
 * The workflows of workflows/, rendered as infra/ renders them for AWS, except that the local
 * functions and state machines go by their bare names (the handlers are registered under them).
 */
export async function loadWorkflows(location: AwsLocation): Promise<Map<string, AslDefinition>> {
  const { functions, workflows } = await readProjectSources(PROJECT_ROOT);
  const substitutions = placeholderSubstitutions(
    functions.map((name) => [name, functionArn(location, name)] as const),
    [...workflows.keys()].map((name) => [name, stateMachineArn(location, name)] as const),
  );
  const rendered = new Map<string, AslDefinition>();
  for (const [name, definition] of workflows) {
    rendered.set(name, renderWorkflow(definition, substitutions, `workflows/${name}.asl.json`) as AslDefinition);
  }
  return rendered;
}
