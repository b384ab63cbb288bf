import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isKebabName, type JsonValue } from "./asl.ts";
import { ConventionError } from "./errors.ts";

/** What functions/ and workflows/ hold, found by their naming conventions. */
export interface ProjectSources {
  /** functions/<name>.ts, each exporting `handler`, by kebab-case name. */
  readonly functions: readonly string[];
  /** workflows/<name>.asl.json, parsed, by kebab-case name. */
  readonly workflows: ReadonlyMap<string, JsonValue>;
}

const WORKFLOW_SUFFIX = ".asl.json";

async function namesIn(directory: string, suffix: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch {
    return [];
  }
  const names = entries.filter((entry) => entry.endsWith(suffix) && !entry.endsWith(".d.ts")).map((entry) => entry.slice(0, -suffix.length));
  const badNames = names.filter((name) => !isKebabName(name));
  if (badNames.length > 0) {
    throw new ConventionError(`${directory}: file names must be kebab-case (lowercase words starting with a letter): ${badNames.join(", ")}`);
  }
  return names.sort();
}

/** Reads functions/ and workflows/ under the project root. */
export async function readProjectSources(root: string): Promise<ProjectSources> {
  const functions = await namesIn(join(root, "functions"), ".ts");
  const workflowDirectory = join(root, "workflows");
  const workflows = new Map<string, JsonValue>();
  for (const name of await namesIn(workflowDirectory, WORKFLOW_SUFFIX)) {
    const file = join(workflowDirectory, `${name}${WORKFLOW_SUFFIX}`);
    try {
      workflows.set(name, JSON.parse(await readFile(file, "utf8")) as JsonValue);
    } catch (error) {
      throw new ConventionError(`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { functions, workflows };
}
