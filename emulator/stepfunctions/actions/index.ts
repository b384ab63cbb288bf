import { z } from "zod";
import {
  ExecutionAlreadyExistsError, ExecutionInputTooLargeError, ExecutionNotFoundError, type Execution, type LocalStepFunctions, PAYLOAD_LIMIT_BYTES,
  StateMachineNotFoundError,
} from "../index.ts";
import { AwsApiError } from "../../protocol/errors.ts";
import { paginate } from "../../protocol/pagination.ts";
import type { ActionContext, ActionHandler, ServiceModel } from "../../protocol/service-types.ts";
import { stepFunctionsOf } from "../registry.ts";
import { createStateMachine } from "./create.ts";
import { historyEvents, historyRequestSchema } from "./history.ts";
import { EXECUTION_ARN, parse, requireArn, STATE_MACHINE_ARN } from "./params.ts";

export { registerStateMachine, stepFunctionsOf } from "../registry.ts";
export type { StepFunctionsHost } from "../registry.ts";

const page = z.object({ maxResults: z.coerce.number().int().min(0).max(1000).optional(), nextToken: z.string().optional() });

/** maxResults 0 (or none) means the default page of 100, as on AWS. */
const DEFAULT_PAGE_SIZE = 100;

const pageOf = <T>(items: readonly T[], request: z.output<typeof page>, growsAt: "end" | "start") =>
  paginate(items, {
    maxResults: request.maxResults || DEFAULT_PAGE_SIZE,
    nextToken: request.nextToken,
    growsAt,
    invalidToken: () => new AwsApiError("InvalidToken", `Invalid Token: '${request.nextToken}'`),
  });

function describeExecution(execution: Execution): Record<string, unknown> {
  const summary = execution.summary();
  return {
    executionArn: summary.executionArn,
    stateMachineArn: summary.stateMachineArn,
    name: summary.name,
    status: summary.status,
    startDate: new Date(summary.startMs),
    ...(summary.stopMs === undefined ? {} : { stopDate: new Date(summary.stopMs) }),
    input: JSON.stringify(summary.input),
    inputDetails: { included: true },
    ...(summary.status === "SUCCEEDED" ? { output: JSON.stringify(summary.output), outputDetails: { included: true } } : {}),
    ...(summary.error === undefined ? {} : { error: summary.error }),
    ...(summary.cause === undefined ? {} : { cause: summary.cause }),
    redriveCount: 0,
    redriveStatus: "NOT_REDRIVABLE",
  };
}

const executionOf = (registry: LocalStepFunctions, executionArn: string): Execution => {
  requireArn(executionArn, EXECUTION_ARN);
  try {
    return registry.execution(executionArn);
  } catch (error) {
    if (error instanceof ExecutionNotFoundError) throw new AwsApiError("ExecutionDoesNotExist", error.message);
    throw error;
  }
};

const startExecution: ActionHandler = (params, { world }: ActionContext) => {
  const request = parse(z.object({ stateMachineArn: z.string(), name: z.string().optional(), input: z.string().optional() }), params);
  requireArn(request.stateMachineArn, STATE_MACHINE_ARN);
  if (request.input !== undefined && Buffer.byteLength(request.input) > PAYLOAD_LIMIT_BYTES) {
    throw new AwsApiError("ValidationException", new ExecutionInputTooLargeError(PAYLOAD_LIMIT_BYTES).message);
  }
  let input: unknown = {};
  try {
    input = request.input === undefined ? {} : (JSON.parse(request.input) as unknown);
  } catch {
    throw new AwsApiError("InvalidExecutionInput", "Invalid State Machine Execution Input: 'input' is not valid JSON");
  }
  const registry = stepFunctionsOf(world);
  try {
    const execution = registry.start(request.stateMachineArn, input, request.name === undefined ? {} : { name: request.name });
    return { executionArn: execution.executionArn, startDate: new Date(execution.startMs) };
  } catch (error) {
    if (error instanceof StateMachineNotFoundError) throw new AwsApiError("StateMachineDoesNotExist", error.message);
    // StartExecution's input: "Length Constraints: Maximum length of 262144" (API reference), a request constraint.
    if (error instanceof ExecutionInputTooLargeError) throw new AwsApiError("ValidationException", error.message);
    if (error instanceof ExecutionAlreadyExistsError) {
      // Standard workflows: the same name and input while still running returns the original execution.
      const original = registry.execution(error.executionArn).summary();
      if (original.status === "RUNNING" && JSON.stringify(original.input) === JSON.stringify(input)) {
        return { executionArn: original.executionArn, startDate: new Date(original.startMs) };
      }
      throw new AwsApiError("ExecutionAlreadyExists", error.message);
    }
    if (error instanceof Error && error.message.startsWith("Invalid Name")) throw new AwsApiError("InvalidName", error.message);
    throw error;
  }
};

const stateMachineOf = (registry: LocalStepFunctions, arn: string) => {
  requireArn(arn, STATE_MACHINE_ARN);
  const machine = registry.stateMachine(arn);
  if (machine === undefined) throw new AwsApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
  return machine;
};

/** AWS JSON 1.0, `x-amz-target: AWSStepFunctions.<Action>`, over the World's local executions. */
export const stepFunctionsService: ServiceModel = {
  name: "states",
  actions: {
    CreateStateMachine: createStateMachine,
    StartExecution: startExecution,
    DescribeExecution: (params, { world }) => {
      const { executionArn } = parse(z.object({ executionArn: z.string() }), params);
      return describeExecution(executionOf(stepFunctionsOf(world), executionArn));
    },
    GetExecutionHistory: (params, { world }) => {
      const request = parse(historyRequestSchema, params);
      const events = historyEvents(executionOf(stepFunctionsOf(world), request.executionArn), request.includeExecutionData ?? true);
      // Newest first: events written between pages appear at the start.
      const { page: items, nextToken } = request.reverseOrder === true ? pageOf([...events].reverse(), request, "start") : pageOf(events, request, "end");
      return { events: items, nextToken };
    },
    StopExecution: (params, { world }) => {
      const request = parse(z.object({ executionArn: z.string(), error: z.string().max(256).optional(), cause: z.string().max(32768).optional() }), params);
      const execution = executionOf(stepFunctionsOf(world), request.executionArn);
      if (execution.summary().status !== "RUNNING") {
        throw new AwsApiError("ValidationException", `Execution is not running: '${request.executionArn}'`);
      }
      execution.stop(request.error, request.cause);
      return { stopDate: new Date(world.clock.nowMs) };
    },
    ListExecutions: (params, { world }) => {
      const request = parse(page.extend({
        stateMachineArn: z.string(),
        statusFilter: z.enum(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"]).optional(),
      }), params);
      const registry = stepFunctionsOf(world);
      const machine = stateMachineOf(registry, request.stateMachineArn);
      const matching = registry.executions()
        .map((execution) => execution.summary())
        .filter((summary) => summary.stateMachineArn === machine.arn && (request.statusFilter === undefined || summary.status === request.statusFilter))
        .reverse();
      // Newest first: an execution started between pages appears at the start.
      const { page: items, nextToken } = pageOf(matching, request, "start");
      const executions = items.map((summary) => ({
        executionArn: summary.executionArn, stateMachineArn: summary.stateMachineArn, name: summary.name, status: summary.status,
        startDate: new Date(summary.startMs), ...(summary.stopMs === undefined ? {} : { stopDate: new Date(summary.stopMs) }),
      }));
      return { executions, nextToken };
    },
    ListStateMachines: (params, { world }) => {
      const request = parse(page, params);
      const { page: items, nextToken } = pageOf(stepFunctionsOf(world).stateMachines(), request, "end");
      const stateMachines = items.map((machine) => ({ stateMachineArn: machine.arn, name: machine.name, type: "STANDARD", creationDate: new Date(machine.creationMs) }));
      return { stateMachines, nextToken };
    },
    DescribeStateMachine: (params, { world }) => {
      const { stateMachineArn } = parse(z.object({ stateMachineArn: z.string() }), params);
      const machine = stateMachineOf(stepFunctionsOf(world), stateMachineArn);
      return {
        stateMachineArn: machine.arn, name: machine.name, status: "ACTIVE", definition: JSON.stringify(machine.definition),
        roleArn: machine.roleArn, type: "STANDARD", creationDate: new Date(machine.creationMs),
        loggingConfiguration: { level: "OFF", includeExecutionData: false },
      };
    },
  },
};
