/**
 * Who may do what where, from the optional FIPBOT_POLICY_FILE (read by file.ts; group members from user-groups.ts):
 *   default: deny   # for actions not listed; unset = deny, as whoever wrote a policy meant to restrict
 *   actions: { list: { users: ["*"] }, release: { usergroups: [S0123ONCALL], users: [U0789ALICE], channels: [C0456OPS] } }
 * - Any match grants: a listed user ("*" = everyone), a member of a listed group, or a listed channel. No deny entries.
 * - No file: everyone may do everything (`allowAll`; `policyWarnings` says so at start-up). Ids only: names change.
 * - A group that cannot be checked grants nothing (the refusal says why). Refusals name who could allow the request.
 */

import { OPERATIONS, type OperationName, operationNamed } from '../../operations/registry.js';

/** The policy's actions are the operations of the registry (src/operations/registry.ts), by name. */
export type PolicyAction = OperationName;

export interface PolicyRequest {
  userId: string;
  channelId?: string;
  action: PolicyAction;
  /** The cloud acted on (its FIPBOT_CONFIG name), when the bot serves several. */
  cloud?: string;
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
  /**
   * Per cloud (several clouds, FIPBOT_CONFIG): `use` says who may use the cloud at all (absent: everyone the
   * actions allow), `actions` override the rules above on that cloud.
   */
  clouds?: Record<string, CloudRules>;
}

export interface CloudRules {
  use?: PolicyRule;
  actions: Partial<Record<PolicyAction, PolicyRule>>;
}

export const POLICY_ACTIONS: readonly PolicyAction[] = OPERATIONS.map((operation) => operation.name);
/** The actions that change something in the cloud. */
const CHANGES: readonly PolicyAction[] = OPERATIONS.filter((operation) => operation.kind === 'change').map((operation) => operation.name);

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
    Object.entries(rules.actions).map(([action, rule]) => [
      action as PolicyAction,
      { rule, users: new Set(rule.users), channels: new Set(rule.channels) },
    ]),
  );

  // Any match grants and no entry denies: Errbot's allow/deny pairs are where its users got confused.
  async function decide(request: PolicyRequest): Promise<PolicyDecision> {
    const cloud = request.cloud === undefined ? undefined : rules.clouds?.[request.cloud];
    // Who may use the cloud at all comes first: an action's grant does not reach a cloud the person may not use.
    if (cloud?.use) {
      const unchecked = await grants(cloud.use, request);
      if (unchecked !== true) return refuse(`Using the ${request.cloud} cloud`, cloud.use, unchecked);
    }
    const onCloud = cloud?.actions[request.action];
    if (onCloud) {
      const unchecked = await grants(onCloud, request);
      return unchecked === true ? ALLOWED : refuse(`${activity(request.action)} on ${request.cloud}`, onCloud, unchecked);
    }
    const entry = compiled.get(request.action);
    if (!entry) return rules.default === 'allow' ? ALLOWED : refuse(activity(request.action), undefined, []);
    const { rule, users, channels } = entry;
    // The free checks first: a user or channel match needs no call to Slack.
    if (rule.everyone || users.has(request.userId)) return ALLOWED;
    // A channel grant is for all who can post there: guests, anyone joining a public channel (policyWarnings says so).
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
      activity(request.action),
      rule,
      rule.usergroups.filter((_group, index) => verdicts[index] === 'unchecked'),
    );
  }

  /** True when `rule` grants the request; else the groups that could not be checked. */
  async function grants(rule: PolicyRule, request: PolicyRequest): Promise<true | string[]> {
    if (rule.everyone || rule.users.includes(request.userId)) return true;
    if (request.channelId !== undefined && rule.channels.includes(request.channelId)) return true;
    const verdicts = await Promise.all(
      rule.usergroups.map((group) =>
        groups.membersOf(group).then(
          (members) => (members.has(request.userId) ? 'member' : 'not-member'),
          () => 'unchecked',
        ),
      ),
    );
    return verdicts.includes('member') ? true : rule.usergroups.filter((_group, index) => verdicts[index] === 'unchecked');
  }

  const policy: Policy = Object.freeze({
    decide,
    restricted: POLICY_ACTIONS.some((action) => !openToEveryone(rules, action)),
    usesUserGroups: () =>
      [...compiled.values()].some(({ rule }) => rule.usergroups.length > 0) ||
      Object.values(rules.clouds ?? {}).some((cloud) =>
        [cloud.use, ...Object.values(cloud.actions)].some((rule) => (rule?.usergroups.length ?? 0) > 0),
      ),
    describe: () => describeRules(rules),
  });
  origins.set(policy, rules);
  return policy;
}

/** Open to everyone: its own rule, and the rules of what it always needs too (reclaim needs release). */
function openToEveryone(rules: PolicyRules, action: PolicyAction): boolean {
  const always = OPERATIONS.find((operation) => operation.name === action)?.alsoNeeds?.({}) ?? [];
  return [action, ...always].every((needed) => {
    const rule = rules.actions[needed];
    return rule ? rule.everyone : rules.default === 'allow';
  });
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
  const clouds = Object.entries(rules.clouds ?? {}).map(
    ([name, cloud]) => `${name}: ${[...(cloud.use ? ['use'] : []), ...Object.keys(cloud.actions)].join(', ') || 'no rules'} of its own`,
  );
  return `policy from ${rules.source}: ${parts.join('; ')}${clouds.length > 0 ? `; clouds: ${clouds.join('; ')}` : ''}`;
}

// ---------------------------------------------------------------------------
// Refusals: plain language, naming what would allow the request

/** "Attaching floating IPs": the operation's own words. */
function activity(action: PolicyAction): string {
  return operationNamed(action)?.activity ?? action;
}

// Show refusals only to the requester (ephemeral or DM): a <!subteam^S…> in a channel message notifies the whole group.
function refuse(what: string, rule: PolicyRule | undefined, unchecked: readonly string[]): PolicyDecision {
  const users = rule?.users.map((user) => `<@${user}>`) ?? [];
  const groups = rule?.usergroups.map((group) => `<!subteam^${group}>`) ?? [];
  const channels = rule?.channels.map((channel) => `<#${channel}>`) ?? [];
  if (users.length + groups.length + channels.length === 0) {
    return {
      allowed: false,
      reason: `${what} is not allowed to anyone here: fipbot's policy does not grant it. Ask whoever runs fipbot if you need it.`,
    };
  }
  const grantees = [...users, ...(groups.length > 0 ? [`members of ${and(groups)}`] : [])];
  if (channels.length > 0) grantees.push(`the ${and(channels)} ${channels.length === 1 ? 'channel' : 'channels'}`);
  const sentences = [`${what} is limited to ${and(grantees)}.`];
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
