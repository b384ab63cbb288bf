/** A scenario config that cannot be used; `problems` names every field at fault. */
export class ScenarioConfigError extends Error {
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[]) {
    super(`${message}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ScenarioConfigError";
    this.problems = problems;
  }
}
