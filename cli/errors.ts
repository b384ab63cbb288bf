/** A command's arguments or input that cannot be used; `problems` lists every one (exit code 2). */
export class BadCommandInput extends Error {
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[]) {
    super(`${message}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "BadCommandInput";
    this.problems = problems;
  }
}
