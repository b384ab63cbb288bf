import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AslDefinition, TaskHandler } from "../../emulator/stepfunctions/types.ts";

const root = join(import.meta.dirname, "../..");
const pascal = (kebab: string): string => kebab.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

/** Every handler in functions/, keyed the way the ASL names it (`${PascalNameFunctionArn}`). */
export async function deployHandlers(): Promise<Record<string, TaskHandler>> {
  const handlers: Record<string, TaskHandler> = {};
  for (const file of readdirSync(join(root, "functions")).filter((name) => name.endsWith(".ts"))) {
    const module = (await import(join(root, "functions", file))) as { handler: TaskHandler };
    handlers[`${pascal(file.replace(/\.ts$/, ""))}FunctionArn`] = module.handler;
  }
  return handlers;
}

export const loadWorkflow = (name: string): AslDefinition =>
  JSON.parse(readFileSync(join(root, "workflows", `${name}.asl.json`), "utf8")) as AslDefinition;
