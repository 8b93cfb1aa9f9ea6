/**
 * The policy file (FIPBOT_POLICY_FILE), read into rules: YAML, ids only,
 * every problem reported at once with the key path. The format is shown at
 * the top of engine.ts; the action names are the registry's operations.
 */
import { readFileSync } from 'node:fs';
import { parseDocument, type ScalarTag } from 'yaml';
import { z } from 'zod';
import type { Problem } from '../../config/problem.js';
import { operationFor, operationNamed } from '../../operations/registry.js';
import { type ApprovalRule, POLICY_ACTIONS, type PolicyAction, type PolicyRule, type PolicyRules } from './engine.js';

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
const CHANGE_ACTIONS = POLICY_ACTIONS.filter((action) => operationNamed(action)?.kind === 'change');

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

const RULE_SHAPE = { users: idList('users'), usergroups: idList('usergroups'), channels: idList('channels') };
const RULE_EXAMPLE = '{ users: [U0789ALICE], usergroups: [S0123ONCALL], channels: [C0456OPS] }';

const RuleSchema = z.strictObject(RULE_SHAPE, {
  error: (issue) => {
    if (issue.code !== 'invalid_type') return undefined;
    // `release:` with nothing after it could mean "nobody" or "the default": make the writer say which.
    return issue.input === null || issue.input === undefined
      ? 'has no rule: list users, usergroups or channels; write {} to allow nobody, or remove the line to use the default'
      : `must be a mapping, e.g. ${RULE_EXAMPLE}`;
  },
});

/** Who may approve: a rule of the same shape, which must be written out (nobody approving would block the change for good). */
const ApproversSchema = z.strictObject(RULE_SHAPE, {
  error: (issue) => {
    if (issue.code !== 'invalid_type') return undefined;
    return issue.input === null || issue.input === undefined
      ? 'is missing: say who may approve, e.g. { usergroups: [S0123ONCALL] }'
      : `must be a mapping, e.g. ${RULE_EXAMPLE}`;
  },
});
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

/** How long an approval request may stay open: long enough to find someone, short enough that the plan is still what was seen. */
export const APPROVAL_EXPIRES_BOUNDS = Object.freeze({ minMs: 60_000, maxMs: 24 * 60 * 60_000 });
const DURATION_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 60 * 60_000 };

/** `30m`, `2h`, `90s` (whole numbers), within APPROVAL_EXPIRES_BOUNDS. */
const ExpiresSchema = z
  .string({ error: 'must be a duration such as 30m or 2h' })
  .transform((text, ctx) => {
    const match = /^(\d{1,6})\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)$/i.exec(text.trim());
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `must be a duration such as 30m or 2h, not "${text.slice(0, 20)}"` });
      return z.NEVER;
    }
    const ms = Number(match[1]) * DURATION_UNITS[match[2]!.toLowerCase()[0]!]!;
    if (ms < APPROVAL_EXPIRES_BOUNDS.minMs || ms > APPROVAL_EXPIRES_BOUNDS.maxMs) {
      ctx.addIssue({ code: 'custom', message: 'must be between 1m and 24h' });
      return z.NEVER;
    }
    return ms;
  })
  .nullish();

const CloudNamesSchema = z
  .preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z.array(z.string({ error: 'must be a cloud name (a clouds.yaml entry)' }).min(1, { error: 'is empty: write a cloud name' }), {
      error: 'must be a list of cloud names (clouds.yaml entries), e.g. [prod]',
    }),
  )
  .nullish();

const ApprovalSchema = z.strictObject(
  {
    approvers: ApproversSchema.refine((rule) => Boolean(rule.users?.length || rule.usergroups?.length || rule.channels?.length), {
      // A change nobody may approve could never happen: that is a deny, and belongs under actions:.
      error: 'names nobody: list users, usergroups or channels who may approve (to forbid the change, deny it under actions:)',
    }),
    clouds: CloudNamesSchema,
    expires: ExpiresSchema,
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'must be a mapping with "approvers:" (and optionally "clouds:" and "expires:"), e.g. { approvers: { usergroups: [S0123ONCALL] } }'
        : undefined,
  },
);
type RawApproval = z.infer<typeof ApprovalSchema>;

/** A read changes nothing: there is nothing for a second person to approve. */
const readApproval = (action: PolicyAction) =>
  z
    .unknown()
    .refine(() => false, {
      error: `${action} changes nothing, so it cannot need approval; only changes can (${CHANGE_ACTIONS.join(', ')})`,
    })
    .optional();

const ApprovalsSchema = z
  .strictObject(
    Object.fromEntries(
      POLICY_ACTIONS.map((action) => [action, operationNamed(action)?.kind === 'read' ? readApproval(action) : ApprovalSchema.optional()]),
    ) as Record<PolicyAction, z.ZodOptional<typeof ApprovalSchema>>,
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? `must be a mapping of changes (${CHANGE_ACTIONS.join(', ')}) to who may approve them` : undefined,
    },
  )
  .nullish();

const FileSchema = z.strictObject(
  {
    default: z.enum(['allow', 'deny'], { error: 'must be allow or deny' }).nullish(),
    actions: ActionsSchema,
    clouds: z.record(z.string(), CloudSchema, { error: 'must be a mapping of cloud names (FIPBOT_CONFIG) to { use, actions }' }).nullish(),
    approvals: ApprovalsSchema,
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
  if (parent.length === 0) return `unknown key "${key}": a policy has "default:", "actions:", "clouds:" and "approvals:"`;
  if (parent.length === 2 && parent[0] === 'clouds') return `unknown key "${key}": a cloud has "use:" and "actions:"`;
  if (parent[0] === 'approvals' && parent.length === 2) return `unknown key "${key}"; an approval has approvers, clouds and expires`;
  if (parent[0] === 'approvals' && parent.length === 1) {
    const alias = operationFor(key)?.name;
    return `"${key}" is not a change${alias && alias !== key ? ` (did you mean ${alias}?)` : ''}; approvals can name ${CHANGE_ACTIONS.join(', ')}`;
  }
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
  const approvals: Partial<Record<PolicyAction, ApprovalRule>> = {};
  for (const action of POLICY_ACTIONS) {
    const raw = parsed.data.approvals?.[action];
    if (raw) approvals[action] = toApproval(raw);
  }
  return {
    ok: true,
    rules: {
      source,
      default: parsed.data.default ?? 'deny',
      actions,
      ...(parsed.data.clouds ? { clouds } : {}),
      ...(Object.keys(approvals).length > 0 ? { approvals } : {}),
    },
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

function toApproval(raw: RawApproval): ApprovalRule {
  return {
    approvers: toRule(raw.approvers),
    ...(raw.clouds ? { clouds: [...new Set(raw.clouds)] } : {}),
    ...(raw.expires != null ? { expiresMs: raw.expires } : {}),
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
