import aslValidator from "asl-validator";
import { type AslObject, collectStates, isRecord, mapPathStrings, nestedDefinitions } from "./asl.ts";
import { definitionRuleProblems } from "./definition-rules.ts";
import type { AslDefinition } from "./types.ts";

/** Resources of the Step Functions integrations the local runner implements. */
export const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
export const START_EXECUTION = "arn:aws:states:::states:startExecution";
export const START_EXECUTION_SYNC = "arn:aws:states:::states:startExecution.sync";
export const START_EXECUTION_SYNC2 = "arn:aws:states:::states:startExecution.sync:2";

const DISTRIBUTED_MAP_FIELDS = ["ItemReader", "ResultWriter", "ItemBatcher", "ToleratedFailureCount",
  "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "Label"];

// asl-validator compiles its JSON schemas on every call (~100 ms): remember recent answers.
const validatorCache = new Map<string, readonly string[]>();
const VALIDATOR_CACHE_SIZE = 256;

/** Every problem asl-validator finds (JSON schema, transitions, reachability...), as text. */
function aslValidatorErrors(definition: AslDefinition): string[] {
  const text = JSON.stringify(definition);
  const cached = validatorCache.get(text);
  if (cached !== undefined) return [...cached];
  // asl-validator writes QueryLanguage into every state it visits: give it a copy.
  const { errors } = aslValidator(JSON.parse(text), { checkArn: true, checkPaths: true });
  const messages = errors.map((error) => `${error["Error code"]}: ${error.Message}`);
  if (validatorCache.size >= VALIDATOR_CACHE_SIZE) validatorCache.clear();
  validatorCache.set(text, messages);
  return [...messages];
}

const usesJsonata = (object: AslObject): boolean => object.QueryLanguage === "JSONata";

function checkState(where: string, state: AslObject): string[] {
  const problems: string[] = [];
  const type = state.Type;
  if (usesJsonata(state)) problems.push(`${where}: QueryLanguage JSONata is not supported (use JSONPath)`);
  for (const field of ["Assign", "Arguments", "Output"]) {
    if (field in state) problems.push(`${where}: field "${field}" is not supported (JSONata/variables)`);
  }
  for (const [index, rule] of (Array.isArray(state.Choices) ? state.Choices : []).entries()) {
    if (isRecord(rule) && "Assign" in rule) problems.push(`${where}: Choices[${index}].Assign is not supported`);
  }
  if (state.ResultPath === "$") {
    problems.push(`${where}: ResultPath "$" is mishandled locally; write the result to a sub-path such as "$.result"`);
  }
  for (const [index, catcher] of (Array.isArray(state.Catch) ? state.Catch : []).entries()) {
    if (!isRecord(catcher)) continue;
    if (catcher.ResultPath === "$") problems.push(`${where}: Catch[${index}].ResultPath "$" is mishandled locally; use a sub-path`);
    for (const field of ["Assign", "Output"]) {
      if (field in catcher) problems.push(`${where}: Catch[${index}].${field} is not supported`);
    }
  }
  if (type === "Map") {
    const processor = isRecord(state.ItemProcessor) ? state.ItemProcessor : undefined;
    const config = processor && isRecord(processor.ProcessorConfig) ? processor.ProcessorConfig : undefined;
    if (config?.Mode === "DISTRIBUTED") problems.push(`${where}: distributed Map (ProcessorConfig.Mode DISTRIBUTED) is not supported`);
    for (const field of DISTRIBUTED_MAP_FIELDS) {
      if (field in state) problems.push(`${where}: Map field "${field}" (distributed Map) is not supported`);
    }
  }
  if ((type === "Map" || type === "Parallel") && "Retry" in state) {
    problems.push(`${where}: Retry on ${type} is not supported locally (its interval cannot run on the virtual clock); retry the Tasks inside`);
  }
  if (type === "Task") {
    const resource = typeof state.Resource === "string" ? state.Resource : "";
    if (resource.endsWith(".waitForTaskToken")) problems.push(`${where}: task tokens (${resource}) are not supported`);
    if (/^arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:/.test(resource)) problems.push(`${where}: activities are not supported`);
    for (const field of ["TimeoutSecondsPath", "HeartbeatSecondsPath"]) {
      if (field in state) problems.push(`${where}: ${field} is not supported (use a fixed value)`);
    }
  }
  mapPathStrings(state, (path) => {
    if (/\$\$\.(State|Task)\b/.test(path)) problems.push(`${where}: context path ${path} is not available locally`);
    return path;
  });
  return problems;
}

/**
 * What the local runner would run wrongly or not at all (aws-local-stepfunctions 3.0.0 ignores
 * these silently): JSONata, variables, distributed Map, task tokens, `ResultPath: "$"`... (State
 * names repeated across nested branches, which the overrides keyed by name could not tell apart,
 * are already an InvalidDefinition: asl-validator's DUPLICATE_STATE_NAMES.)
 */
function unsupportedFeatures(definition: AslDefinition): string[] {
  const problems: string[] = [];
  const checkMachine = (machine: AslObject, where: string): void => {
    if (usesJsonata(machine)) problems.push(`${where}: QueryLanguage JSONata is not supported (use JSONPath)`);
    for (const nestedState of Object.values(isRecord(machine.States) ? machine.States : {})) {
      if (!isRecord(nestedState)) continue;
      for (const nested of nestedDefinitions(nestedState)) checkMachine(nested.definition, `${where} > ${nested.label}`);
    }
  };
  checkMachine(definition, "state machine");
  for (const { state, where } of collectStates(definition)) problems.push(...checkState(where, state));
  return problems;
}

/** What CreateStateMachine rejects as InvalidDefinition: asl-validator's errors and the rules it misses. */
export function invalidDefinitionProblems(definition: AslDefinition): string[] {
  return [...aslValidatorErrors(definition), ...definitionRuleProblems(definition)];
}

/** Invalid definition problems plus unsupported features: empty when the definition can run locally. */
export function validateDefinition(definition: AslDefinition): string[] {
  return [...invalidDefinitionProblems(definition), ...unsupportedFeatures(definition)];
}
