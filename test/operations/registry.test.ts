/**
 * The registry is the one list of operations: every surface reads it, so an
 * operation added there is typed, helped, offered in the form and named in
 * the policy file without a second list to update.
 */
import { describe, expect, it } from 'vitest';
import { OPERATIONS, operationFor } from '../../src/operations/registry.js';
import { helpMessage, USAGE } from '../../src/slack/commands/help.js';
import { parseCommand } from '../../src/slack/commands/parse.js';
import { FORM_OPERATIONS } from '../../src/slack/flows/form.js';
import { createPolicy, POLICY_ACTIONS } from '../../src/slack/policy/engine.js';
import { parsePolicy } from '../../src/slack/policy/file.js';

describe('the operation registry', () => {
  it('gives every word people type for an operation (its name or an alias) to exactly one operation', () => {
    const words = OPERATIONS.flatMap((operation) => [operation.name, ...operation.aliases]);
    expect(new Set(words).size).toBe(words.length);
    for (const operation of OPERATIONS) {
      for (const word of [operation.name, ...operation.aliases]) expect(operationFor(word.toUpperCase())?.name, word).toBe(operation.name);
    }
    expect(operationFor('constructor')).toBeUndefined();
  });

  it('is what the command parser, help, the form and the policy file know', () => {
    const names = OPERATIONS.map((operation) => operation.name);
    expect(POLICY_ACTIONS).toEqual(names);
    expect(Object.keys(USAGE).sort()).toEqual([...names, 'help'].sort());
    const help = JSON.stringify(helpMessage().blocks);
    for (const operation of OPERATIONS) {
      expect(help).toContain(operation.usage);
      // Every alias reaches its operation: parsed as that operation, or refused with its own usage.
      for (const word of operation.aliases)
        expect((parseCommand(word) as { kind: string; topic?: string }).topic ?? parseCommand(word).kind).toBe(operation.name);
    }
    expect(FORM_OPERATIONS.map((operation) => operation.name)).toEqual(
      OPERATIONS.filter((operation) => operation.form).map((operation) => operation.name),
    );
  });

  it('lets the policy file name every operation, and points an alias to its operation', () => {
    const rules = OPERATIONS.map((operation) => `  ${operation.name}: { users: ["*"] }`).join('\n');
    const parsed = parsePolicy(`actions:\n${rules}\n`, 'policy.yaml');
    expect(parsed.ok && Object.keys(parsed.rules.actions).sort()).toEqual(OPERATIONS.map((operation) => operation.name).sort());
    const aliased = parsePolicy('actions:\n  associate: { users: ["*"] }\n', 'policy.yaml');
    expect(aliased.ok ? [] : aliased.problems.map((problem) => problem.message)).toEqual([
      `"associate" is not an action (did you mean attach?); the actions are ${OPERATIONS.map((operation) => operation.name).join(', ')}`,
    ]);
  });

  it('names each refused operation in its own words', async () => {
    const parsed = parsePolicy('default: deny\n', 'policy.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const policy = createPolicy(parsed.rules, { membersOf: () => Promise.reject(new Error('no groups here')) });
    for (const operation of OPERATIONS) {
      const decision = await policy.decide({ userId: 'U0ALICE01', action: operation.name });
      expect(decision.allowed ? '' : decision.reason, operation.name).toMatch(
        new RegExp(`^${operation.activity} is not allowed to anyone here`),
      );
    }
  });
});
