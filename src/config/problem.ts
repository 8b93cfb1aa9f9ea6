/**
 * A configuration problem: where it is (a variable, or a file and key) and
 * what is wrong. Every loader (settings, clouds.yaml, the policy file,
 * REDIS_URL) reports all of its problems at once in this shape; none ever
 * repeats a secret value.
 */
export interface Problem {
  /** A variable name, or "<file>: <key path>", e.g. "/etc/openstack/clouds.yaml: clouds.prod.auth.auth_url". */
  where: string;
  message: string;
}

/** A loader's answer: the value, or every problem found. */
export type Loaded<T> = ({ ok: true } & T) | { ok: false; problems: Problem[] };

/** One line per problem, "where: message". */
export function problemLines(problems: readonly Problem[]): string[] {
  return problems.map((problem) => `${problem.where}: ${problem.message}`);
}
