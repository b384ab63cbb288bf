import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidEventPatternError } from "../../../emulator/events/errors.ts";
import { matchesPattern } from "../../../emulator/events/pattern.ts";
import { validatePattern } from "../../../emulator/events/pattern-validation.ts";

const alarmEvent = {
  version: "0",
  id: "1",
  "detail-type": "CloudWatch Alarm State Change",
  source: "aws.cloudwatch",
  account: "123456789012",
  time: "2026-01-01T00:00:00Z",
  region: "us-east-1",
  resources: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ebb-unhealthy-hosts", "arn:aws:other"],
  detail: {
    alarmName: "ebb-unhealthy-hosts",
    state: { value: "ALARM", reason: "Threshold Crossed" },
    previousState: { value: "OK" },
    configuration: { metrics: [{ id: "m", metricStat: { period: 60, stat: "Maximum" } }] },
    count: 7,
    tags: ["blue", "green"],
    nothing: null,
  },
};

const matches = (pattern: unknown): boolean => matchesPattern(validatePattern(pattern), alarmEvent);

describe("matchesPattern", () => {
  it("matches exact values, nested fields and arrays as OR", () => {
    expect(matches({ source: ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"] })).toBe(true);
    expect(matches({ source: ["aws.autoscaling", "aws.cloudwatch"] })).toBe(true);
    expect(matches({ source: ["aws.autoscaling"] })).toBe(false);
    expect(matches({ detail: { state: { value: ["ALARM"] }, previousState: { value: ["OK"] } } })).toBe(true);
    expect(matches({ detail: { state: { value: ["OK"] } } })).toBe(false);
    expect(matches({ detail: { count: [7] } })).toBe(true);
    expect(matches({ detail: { count: ["7"] } })).toBe(false);
    expect(matches({ detail: { nothing: [null] } })).toBe(true);
  });

  it("matches an array field when any element matches, including arrays of objects", () => {
    expect(matches({ resources: ["arn:aws:other"] })).toBe(true);
    expect(matches({ detail: { tags: ["green"] } })).toBe(true);
    expect(matches({ detail: { configuration: { metrics: { metricStat: { stat: ["Maximum"] } } } } })).toBe(true);
  });

  it("supports prefix, suffix, equals-ignore-case and wildcard", () => {
    expect(matches({ detail: { alarmName: [{ prefix: "ebb-" }] } })).toBe(true);
    expect(matches({ detail: { alarmName: [{ prefix: { "equals-ignore-case": "EBB-UNHEALTHY" } }] } })).toBe(true);
    expect(matches({ detail: { alarmName: [{ suffix: "-hosts" }] } })).toBe(true);
    expect(matches({ detail: { alarmName: [{ suffix: "-deploy" }] } })).toBe(false);
    expect(matches({ detail: { alarmName: [{ "equals-ignore-case": "EBB-Unhealthy-Hosts" }] } })).toBe(true);
    expect(matches({ detail: { alarmName: [{ wildcard: "ebb-*-hosts" }] } })).toBe(true);
    expect(matches({ detail: { alarmName: [{ wildcard: "ebb.*" }] } })).toBe(false);
  });

  it("supports anything-but with values, lists and prefixes", () => {
    expect(matches({ detail: { state: { value: [{ "anything-but": "OK" }] } } })).toBe(true);
    expect(matches({ detail: { state: { value: [{ "anything-but": ["ALARM", "OK"] }] } } })).toBe(false);
    expect(matches({ detail: { alarmName: [{ "anything-but": { prefix: "ebb-" } }] } })).toBe(false);
    expect(matches({ detail: { alarmName: [{ "anything-but": { prefix: "other-" } }] } })).toBe(true);
    expect(matches({ detail: { absent: [{ "anything-but": "x" }] } })).toBe(false);
  });

  it("supports numeric ranges", () => {
    expect(matches({ detail: { count: [{ numeric: [">", 5, "<=", 7] }] } })).toBe(true);
    expect(matches({ detail: { count: [{ numeric: ["<", 7] }] } })).toBe(false);
    expect(matches({ detail: { count: [{ numeric: ["=", 7] }] } })).toBe(true);
    expect(matches({ detail: { alarmName: [{ numeric: [">", 0] }] } })).toBe(false);
  });

  it("supports exists on leaves, including absent nested objects", () => {
    expect(matches({ detail: { alarmName: [{ exists: true }] } })).toBe(true);
    expect(matches({ detail: { missing: [{ exists: true }] } })).toBe(false);
    expect(matches({ detail: { missing: [{ exists: false }] } })).toBe(true);
    expect(matches({ detail: { state: [{ exists: true }] } })).toBe(false);
    expect(matches({ nowhere: { deeper: [{ exists: false }] } })).toBe(true);
  });

  it("supports $or", () => {
    expect(matches({ $or: [{ source: ["aws.autoscaling"] }, { detail: { count: [7] } }] })).toBe(true);
    expect(matches({ $or: [{ source: ["aws.autoscaling"] }, { detail: { count: [8] } }] })).toBe(false);
  });

  it("accepts the JSON text of a pattern", () => {
    expect(matchesPattern(validatePattern('{"source":["aws.cloudwatch"]}'), alarmEvent)).toBe(true);
  });

  it("rejects malformed patterns listing every problem", () => {
    const problems = (pattern: unknown): readonly string[] => {
      try {
        validatePattern(pattern);
        return [];
      } catch (error) {
        if (error instanceof InvalidEventPatternError) return error.problems;
        throw error;
      }
    };
    expect(problems({ source: "aws.cloudwatch", detail: { x: [] } })).toEqual([
      'source: match values must be inside an array, got "aws.cloudwatch"',
      "detail.x: empty arrays are not allowed",
    ]);
    expect(problems({ a: [{ numeric: [">"] }] })).toHaveLength(1);
    expect(problems({ a: [{ cidr: "10.0.0.0/8" }] })).toEqual(["a: the operator cidr is not supported by the emulator"]);
    expect(problems({})).toHaveLength(1);
    expect(problems("{nope")).toHaveLength(1);
  });
});

describe("matchesPattern properties", () => {
  const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean());
  const record = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((key) => key !== "$or"), scalar, { minKeys: 1, maxKeys: 5 });

  it("a pattern built from an event's own values matches it", () => {
    fc.assert(
      fc.property(record, (detail) => {
        const pattern = { detail: Object.fromEntries(Object.entries(detail).map(([key, value]) => [key, [value]])) };
        return matchesPattern(validatePattern(pattern), { detail });
      }),
    );
  });

  it("anything-but an event's own value never matches, and exists: true always does", () => {
    fc.assert(
      fc.property(record, (detail) => {
        const [key, value] = Object.entries(detail)[0] as [string, string | number | boolean];
        const event = { detail };
        if (typeof value !== "boolean" && matchesPattern(validatePattern({ detail: { [key]: [{ "anything-but": value }] } }), event)) return false;
        return matchesPattern(validatePattern({ detail: { [key]: [{ exists: true }] } }), event);
      }),
    );
  });

  it("every field of a pattern must match (AND): one failing field rejects an otherwise matching event", () => {
    fc.assert(
      fc.property(record, (detail) => {
        const event = { detail, source: "aws.cloudwatch" };
        const base = { detail: Object.fromEntries(Object.entries(detail).map(([key, value]) => [key, [value]])) };
        return matchesPattern(validatePattern(base), event) && !matchesPattern(validatePattern({ ...base, source: ["aws.autoscaling"] }), event);
      }),
    );
  });
});
