import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * Dependencies point one way: the AWS model (emulator/) knows nothing of the simulated world
 * (sim/) or of Ebb itself (core/, functions/, cli/, bench/); the domain (core/, infra/) knows
 * nothing of the emulator or the simulation. Whatever both sides need lives in shared/.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every module specifier a TypeScript source names: static imports and re-exports, side-effect imports, dynamic import(). */
const importSpecifiers = (source: string): string[] => {
  const patterns = [/\b(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ""));
};

const sourcesUnder = (folder: string): string[] =>
  readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => join(root, folder, path));

/** The top-level folder a relative specifier resolves into, or undefined for a package or a builtin. */
const targetFolder = (file: string, specifier: string): string | undefined => {
  if (!specifier.startsWith(".")) return undefined;
  return relative(root, resolve(dirname(file), specifier)).split(/[\\/]/)[0];
};

const violations = (folder: string, forbidden: readonly string[]): string[] =>
  sourcesUnder(folder).flatMap((file) =>
    importSpecifiers(readFileSync(file, "utf8"))
      .filter((specifier) => forbidden.includes(targetFolder(file, specifier) ?? ""))
      .map((specifier) => `${relative(root, file)} imports ${specifier}`),
  );

describe("module boundaries", () => {
  it("reads every kind of import a source can hold", () => {
    const source = [
      'import type { World } from "../../sim/world.ts";',
      'import {\n  describeIssues,\n} from "../../core/validation.ts";',
      'export { x } from "./x.ts";',
      'import "./side-effect.ts";',
      'const lazy = await import("../lazy.ts");',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["../../sim/world.ts", "../../core/validation.ts", "./x.ts", "./side-effect.ts", "../lazy.ts"]);
    expect(targetFolder(join(root, "emulator/elbv2/model.ts"), "../../sim/world.ts")).toBe("sim");
  });

  it("emulator/ imports nothing from the simulation or from Ebb", () => {
    expect(sourcesUnder("emulator").length).toBeGreaterThan(100);
    expect(violations("emulator", ["sim", "core", "functions", "cli", "bench"])).toEqual([]);
  });

  it("the domain (core/, infra/) and shared/ import neither the emulator nor the simulation", () => {
    expect(violations("core", ["emulator", "sim"])).toEqual([]);
    expect(violations("infra", ["emulator", "sim"])).toEqual([]);
    expect(violations("shared", ["emulator", "sim", "core", "infra"])).toEqual([]);
  });
});
