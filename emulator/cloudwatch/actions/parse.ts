import type { z } from "zod";
import { invalidParameterValue, missingParameter } from "../errors.ts";
import type { AwsApiError } from "../../protocol/errors.ts";
import type { Params } from "../../protocol/service-types.ts";

/** AWS names list members `Name.member.N` (1-based) in its messages, whichever protocol was used. */
const parameterName = (path: readonly PropertyKey[]): string =>
  path.map((segment) => (typeof segment === "number" ? `member.${segment + 1}` : String(segment))).join(".");

const toAwsError = (issue: z.core.$ZodIssue): AwsApiError => {
  const name = parameterName(issue.path);
  if (issue.code === "invalid_type" && issue.input === undefined) return missingParameter(`The parameter ${name} is required.`);
  if (issue.code === "unrecognized_keys") {
    const where = name === "" ? "" : `${name}.`;
    return invalidParameterValue(`Unknown parameter${issue.keys.length === 1 ? "" : "s"}: ${issue.keys.map((key) => where + key).join(", ")}.`);
  }
  const shown = issue.input === undefined ? "" : `${typeof issue.input === "string" ? issue.input : JSON.stringify(issue.input)} `;
  return invalidParameterValue(`The value ${shown}for parameter ${name} is invalid: ${issue.message}.`);
};

/** Validates wire params against an action's schema; the first problem becomes CloudWatch's error. */
export const parseParams = <Schema extends z.ZodType>(schema: Schema, params: Params): z.output<Schema> => {
  const result = schema.safeParse(params, { reportInput: true });
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw first ? toAwsError(first) : invalidParameterValue("The request is invalid.");
};
