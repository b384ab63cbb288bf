import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CLIENT_PACKAGES, importGraph, type ClientName } from "./import-graph.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const handlers = readdirSync(`${ROOT}functions`).filter((file) => file.endsWith(".ts")).sort();
const CLIENT_MODULE: Record<ClientName, string> = {
  autoScaling: "core/clients/auto-scaling.ts",
  elbv2: "core/clients/elbv2.ts",
  cloudWatch: "core/clients/cloudwatch.ts",
  ec2: "core/clients/ec2.ts",
  ssm: "core/clients/ssm.ts",
  sfn: "core/clients/sfn.ts",
  dynamo: "core/clients/dynamo.ts",
  eventBridge: "core/clients/eventbridge.ts",
};
const names = Object.keys(CLIENT_PACKAGES) as ClientName[];

// A bundle holds what its handler's value-import graph reaches, so these checks on the graph are
// checks on what each Lambda ships, without bundling 31 functions in a unit test.
describe.each(handlers)("functions/%s", (file) => {
  const graph = importGraph(`${ROOT}functions/${file}`, ROOT);

  it("goes through the observed wrapper (Lambda context on the logs, metrics flushed as EMF)", () => {
    expect(graph.files).toContain("functions/lib/observed.ts");
  });

  it("never reaches the module that carries every client", () => {
    expect(graph.files).not.toContain("core/clients/every-client.ts");
  });

  it("carries every client its code uses (else ClientNotCarried at run time)", () => {
    const carried = names.filter((name) => graph.files.includes(CLIENT_MODULE[name]));
    expect(carried).toEqual(expect.arrayContaining([...graph.clientsUsed]));
  });

  it("carries no SDK client its code does not use", () => {
    const unused = names.filter((name) => !graph.clientsUsed.has(name));
    expect(unused.filter((name) => graph.packages.has(CLIENT_PACKAGES[name]))).toEqual([]);
    expect(unused.filter((name) => graph.files.includes(CLIENT_MODULE[name]))).toEqual([]);
  });
});

describe("the import graph scan", () => {
  it("sees clients used by destructuring and by property access", () => {
    const graph = importGraph(`${ROOT}functions/publish-fleet-metrics.ts`, ROOT);
    expect([...graph.clientsUsed].sort()).toEqual(["autoScaling", "cloudWatch", "elbv2"]);
  });

  it("lists at least one handler that needs no EC2 client and one that does", () => {
    const ec2 = handlers.map((file) => importGraph(`${ROOT}functions/${file}`, ROOT).clientsUsed.has("ec2"));
    expect(ec2).toContain(true);
    expect(ec2).toContain(false);
  });
});
