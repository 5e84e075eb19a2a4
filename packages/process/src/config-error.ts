/**
 * A worker's bad setting, as `loadOrExit` turns it into exit 78: every problem on a line of its own,
 * each naming its variable, so one start shows all that is wrong instead of one per attempt.
 */

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** A variable whose value must not reach the terminal or a log. */
const SECRET_NAME = /(TOKEN|KEY|SECRET)$/;

/**
 * The problems of an environment that failed its schema (zod's issues), each with the value it
 * had, unless there was none or the variable holds a secret.
 */
export function envProblems(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  env: Record<string, string | undefined>,
): string[] {
  return issues.map((issue) => {
    const name = issue.path.join(".");
    const value = env[name];
    const shown = value === undefined || SECRET_NAME.test(name) ? "" : ` (got "${value}")`;
    return `${name}: ${issue.message}${shown}`;
  });
}
