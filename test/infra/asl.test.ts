import { describe, expect, it } from "vitest";
import {
  functionNameForPlaceholder,
  placeholderForFunction,
  placeholderForStateMachine,
  placeholdersOf,
  renderDefinition,
  stateMachineNameForPlaceholder,
  type JsonValue,
} from "../../infra/asl.ts";
import { UnresolvedPlaceholderError } from "../../infra/errors.ts";

const definition: JsonValue = {
  StartAt: "CheckDrain",
  States: {
    CheckDrain: { Type: "Task", Resource: "${CheckDrainFunctionArn}", InputPath: "$.batch", Next: "RunBatch" },
    RunBatch: {
      Type: "Task",
      Resource: "arn:aws:states:::states:startExecution.sync:2",
      Parameters: { StateMachineArn: "${DeployBatchStateMachineArn}", "Input.$": "$", Comment: "child of ${CheckDrainFunctionArn}" },
      End: true,
    },
  },
};

describe("placeholder conventions", () => {
  it("derives placeholders from file names and back", () => {
    expect(placeholderForFunction("check-drain")).toBe("CheckDrainFunctionArn");
    expect(functionNameForPlaceholder("CheckDrainFunctionArn")).toBe("check-drain");
    expect(placeholderForStateMachine("deploy-batch")).toBe("DeployBatchStateMachineArn");
    expect(stateMachineNameForPlaceholder("DeployBatchStateMachineArn")).toBe("deploy-batch");
    expect(functionNameForPlaceholder(placeholderForFunction("step2-verify-health"))).toBe("step2-verify-health");
  });

  it("tells the two kinds of placeholder apart", () => {
    expect(functionNameForPlaceholder("DeployBatchStateMachineArn")).toBeUndefined();
    expect(stateMachineNameForPlaceholder("CheckDrainFunctionArn")).toBeUndefined();
    expect(functionNameForPlaceholder("FunctionArn")).toBeUndefined();
    expect(functionNameForPlaceholder("checkDrainFunctionArn")).toBeUndefined();
  });

  it("refuses names that are not kebab-case", () => {
    expect(() => placeholderForFunction("CheckDrain")).toThrow(/kebab-case/);
    expect(() => placeholderForFunction("check_drain")).toThrow(/kebab-case/);
    expect(() => placeholderForStateMachine("2-batch")).toThrow(/kebab-case/);
  });
});

describe("renderDefinition", () => {
  it("lists each placeholder once, sorted", () => {
    expect(placeholdersOf(definition)).toEqual(["CheckDrainFunctionArn", "DeployBatchStateMachineArn"]);
  });

  it("replaces every placeholder and leaves everything else as it was", () => {
    const rendered = renderDefinition(definition, {
      CheckDrainFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:ebb-dev-check-drain",
      DeployBatchStateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-deploy-batch",
      UnusedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:unused",
    });
    expect(placeholdersOf(rendered)).toEqual([]);
    expect(rendered).toEqual({
      StartAt: "CheckDrain",
      States: {
        CheckDrain: {
          Type: "Task",
          Resource: "arn:aws:lambda:us-east-1:123456789012:function:ebb-dev-check-drain",
          InputPath: "$.batch",
          Next: "RunBatch",
        },
        RunBatch: {
          Type: "Task",
          Resource: "arn:aws:states:::states:startExecution.sync:2",
          Parameters: {
            StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-deploy-batch",
            "Input.$": "$",
            Comment: "child of arn:aws:lambda:us-east-1:123456789012:function:ebb-dev-check-drain",
          },
          End: true,
        },
      },
    });
  });

  it("does not modify its input", () => {
    const copy = structuredClone(definition);
    renderDefinition(definition, { CheckDrainFunctionArn: "a", DeployBatchStateMachineArn: "b" });
    expect(definition).toEqual(copy);
  });

  it("names every unresolved placeholder", () => {
    let caught: unknown;
    try {
      renderDefinition(definition, {}, "workflows/rolling-deploy.asl.json");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnresolvedPlaceholderError);
    const error = caught as UnresolvedPlaceholderError;
    expect(error.placeholders).toEqual(["CheckDrainFunctionArn", "DeployBatchStateMachineArn"]);
    expect(error.message).toContain("workflows/rolling-deploy.asl.json");
    expect(error.message).toContain("${DeployBatchStateMachineArn}");
  });

  it("ignores JSONPath and intrinsic-function braces", () => {
    const doc: JsonValue = { "Message.$": "States.Format('batch {} of {}', $.index, $.count)", Path: "$.x" };
    expect(placeholdersOf(doc)).toEqual([]);
    expect(renderDefinition(doc, {})).toEqual(doc);
  });
});
