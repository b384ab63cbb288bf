/** A rule's event pattern that EventBridge would reject (PutRule: InvalidEventPatternException). */
export class InvalidEventPatternError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Event pattern is not valid: ${problems.join("; ")}`);
    this.name = "InvalidEventPatternError";
    this.problems = problems;
  }
}

/** A second rule with a name that is already subscribed. */
export class DuplicateRuleError extends Error {
  constructor(ruleName: string) {
    super(`Rule ${ruleName} is already subscribed; unsubscribe it first`);
    this.name = "DuplicateRuleError";
  }
}
