import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeQueryParams, encodeQueryParams } from "../../../emulator/protocol/query-params.ts";

const decodeForm = (form: string) => decodeQueryParams(new URLSearchParams(form));

describe("query parameter decoding", () => {
  it("turns .member.N lists into arrays in index order", () => {
    expect(decodeForm("Names.member.2=b&Names.member.1=a&Names.member.10=j")).toEqual({ Names: ["a", "b", "j"] });
  });

  it("turns .member.N.Key lists into arrays of objects, with nested lists", () => {
    const params = decodeForm(
      "Filters.member.1.Name=tag-key&Filters.member.1.Values.member.1=env&Filters.member.1.Values.member.2=team" +
        "&Filters.member.2.Name=tag%3Aenv&Filters.member.2.Values.member.1=prod%20%26%20test",
    );
    expect(params).toEqual({
      Filters: [
        { Name: "tag-key", Values: ["env", "team"] },
        { Name: "tag:env", Values: ["prod & test"] },
      ],
    });
  });

  it("turns .entry.N.key/value maps into objects", () => {
    expect(decodeForm("Attributes.entry.1.key=a&Attributes.entry.1.value=1&Attributes.entry.2.key=b&Attributes.entry.2.value=2")).toEqual({
      Attributes: { a: "1", b: "2" },
    });
  });

  it("turns EC2-style Name.N lists and dotted names into arrays and nested objects", () => {
    expect(decodeForm("InstanceId.1=i-1&InstanceId.2=i-2&Filter.1.Name=instance-state-name&Filter.1.Value.1=running&Placement.AvailabilityZone=us-east-1a")).toEqual({
      InstanceId: ["i-1", "i-2"],
      Filter: [{ Name: "instance-state-name", Value: ["running"] }],
      Placement: { AvailabilityZone: "us-east-1a" },
    });
  });

  it("keeps values as strings and an empty list as an empty string", () => {
    expect(decodeForm("MaxRecords=50&ShouldDecrementDesiredCapacity=true&Tags=")).toEqual({
      MaxRecords: "50",
      ShouldDecrementDesiredCapacity: "true",
      Tags: "",
    });
  });

  it("round-trips any structure of non-empty lists, nested objects and strings through .member.N", () => {
    const name = fc.stringMatching(/^[A-Z][A-Za-z]{0,8}$/);
    const text = fc.string({ maxLength: 12 });
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small", withCrossShrink: true }, text, tie("list"), tie("struct")),
      list: fc.array(fc.oneof(text, tie("struct")), { minLength: 1, maxLength: 4 }),
      struct: fc.dictionary(name, tie("value"), { minKeys: 1, maxKeys: 4 }),
    }));
    const params = fc.dictionary(name, value, { minKeys: 1, maxKeys: 5 });
    fc.assert(
      fc.property(params, (original) => {
        const form = new URLSearchParams(encodeQueryParams(original)).toString();
        expect(decodeQueryParams(new URLSearchParams(form))).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });
});
