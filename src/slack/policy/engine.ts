/**
 * Who may do what where, from the optional FIPBOT_POLICY_FILE (read by file.ts; group members from user-groups.ts):
 *   default: deny   # for actions not listed; unset = deny, as whoever wrote a policy meant to restrict
 *   actions: { list: { users: ["*"] }, release: { usergroups: [S0123ONCALL], users: [U0789ALICE], channels: [C0456OPS] } }
 *   approvals: { release: { approvers: { usergroups: [S0123ONCALL] }, clouds: [prod], expires: 30m } }   # optional
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
  /** Whether this change needs a second person here (the configured cloud's name, when it has one), and who may give it. */
  approvalFor(request: { action: PolicyAction; cloud?: string | undefined }): ApprovalRequirement | undefined;
  /** May this person approve this action's request (the requester being someone else is the caller's check). */
  mayApprove(request: PolicyRequest & { cloud?: string | undefined }): Promise<PolicyDecision>;
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
  /** Changes that need a second person's approval (absent: none do). */
  approvals?: Partial<Record<PolicyAction, ApprovalRule>>;
}

export interface CloudRules {
  use?: PolicyRule;
  actions: Partial<Record<PolicyAction, PolicyRule>>;
}

/** `approvals.<action>` in the file: who may approve, on which clouds (absent: all), how long a request stays open. */
export interface ApprovalRule {
  approvers: PolicyRule;
  clouds?: readonly string[];
  /** Absent: the timing profile's default (interactions.approvalTtlMs, 30 minutes). */
  expiresMs?: number;
}

/** What `approvalFor` answers: the action whose rule applies and who may approve. */
export interface ApprovalRequirement {
  action: PolicyAction;
  approvers: PolicyRule;
  expiresMs: number | undefined;
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
    approvalFor: () => undefined,
    mayApprove: () => Promise.resolve(ALLOWED),
    restricted: false,
    usesUserGroups: () => false,
    describe: () => 'no policy file: everyone may do everything',
  });
  origins.set(policy, 'allow-all');
  return policy;
}

export function createPolicy(rules: PolicyRules, groups: UserGroupDirectory): Policy {
  // Sets once, not a scan per request.
  const compiled = new Map(Object.entries(rules.actions).map(([action, rule]) => [action as PolicyAction, compile(rule)]));
  // Per cloud: who may use it, and the rules it overrides, compiled as the file's own.
  const cloudRules = new Map(
    Object.entries(rules.clouds ?? {}).map(([name, cloud]) => [
      name,
      {
        use: cloud.use ? compile(cloud.use) : undefined,
        actions: new Map(Object.entries(cloud.actions).map(([action, rule]) => [action as PolicyAction, compile(rule)])),
      },
    ]),
  );

  // Any match grants and no entry denies: Errbot's allow/deny pairs are where its users got confused.
  async function decide(request: PolicyRequest): Promise<PolicyDecision> {
    const cloud = request.cloud === undefined ? undefined : cloudRules.get(request.cloud);
    // Who may use the cloud at all comes first: an action's grant does not reach a cloud the person may not use.
    if (cloud?.use) {
      const unchecked = await unmatched(cloud.use, request, groups);
      if (unchecked !== 'granted') return refuse(`Using the ${request.cloud} cloud`, cloud.use.rule, unchecked);
    }
    const onCloud = cloud?.actions.get(request.action);
    if (onCloud) {
      const unchecked = await unmatched(onCloud, request, groups);
      return unchecked === 'granted' ? ALLOWED : refuse(`${activity(request.action)} on ${request.cloud}`, onCloud.rule, unchecked);
    }
    const entry = compiled.get(request.action);
    if (!entry) return rules.default === 'allow' ? ALLOWED : refuse(activity(request.action), undefined, []);
    const unchecked = await unmatched(entry, request, groups);
    return unchecked === 'granted' ? ALLOWED : refuse(activity(request.action), entry.rule, unchecked);
  }

  const approvals = new Map(
    Object.entries(rules.approvals ?? {}).map(([action, approval]) => [
      action as PolicyAction,
      { approval, ...compile(approval.approvers) },
    ]),
  );

  function approvalFor(request: { action: PolicyAction; cloud?: string | undefined }): ApprovalRequirement | undefined {
    const entry = approvals.get(request.action);
    if (!entry) return undefined;
    // A rule for named clouds never applies to a cloud without a name (policyWarnings says so).
    const { clouds } = entry.approval;
    if (clouds && (request.cloud === undefined || !clouds.includes(request.cloud))) return undefined;
    return { action: request.action, approvers: entry.rule, expiresMs: entry.approval.expiresMs };
  }

  async function mayApprove(request: PolicyRequest & { cloud?: string | undefined }): Promise<PolicyDecision> {
    const entry = approvalFor(request) && approvals.get(request.action);
    if (!entry) return { allowed: false, reason: 'This change does not need an approval here.' };
    const unchecked = await unmatched(entry, request, groups);
    return unchecked === 'granted' ? ALLOWED : refuseApproval(request.action, entry.rule, unchecked);
  }

  const policy: Policy = Object.freeze({
    decide,
    approvalFor,
    mayApprove,
    restricted: POLICY_ACTIONS.some((action) => !openToEveryone(rules, action)),
    usesUserGroups: () =>
      [...compiled.values(), ...approvals.values()].some(({ rule }) => rule.usergroups.length > 0) ||
      Object.values(rules.clouds ?? {}).some((cloud) =>
        [cloud.use, ...Object.values(cloud.actions)].some((rule) => (rule?.usergroups.length ?? 0) > 0),
      ),
    describe: () => describeRules(rules),
  });
  origins.set(policy, rules);
  return policy;
}

interface CompiledRule {
  rule: PolicyRule;
  users: ReadonlySet<string>;
  channels: ReadonlySet<string>;
}

function compile(rule: PolicyRule): CompiledRule {
  return { rule, users: new Set(rule.users), channels: new Set(rule.channels) };
}

/** 'granted' when the rule matches the request; else the groups that could not be checked (they grant nothing). */
async function unmatched(entry: CompiledRule, request: PolicyRequest, groups: UserGroupDirectory): Promise<'granted' | string[]> {
  const { rule, users, channels } = entry;
  // The free checks first: a user or channel match needs no call to Slack.
  if (rule.everyone || users.has(request.userId)) return 'granted';
  // A channel grant is for all who can post there: guests, anyone joining a public channel (policyWarnings says so).
  if (request.channelId !== undefined && channels.has(request.channelId)) return 'granted';
  const verdicts = await Promise.all(
    rule.usergroups.map(async (group) => {
      try {
        return (await groups.membersOf(group)).has(request.userId) ? 'member' : 'not-member';
      } catch {
        return 'unchecked'; // the directory has logged why
      }
    }),
  );
  if (verdicts.includes('member')) return 'granted';
  return rule.usergroups.filter((_group, index) => verdicts[index] === 'unchecked');
}

/** Open to everyone: its own rule, and the rules of what it always needs too (reclaim needs release). */
function openToEveryone(rules: PolicyRules, action: PolicyAction): boolean {
  const always = OPERATIONS.find((operation) => operation.name === action)?.alsoNeeds?.({}) ?? [];
  return [action, ...always].every((needed) => {
    const rule = rules.actions[needed];
    return rule ? rule.everyone : rules.default === 'allow';
  });
}

/**
 * Start-up warnings: who may change floating IPs without being named, and approval rules that can never apply
 * (`cloud`: the configured cloud's name, undefined when it has none).
 */
export function policyWarnings(policy: Policy, context: { cloud?: string | undefined } = {}): string[] {
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
  for (const [action, approval] of Object.entries(origin.approvals ?? {})) {
    const clouds = approval.clouds;
    if (!clouds) continue;
    if (context.cloud === undefined)
      warnings.push(
        `${origin.source}: approvals.${action} applies only on ${and(clouds)}, but this cloud has no name (set OS_CLOUD to its clouds.yaml entry): ${action} needs no approval here`,
      );
    else if (!clouds.includes(context.cloud))
      warnings.push(`${origin.source}: approvals.${action} applies only on ${and(clouds)}, not on this cloud (${context.cloud})`);
  }
  return warnings;
}

function describeRules(rules: PolicyRules): string {
  const parts = POLICY_ACTIONS.map((action) => {
    const rule = rules.actions[action];
    if (!rule) return `${action}: ${rules.default} (default)`;
    if (rule.everyone) return `${action}: everyone`;
    return `${action}: ${grantsOf(rule)}`;
  });
  const clouds = Object.entries(rules.clouds ?? {}).map(
    ([name, cloud]) => `${name}: ${[...(cloud.use ? ['use'] : []), ...Object.keys(cloud.actions)].join(', ') || 'no rules'} of its own`,
  );
  const approvals = Object.entries(rules.approvals ?? {}).map(
    ([action, approval]) =>
      `${action} needs approval by ${grantsOf(approval.approvers)}${approval.clouds ? ` on ${approval.clouds.join(',')}` : ''}`,
  );
  return `policy from ${rules.source}: ${parts.join('; ')}${clouds.length > 0 ? `; clouds: ${clouds.join('; ')}` : ''}${approvals.length > 0 ? `; ${approvals.join('; ')}` : ''}`;
}

function grantsOf(rule: PolicyRule): string {
  if (rule.everyone) return 'anyone else';
  const grants = [
    rule.users.length > 0 ? `users ${rule.users.join(',')}` : '',
    rule.usergroups.length > 0 ? `usergroups ${rule.usergroups.join(',')}` : '',
    rule.channels.length > 0 ? `channels ${rule.channels.join(',')}` : '',
  ].filter(Boolean);
  return grants.length > 0 ? grants.join(' or ') : 'nobody';
}

// ---------------------------------------------------------------------------
// Refusals: plain language, naming what would allow the request

/** "Attaching floating IPs": the operation's own words. */
function activity(action: PolicyAction): string {
  return operationNamed(action)?.activity ?? action;
}

// Show refusals only to the requester (ephemeral or DM): a <!subteam^S…> in a channel message notifies the whole group.
function refuse(what: string, rule: PolicyRule | undefined, unchecked: readonly string[]): PolicyDecision {
  const who = rule ? grantees(rule) : [];
  if (who.length === 0) {
    return {
      allowed: false,
      reason: `${what} is not allowed to anyone here: fipbot's policy does not grant it. Ask whoever runs fipbot if you need it.`,
    };
  }
  return { allowed: false, reason: [`${what} is limited to ${and(who)}.`, ...ways(rule!, unchecked)].join(' ') };
}

/** Someone not among the approvers pressed Approve or Deny: say who may. */
function refuseApproval(action: PolicyAction, rule: PolicyRule, unchecked: readonly string[]): PolicyDecision {
  const who = approversText(rule);
  const doing = activity(action);
  const sentence = `Only ${who} may approve or deny this (${doing.charAt(0).toLowerCase()}${doing.slice(1)} needs a second person's approval).`;
  return {
    allowed: false,
    reason: [sentence, ...(unchecked.length > 0 ? ways({ ...rule, users: [], channels: [] }, unchecked) : [])].join(' '),
  };
}

/** Who may approve, in words for a message: "members of <!subteam^S…> or <@U…>"; anyone: "anyone else". */
export function approversText(rule: PolicyRule): string {
  if (rule.everyone) return 'anyone but the person who asked';
  const who = grantees(rule);
  return who.length > 0 ? or(who) : 'nobody (the policy names no approver)';
}

/** The people a rule grants to, as mentions: users, the members of groups, a channel. */
function grantees(rule: PolicyRule): string[] {
  const users = rule.users.map((user) => `<@${user}>`);
  const groups = rule.usergroups.map((group) => `<!subteam^${group}>`);
  const channels = rule.channels.map((channel) => `<#${channel}>`);
  const who = [...users, ...(groups.length > 0 ? [`members of ${and(groups)}`] : [])];
  if (channels.length > 0) who.push(`the ${and(channels)} ${channels.length === 1 ? 'channel' : 'channels'}`);
  return who;
}

/** What to do about a refusal: try again (a group could not be checked), ask someone, or use a listed channel. */
function ways(rule: PolicyRule, unchecked: readonly string[]): string[] {
  const sentences: string[] = [];
  const found: string[] = [];
  if (unchecked.length > 0) {
    sentences.push(`I could not check whether you are a member of ${and(unchecked.map((group) => `<!subteam^${group}>`))} just now.`);
    found.push('try again in a minute');
  }
  const people = rule.users.length + rule.usergroups.length;
  if (people > 0) found.push(rule.users.length === 1 && rule.usergroups.length === 0 ? `ask <@${rule.users[0] ?? ''}>` : 'ask one of them');
  if (rule.channels.length > 0) found.push(`run the command in ${or(rule.channels.map((channel) => `<#${channel}>`))}`);
  const advice = found.join(', or ');
  if (advice) sentences.push(`${advice.charAt(0).toUpperCase()}${advice.slice(1)}.`);
  return sentences;
}

function list(items: readonly string[], word: string): string {
  if (items.length <= 2) return items.join(` ${word} `);
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1] ?? ''}`;
}

const and = (items: readonly string[]): string => list(items, 'and');
const or = (items: readonly string[]): string => list(items, 'or');
