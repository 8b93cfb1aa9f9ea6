/**
 * The policy file (FIPBOT_POLICY_FILE), read into rules: YAML, ids only,
 * every problem reported at once with the key path. The format is shown at
 * the top of engine.ts; the action names are the registry's operations.
 */
import { readFileSync } from 'node:fs';
import { parseDocument, type ScalarTag } from 'yaml';
import { z } from 'zod';
import type { Problem } from '../../config/problem.js';
import { operationFor } from '../../operations/registry.js';
import { POLICY_ACTIONS, type PolicyAction, type PolicyRule, type PolicyRules } from './engine.js';

type IdKind = 'users' | 'usergroups' | 'channels';

/** Slack ids: a type letter, then upper-case letters and digits (U0789ALICE, S0123ONCALL, C0456OPS). */
const ID_SHAPE: Record<IdKind, RegExp> = {
  users: /^[UW][A-Z0-9]{6,}$/,
  usergroups: /^S[A-Z0-9]{6,}$/,
  channels: /^[CGD][A-Z0-9]{6,}$/,
};
const NOUN: Record<IdKind, string> = { users: 'user', usergroups: 'user group', channels: 'channel' };
const PREFIX: Record<IdKind, string> = { users: 'U…', usergroups: 'S…', channels: 'C…' };
const SIGIL: Record<IdKind, string> = { users: '@', usergroups: '@', channels: '#' };
const FIND_ID: Record<IdKind, string> = {
  users: " (in Slack: the person's profile, ⋮, Copy member ID)",
  usergroups: ' (usergroups.list returns it)',
  channels: " (in Slack: the channel's details, at the bottom of About)",
};
const KINDS: readonly IdKind[] = ['users', 'usergroups', 'channels'];

export function idProblem(kind: IdKind, value: string): string | undefined {
  if (value === '*') return kind === 'users' ? undefined : '"*" (everyone) belongs under users';
  if (ID_SHAPE[kind].test(value)) return undefined;
  // Pasted from a message: <@U123>, <@U123|alice>, <#C123|ops>, <!subteam^S123|@oncall>.
  const mention = /^<(?:@|#|!subteam\^)([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value);
  if (mention) return `write the bare id ${mention[1] ?? ''}, not Slack's mention syntax`;
  const other = KINDS.find((k) => k !== kind && ID_SHAPE[k].test(value));
  if (other) return `${value} is a ${NOUN[other]} id: list it under ${other}`;
  if (/\d/.test(value) && ID_SHAPE[kind].test(value.toUpperCase())) return `Slack ids are upper case: write ${value.toUpperCase()}`;
  if (value.trim() === '') return `is empty: write a ${NOUN[kind]} id ${PREFIX[kind]}`;
  const name = value.replace(/^[@#]/, '');
  return `use the ${NOUN[kind]} id ${PREFIX[kind]}, not ${SIGIL[kind]}${name}: names change${FIND_ID[kind]}`;
}

const idList = (kind: IdKind) =>
  z
    .preprocess(
      // `users: U0789ALICE` means a list of one; saying so would be pedantry.
      (value) => (typeof value === 'string' ? [value] : value),
      z.array(
        z.string({ error: 'must be an id, not a list or mapping' }).superRefine((value, ctx) => {
          const problem = idProblem(kind, value);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
        { error: `must be a list of ${NOUN[kind]} ids, e.g. [${PREFIX[kind]}]` },
      ),
    )
    .nullish();

const RuleSchema = z.strictObject(
  { users: idList('users'), usergroups: idList('usergroups'), channels: idList('channels') },
  {
    error: (issue) => {
      if (issue.code !== 'invalid_type') return undefined;
      // `release:` with nothing after it could mean "nobody" or "the default": make the writer say which.
      return issue.input === null || issue.input === undefined
        ? 'has no rule: list users, usergroups or channels; write {} to allow nobody, or remove the line to use the default'
        : 'must be a mapping, e.g. { users: [U0789ALICE], usergroups: [S0123ONCALL], channels: [C0456OPS] }';
    },
  },
);
type RawRule = z.infer<typeof RuleSchema>;

const ActionsSchema = z
  .strictObject(
    Object.fromEntries(POLICY_ACTIONS.map((action) => [action, RuleSchema.optional()])) as Record<
      PolicyAction,
      z.ZodOptional<typeof RuleSchema>
    >,
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? `must be a mapping of actions (${POLICY_ACTIONS.join(', ')}) to rules` : undefined,
    },
  )
  .nullish();

/** Per cloud: who may use it, and action rules that override the file's on that cloud. */
const CloudSchema = z.strictObject(
  { use: RuleSchema.optional(), actions: ActionsSchema },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be a mapping with "use:" and/or "actions:"' : undefined) },
);

const FileSchema = z.strictObject(
  {
    default: z.enum(['allow', 'deny'], { error: 'must be allow or deny' }).nullish(),
    actions: ActionsSchema,
    clouds: z.record(z.string(), CloudSchema, { error: 'must be a mapping of cloud names (FIPBOT_CONFIG) to { use, actions }' }).nullish(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be a mapping with "default:" and "actions:"' : undefined) },
);

const RULE_KEY_ALIASES: Record<string, IdKind> = {
  user: 'users',
  members: 'users',
  groups: 'usergroups',
  group: 'usergroups',
  usergroup: 'usergroups',
  user_groups: 'usergroups',
  subteams: 'usergroups',
  channel: 'channels',
  rooms: 'channels',
};

function unknownKeyMessage(parent: readonly PropertyKey[], key: string): string {
  if (parent.length === 0) return `unknown key "${key}": a policy has "default:" and "actions:"`;
  if (parent.length === 2 && parent[0] === 'clouds') return `unknown key "${key}": a cloud has "use:" and "actions:"`;
  if (parent[parent.length - 1] === 'actions') {
    // Words people write for an action (as `/fip` itself accepts them) suggest the right one.
    const alias = operationFor(key)?.name;
    return `"${key}" is not an action${alias && alias !== key ? ` (did you mean ${alias}?)` : ''}; the actions are ${POLICY_ACTIONS.join(', ')}`;
  }
  const alias = RULE_KEY_ALIASES[key.toLowerCase()];
  return `unknown key "${key}"${alias ? ` (did you mean ${alias}?)` : ''}; a rule lists users, usergroups and channels`;
}

/**
 * The policy file's text -> rules, or every problem at once, each naming
 * `source` and the key path. Every scalar stays text (YAML's failsafe
 * schema), so an unquoted id is never read as a number or a boolean.
 */
export function parsePolicy(text: string, source: string): { ok: true; rules: PolicyRules } | { ok: false; problems: Problem[] } {
  const doc = parseDocument(text, { schema: 'failsafe', customTags: [nullTag], prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      // The yaml package appends a copy of the source line; the first sentence is enough.
      const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
      const pos = error.linePos?.[0];
      return { where: source, message: `invalid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${reason}` };
    });
    return { ok: false, problems };
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    // Denying everything because a file came out empty would look like an outage.
    return {
      ok: false,
      problems: [
        { where: source, message: 'is empty: write "default:" and "actions:" (or unset FIPBOT_POLICY_FILE to allow everyone everything)' },
      ],
    };
  }
  const parsed = FileSchema.safeParse(data);
  if (!parsed.success) {
    const where = (path: readonly PropertyKey[]) => (path.length > 0 ? `${source}: ${path.map(String).join('.')}` : source);
    const problems = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ where: where([...issue.path, key]), message: unknownKeyMessage(issue.path, key) }))
        : [{ where: where(issue.path), message: issue.message }],
    );
    return { ok: false, problems };
  }
  const actions: Partial<Record<PolicyAction, PolicyRule>> = {};
  for (const action of POLICY_ACTIONS) {
    const raw = parsed.data.actions?.[action];
    if (raw) actions[action] = toRule(raw);
  }
  const clouds: NonNullable<PolicyRules['clouds']> = {};
  for (const [name, raw] of Object.entries(parsed.data.clouds ?? {})) {
    const cloudActions: Partial<Record<PolicyAction, PolicyRule>> = {};
    for (const action of POLICY_ACTIONS) {
      const rule = raw.actions?.[action];
      if (rule) cloudActions[action] = toRule(rule);
    }
    clouds[name] = { ...(raw.use ? { use: toRule(raw.use) } : {}), actions: cloudActions };
  }
  return {
    ok: true,
    rules: { source, default: parsed.data.default ?? 'deny', actions, ...(parsed.data.clouds ? { clouds } : {}) },
  };
}

/** The file FIPBOT_POLICY_FILE names -> rules; `readError` (an errno code) when it cannot be read at all. */
export function loadPolicyFile(path: string): { ok: true; rules: PolicyRules } | { ok: false; problems: Problem[]; readError?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, readError: code, problems: [{ where: 'FIPBOT_POLICY_FILE', message: `cannot read ${path}: ${code}` }] };
  }
  return parsePolicy(text, path);
}

function toRule(raw: RawRule): PolicyRule {
  const users = [...new Set(raw.users ?? [])];
  return {
    everyone: users.includes('*'),
    users: users.filter((user) => user !== '*'),
    usergroups: [...new Set(raw.usergroups ?? [])],
    channels: [...new Set(raw.channels ?? [])],
  };
}

/** Plain null forms (`~`, `null`, nothing) mean "not set"; everything else stays text. */
const nullTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:null',
  default: true,
  test: /^(?:~|[Nn]ull|NULL)?$/,
  resolve: () => null,
  identify: (value) => value === null || value === undefined,
};
