/**
 * Who may do what where: the optional policy file named by FIPBOT_POLICY_FILE.
 *
 * ```yaml
 * default: deny                 # what an action not listed below gets
 * actions:
 *   list:    { users: ["*"] }   # "*" under users = everyone
 *   release: { usergroups: [S0123ONCALL], users: [U0789ALICE], channels: [C0456OPS] }
 * ```
 *
 * Semantics, chosen to be easy to predict:
 * - Any match grants. A request is allowed when the user is listed, OR the
 *   user is a member of a listed user group, OR the request comes from a
 *   listed channel. There is no "deny" entry to override a grant (Errbot's
 *   allow/deny pairs are where its users got confused).
 * - A channel grant is a grant to everyone who can post there: guests in
 *   that channel included and, for a public channel, anyone who joins it.
 *   `policyWarnings` says so at start-up.
 * - An action the file does not list gets `default:`; without `default:` it
 *   is denied, because someone who wrote a policy meant to restrict.
 * - No file at all: everyone may do everything (`allowAll`), and
 *   `policyWarnings` says so at start-up.
 * - Ids only (U/W users, S user groups, C/G/D channels): names can be changed
 *   by their owners, and a policy must not change with them. A name is refused
 *   with the way to find the id.
 * - A user group whose members cannot be fetched grants nothing (we deny and
 *   say why), but another listed user, group or channel still grants.
 *
 * Refusals name what would allow the request, in Slack mention syntax. Show
 * them only to the requester (ephemeral or DM): `<!subteam^S…>` in a channel
 * message would notify the whole group.
 */

import { readFileSync } from 'node:fs';
import { parseDocument, type ScalarTag } from 'yaml';
import { z } from 'zod';
import type { Problem } from '../config/problem.js';
import { PRODUCTION_TIMING } from '../config/timing.js';
import type { Logger } from '../log.js';

export type PolicyAction = 'list' | 'create' | 'attach' | 'detach' | 'release' | 'explain';

export interface PolicyRequest {
  userId: string;
  channelId?: string;
  action: PolicyAction;
}

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

/** Members of Slack user groups, by group id (S…). Rejects when Slack cannot tell. */
export interface UserGroupDirectory {
  membersOf(groupId: string): Promise<ReadonlySet<string>>;
}

export interface Policy {
  decide(request: PolicyRequest): Promise<PolicyDecision>;
  /** True when some action is refused to someone. */
  readonly restricted: boolean;
  /** True when a rule names a user group: the app then needs the usergroups:read scope. */
  usesUserGroups(): boolean;
  /** One line for start-up logs. */
  describe(): string;
}

/** Who an action is granted to. Empty lists and `everyone: false` grant it to nobody. */
export interface PolicyRule {
  everyone: boolean;
  users: readonly string[];
  usergroups: readonly string[];
  channels: readonly string[];
}

export interface PolicyRules {
  /** Where the rules came from, for logs: usually the file path. */
  source: string;
  default: 'allow' | 'deny';
  actions: Partial<Record<PolicyAction, PolicyRule>>;
}

export const POLICY_ACTIONS: readonly PolicyAction[] = ['list', 'create', 'attach', 'detach', 'release', 'explain'];
/** The actions that change something in the cloud. */
const CHANGES: readonly PolicyAction[] = ['create', 'attach', 'detach', 'release'];

const ALLOWED: PolicyDecision = Object.freeze({ allowed: true });

/** What each policy was made from, for `policyWarnings` (the Policy interface stays small). */
const origins = new WeakMap<Policy, PolicyRules | 'allow-all'>();

// ---------------------------------------------------------------------------
// Policies

export function allowAll(): Policy {
  const policy: Policy = Object.freeze({
    decide: () => Promise.resolve(ALLOWED),
    restricted: false,
    usesUserGroups: () => false,
    describe: () => 'no policy file: everyone may do everything',
  });
  origins.set(policy, 'allow-all');
  return policy;
}

export function createPolicy(rules: PolicyRules, groups: UserGroupDirectory): Policy {
  // Sets once, not a scan per request.
  const compiled = new Map(
    Object.entries(rules.actions).map(([action, rule]) => [action as PolicyAction, { rule, users: new Set(rule.users), channels: new Set(rule.channels) }]),
  );

  async function decide(request: PolicyRequest): Promise<PolicyDecision> {
    const entry = compiled.get(request.action);
    if (!entry) return rules.default === 'allow' ? ALLOWED : refuse(request.action, undefined, []);
    const { rule, users, channels } = entry;
    // The free checks first: a user or channel match needs no call to Slack.
    if (rule.everyone || users.has(request.userId)) return ALLOWED;
    if (request.channelId !== undefined && channels.has(request.channelId)) return ALLOWED;
    const verdicts = await Promise.all(
      rule.usergroups.map(async (group) => {
        try {
          return (await groups.membersOf(group)).has(request.userId) ? 'member' : 'not-member';
        } catch {
          return 'unchecked'; // the directory has logged why
        }
      }),
    );
    if (verdicts.includes('member')) return ALLOWED;
    return refuse(
      request.action,
      rule,
      rule.usergroups.filter((_group, index) => verdicts[index] === 'unchecked'),
    );
  }

  const policy: Policy = Object.freeze({
    decide,
    restricted: POLICY_ACTIONS.some((action) => !openToEveryone(rules, action)),
    usesUserGroups: () => [...compiled.values()].some(({ rule }) => rule.usergroups.length > 0),
    describe: () => describeRules(rules),
  });
  origins.set(policy, rules);
  return policy;
}

function openToEveryone(rules: PolicyRules, action: PolicyAction): boolean {
  const rule = rules.actions[action];
  return rule ? rule.everyone : rules.default === 'allow';
}

/** Start-up warnings: who may change floating IPs without being named. */
export function policyWarnings(policy: Policy): string[] {
  const origin = origins.get(policy);
  if (origin === undefined) return [];
  if (origin === 'allow-all') return ['no policy file: every member of the workspace may create, attach, detach and release floating IPs'];
  const warnings: string[] = [];
  const open = CHANGES.filter((action) => openToEveryone(origin, action));
  if (open.length > 0) {
    warnings.push(`${origin.source}: every member of the workspace may ${and(open)} floating IPs`);
  }
  const byChannel = CHANGES.filter((action) => !open.includes(action) && (origin.actions[action]?.channels.length ?? 0) > 0);
  if (byChannel.length > 0) {
    const channels = [...new Set(byChannel.flatMap((action) => origin.actions[action]?.channels ?? []))];
    warnings.push(
      `${origin.source}: anyone who can post in ${and(channels)} may ${and(byChannel)} floating IPs there, guests included; anyone can join a public channel`,
    );
  }
  return warnings;
}

function describeRules(rules: PolicyRules): string {
  const parts = POLICY_ACTIONS.map((action) => {
    const rule = rules.actions[action];
    if (!rule) return `${action}: ${rules.default} (default)`;
    if (rule.everyone) return `${action}: everyone`;
    const grants = [
      rule.users.length > 0 ? `users ${rule.users.join(',')}` : '',
      rule.usergroups.length > 0 ? `usergroups ${rule.usergroups.join(',')}` : '',
      rule.channels.length > 0 ? `channels ${rule.channels.join(',')}` : '',
    ].filter(Boolean);
    return `${action}: ${grants.length > 0 ? grants.join(' or ') : 'nobody'}`;
  });
  return `policy from ${rules.source}: ${parts.join('; ')}`;
}

// ---------------------------------------------------------------------------
// Refusals: plain language, naming what would allow the request

const ACTIVITY: Record<PolicyAction, string> = {
  list: 'Listing floating IPs',
  create: 'Creating floating IPs',
  attach: 'Attaching floating IPs',
  detach: 'Detaching floating IPs',
  release: 'Releasing floating IPs',
  explain: 'Asking fipbot to explain an instance',
};

function refuse(action: PolicyAction, rule: PolicyRule | undefined, unchecked: readonly string[]): PolicyDecision {
  const users = rule?.users.map((user) => `<@${user}>`) ?? [];
  const groups = rule?.usergroups.map((group) => `<!subteam^${group}>`) ?? [];
  const channels = rule?.channels.map((channel) => `<#${channel}>`) ?? [];
  if (users.length + groups.length + channels.length === 0) {
    return { allowed: false, reason: `${ACTIVITY[action]} is not allowed to anyone here: fipbot's policy does not grant it. Ask whoever runs fipbot if you need it.` };
  }
  const grantees = [...users, ...(groups.length > 0 ? [`members of ${and(groups)}`] : [])];
  if (channels.length > 0) grantees.push(`the ${and(channels)} ${channels.length === 1 ? 'channel' : 'channels'}`);
  const sentences = [`${ACTIVITY[action]} is limited to ${and(grantees)}.`];
  const ways: string[] = [];
  if (unchecked.length > 0) {
    sentences.push(`I could not check whether you are a member of ${and(unchecked.map((group) => `<!subteam^${group}>`))} just now.`);
    ways.push('try again in a minute');
  }
  if (users.length + groups.length > 0) ways.push(users.length === 1 && groups.length === 0 ? `ask ${users[0] ?? ''}` : 'ask one of them');
  if (channels.length > 0) ways.push(`run the command in ${or(channels)}`);
  const advice = ways.join(', or ');
  sentences.push(`${advice.charAt(0).toUpperCase()}${advice.slice(1)}.`);
  return { allowed: false, reason: sentences.join(' ') };
}

function list(items: readonly string[], word: string): string {
  if (items.length <= 2) return items.join(` ${word} `);
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1] ?? ''}`;
}

const and = (items: readonly string[]): string => list(items, 'and');
const or = (items: readonly string[]): string => list(items, 'or');

// ---------------------------------------------------------------------------
// User groups through the Web API

export interface UserGroupsClient {
  usergroups: { users: { list(args: { usergroup: string }): Promise<{ ok?: boolean; users?: string[]; error?: string }> } };
}

export class UserGroupLookupError extends Error {
  override readonly name = 'UserGroupLookupError';
  constructor(
    readonly groupId: string,
    readonly slackError: string,
  ) {
    super(`could not list the members of user group ${groupId}: ${slackError}`);
  }
}

/** What an operator should do about a Slack error, when we know. */
const LOOKUP_HINTS: Record<string, string> = {
  missing_scope: 'add the usergroups:read bot scope to the Slack app and reinstall it',
  no_such_subteam: 'the policy file names a user group that does not exist (or was deleted); fix its id',
  plan_upgrade_required: "this workspace's Slack plan has no user groups; grant to users or channels instead",
};

/**
 * Members via usergroups.users.list (scope usergroups:read), cached for
 * `ttlMs` (5 minutes) so a burst of clicks costs one call per group, and one
 * call in flight per group. Failures are logged and not cached: the next
 * request asks again.
 */
export function webApiUserGroups(client: UserGroupsClient, logger: Logger, options: { ttlMs?: number; now?: () => number } = {}): UserGroupDirectory {
  const ttlMs = options.ttlMs ?? PRODUCTION_TIMING.slack.userGroupsTtlMs;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { members: ReadonlySet<string>; expiresAt: number }>();
  const inFlight = new Map<string, Promise<ReadonlySet<string>>>();

  async function fetchMembers(groupId: string): Promise<ReadonlySet<string>> {
    let slackError: string;
    let error: unknown;
    try {
      const response = await client.usergroups.users.list({ usergroup: groupId });
      if (response.ok !== false && Array.isArray(response.users)) return new Set(response.users);
      slackError = response.error ?? 'unexpected_response';
    } catch (caught) {
      slackError = slackErrorCode(caught);
      error = caught;
    }
    const hint = LOOKUP_HINTS[slackError];
    logger.error('user group lookup failed; requests it would allow are refused', {
      usergroup: groupId,
      slackError,
      ...(hint ? { hint } : {}),
      ...(error === undefined ? {} : { error }),
    });
    throw new UserGroupLookupError(groupId, slackError);
  }

  return {
    membersOf(groupId) {
      const cached = cache.get(groupId);
      if (cached && now() < cached.expiresAt) return Promise.resolve(cached.members);
      const pending = inFlight.get(groupId);
      if (pending) return pending;
      const lookup = fetchMembers(groupId)
        .then((members) => {
          cache.set(groupId, { members, expiresAt: now() + ttlMs });
          return members;
        })
        .finally(() => inFlight.delete(groupId));
      inFlight.set(groupId, lookup);
      return lookup;
    },
  };
}

/** The Slack error code of a Web API failure (`missing_scope`...), else the client's own code. */
export function slackErrorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const data = (error as { data?: unknown }).data;
    if (typeof data === 'object' && data !== null && typeof (data as { error?: unknown }).error === 'string') return (data as { error: string }).error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.message : 'unknown_error';
}

// ---------------------------------------------------------------------------
// Parsing the policy file

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

function idProblem(kind: IdKind, value: string): string | undefined {
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
    {
      list: RuleSchema.optional(),
      create: RuleSchema.optional(),
      attach: RuleSchema.optional(),
      detach: RuleSchema.optional(),
      release: RuleSchema.optional(),
      explain: RuleSchema.optional(),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? `must be a mapping of actions (${POLICY_ACTIONS.join(', ')}) to rules` : undefined) },
  )
  .nullish();

const FileSchema = z.strictObject(
  {
    default: z.enum(['allow', 'deny'], { error: 'must be allow or deny' }).nullish(),
    actions: ActionsSchema,
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be a mapping with "default:" and "actions:"' : undefined) },
);

/** Words people write for an action, to suggest the right one (as `/fip` itself accepts them). */
const ACTION_ALIASES: Record<string, PolicyAction> = {
  ls: 'list',
  show: 'list',
  allocate: 'create',
  new: 'create',
  associate: 'attach',
  add: 'attach',
  disassociate: 'detach',
  remove: 'detach',
  delete: 'release',
  why: 'explain',
  diagnose: 'explain',
};
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
  if (parent.length === 1) {
    const alias = ACTION_ALIASES[key.toLowerCase()];
    return `"${key}" is not an action${alias ? ` (did you mean ${alias}?)` : ''}; the actions are ${POLICY_ACTIONS.join(', ')}`;
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
    return { ok: false, problems: [{ where: source, message: 'is empty: write "default:" and "actions:" (or unset FIPBOT_POLICY_FILE to allow everyone everything)' }] };
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
  return { ok: true, rules: { source, default: parsed.data.default ?? 'deny', actions } };
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
