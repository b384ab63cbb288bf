import { z } from "zod";
import { InvalidDefinitionError, UnsupportedDefinitionError } from "../index.ts";
import { isValidResourceName } from "../naming.ts";
import { stepFunctionsOf } from "../registry.ts";
import type { AslDefinition } from "../types.ts";
import { AwsApiError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { parse, requireArn } from "./params.ts";

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

const createSchema = z.object({
  name: z.string(),
  definition: z.string().min(1).max(1_048_576),
  roleArn: z.string().min(1).max(256),
  type: z.enum(["STANDARD", "EXPRESS"]).default("STANDARD"),
});

const invalidDefinition = (problem: string): AwsApiError => new AwsApiError("InvalidDefinition", new InvalidDefinitionError([problem]).message);

function parseDefinition(text: string): AslDefinition {
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw invalidDefinition(`INVALID_JSON_DESCRIPTION: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof definition !== "object" || definition === null || Array.isArray(definition)) {
    throw invalidDefinition("SCHEMA_VALIDATION_FAILED: the definition must be a JSON object at /");
  }
  return definition as AslDefinition;
}

/**
 * CreateStateMachine: validated as AWS validates it (InvalidDefinition lists every problem), and
 * idempotent on the name and definition, as the API reference says: the same name and definition
 * again return the machine already there (a different roleArn is ignored, not updated); another
 * definition under the same name is StateMachineAlreadyExists. The local runner runs Standard
 * workflows only, and refuses a definition it cannot run faithfully rather than run it wrongly.
 */
export const createStateMachine: ActionHandler = (params, { world }) => {
  const request = parse(createSchema, params);
  if (!isValidResourceName(request.name)) throw new AwsApiError("InvalidName", `Invalid Name: '${request.name}'`);
  requireArn(request.roleArn, ROLE_ARN);
  if (request.type === "EXPRESS") throw new AwsApiError("ValidationException", "the local Step Functions runs Standard workflows only (type EXPRESS)");
  const definition = parseDefinition(request.definition);
  const registry = stepFunctionsOf(world);
  const existing = registry.stateMachines().find((machine) => machine.name === request.name);
  if (existing !== undefined) {
    if (JSON.stringify(existing.definition) === JSON.stringify(definition)) return { stateMachineArn: existing.arn, creationDate: new Date(existing.creationMs) };
    throw new AwsApiError("StateMachineAlreadyExists", `State Machine Already Exists: '${existing.arn}'`);
  }
  try {
    const created = registry.register({ name: request.name, definition, roleArn: request.roleArn });
    return { stateMachineArn: created.arn, creationDate: new Date(created.creationMs) };
  } catch (error) {
    if (error instanceof InvalidDefinitionError) throw new AwsApiError("InvalidDefinition", error.message);
    if (error instanceof UnsupportedDefinitionError) throw new AwsApiError("ValidationException", error.message);
    throw error;
  }
};
