import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Option } from "commander";
import { BadCommandInput } from "./errors.ts";

/** Where a command writes: stdout for what it reports, stderr for what went wrong. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdout is a terminal (live redraw); false in tests and pipes. */
  readonly live?: boolean;
}

export const processOutput: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  live: process.stdout.isTTY === true,
};

export type OutputFormat = "text" | "json";

export const outputOption = (): Option => new Option("--output <format>", "text for people, json for scripts").choices(["text", "json"]).default("text");

export const printJson = (output: CommandOutput, value: unknown): void => output.out(JSON.stringify(value, null, 2));

/** Writes a file, creating its folder; a path that cannot be written is the user's mistake (exit 2), said in one line. */
export async function writeOutputFile(path: string, content: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  } catch (error) {
    throw new BadCommandInput(`cannot write ${path}`, [error instanceof Error ? error.message.replace(/^[A-Z]+: /, "") : String(error)]);
  }
}
