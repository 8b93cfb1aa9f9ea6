import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import {
  allowAll,
  createPolicy,
  policyWarnings,
  type PolicyDecision,
  type PolicyRules,
  type UserGroupDirectory,
} from '../../../src/slack/policy/engine.js';
import { parsePolicy } from '../../../src/slack/policy/file.js';
import { webApiUserGroups } from '../../../src/slack/policy/user-groups.js';

const FILE = '/etc/fipbot/policy.yaml';
const ALICE = 'U0789ALICE';
const BOB = 'U0790BOB00';
const ONCALL = 'S0123ONCALL';
const NETOPS = 'S0124NETOPS';
const OPS = 'C0456OPS';
const RANDOM = 'C0457RANDOM';

const EXAMPLE = `# actions: list, create, attach, detach, release, explain
default: deny
actions:
  list:    { users: ["*"] }
  explain: { users: ["*"] }
  create:  { usergroups: [${ONCALL}], channels: [${OPS}] }
  attach:  { usergroups: [${ONCALL}], users: [${ALICE}] }
  detach:  { usergroups: [${ONCALL}] }
  release: { users: [${ALICE}], channels: [${OPS}] }
`;

function rulesOf(text: string): PolicyRules {
  const result = parsePolicy(text, FILE);
  if (!result.ok) throw new Error(`expected rules, got ${JSON.stringify(result.problems, null, 2)}`);
  return result.rules;
}

function problemsOf(text: string) {
  const result = parsePolicy(text, FILE);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.rules)}`);
  return result.problems;
}

/** A directory with fixed members that counts its lookups. */
function directory(members: Record<string, string[]>): UserGroupDirectory & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    membersOf(groupId) {
      calls.push(groupId);
      const found = members[groupId];
      return found ? Promise.resolve(new Set(found)) : Promise.reject(new Error(`no such group ${groupId}`));
    },
  };
}

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line), now: () => new Date('2026-11-28T00:00:00Z') });
  return { lines, logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A usergroups.users.list stand-in that counts calls and answers from a script. */
function slackClient(answer: (usergroup: string) => Promise<{ ok?: boolean; users?: string[]; error?: string }>) {
  const calls: string[] = [];
  return {
    calls,
    usergroups: {
      users: {
        list: (args: { usergroup: string }) => {
          calls.push(args.usergroup);
          return answer(args.usergroup);
        },
      },
    },
  };
}

function reasonOf(decision: PolicyDecision): string {
  if (decision.allowed) throw new Error('expected a refusal');
  return decision.reason;
}

describe('reading the policy file', () => {
  it('reads the documented example into rules, with "*" as everyone and deny as the default', () => {
    expect(rulesOf(EXAMPLE)).toEqual({
      source: FILE,
      default: 'deny',
      actions: {
        list: { everyone: true, users: [], usergroups: [], channels: [] },
        explain: { everyone: true, users: [], usergroups: [], channels: [] },
        create: { everyone: false, users: [], usergroups: [ONCALL], channels: [OPS] },
        attach: { everyone: false, users: [ALICE], usergroups: [ONCALL], channels: [] },
        detach: { everyone: false, users: [], usergroups: [ONCALL], channels: [] },
        release: { everyone: false, users: [ALICE], usergroups: [], channels: [OPS] },
      },
    });
  });

  it('denies unlisted actions when the file does not say default', () => {
    expect(rulesOf(`actions:\n  list: { users: ["*"] }\n`).default).toBe('deny');
  });

  it('accepts a single id where a list is expected', () => {
    expect(rulesOf(`actions:\n  release: { users: ${ALICE} }\n`).actions.release?.users).toEqual([ALICE]);
  });

  it('reports unknown keys, unknown actions, bad ids and a bad default all at once, each with its key path', () => {
    const text = `default: maybe
colour: red
actions:
  delete: { users: [${ALICE}] }
  create: { users: ["@alice", ${OPS}, "<@${ALICE}|alice>", u0789alice], groups: [${ONCALL}], channels: ["#ops"] }
  list: { usergroups: ["*", oncall] }
  attach:
  release: everyone
`;
    expect(problemsOf(text)).toEqual([
      { where: `${FILE}: default`, message: 'must be allow or deny' },
      { where: `${FILE}: actions.list.usergroups.0`, message: '"*" (everyone) belongs under users' },
      {
        where: `${FILE}: actions.list.usergroups.1`,
        message: 'use the user group id S…, not @oncall: names change (usergroups.list returns it)',
      },
      {
        where: `${FILE}: actions.create.users.0`,
        message: "use the user id U…, not @alice: names change (in Slack: the person's profile, ⋮, Copy member ID)",
      },
      { where: `${FILE}: actions.create.users.1`, message: `${OPS} is a channel id: list it under channels` },
      { where: `${FILE}: actions.create.users.2`, message: `write the bare id ${ALICE}, not Slack's mention syntax` },
      { where: `${FILE}: actions.create.users.3`, message: `Slack ids are upper case: write ${ALICE}` },
      {
        where: `${FILE}: actions.create.channels.0`,
        message: "use the channel id C…, not #ops: names change (in Slack: the channel's details, at the bottom of About)",
      },
      {
        where: `${FILE}: actions.create.groups`,
        message: 'unknown key "groups" (did you mean usergroups?); a rule lists users, usergroups and channels',
      },
      {
        where: `${FILE}: actions.attach`,
        message: 'has no rule: list users, usergroups or channels; write {} to allow nobody, or remove the line to use the default',
      },
      {
        where: `${FILE}: actions.release`,
        message: 'must be a mapping, e.g. { users: [U0789ALICE], usergroups: [S0123ONCALL], channels: [C0456OPS] }',
      },
      {
        where: `${FILE}: actions.delete`,
        message:
          '"delete" is not an action (did you mean release?); the actions are list, leaks, create, attach, detach, release, reclaim, explain',
      },
      { where: `${FILE}: colour`, message: 'unknown key "colour": a policy has "default:", "actions:", "clouds:" and "approvals:"' },
    ]);
  });

  it('keeps unquoted ids as text even when YAML would read them as numbers', () => {
    expect(problemsOf(`actions:\n  list: { users: [0123] }\n`)).toEqual([
      {
        where: `${FILE}: actions.list.users.0`,
        message: "use the user id U…, not @0123: names change (in Slack: the person's profile, ⋮, Copy member ID)",
      },
    ]);
  });

  it('reports invalid YAML with its line and column', () => {
    expect(problemsOf(`actions:\n  list: { users: [${ALICE}]\n`)).toEqual([
      {
        where: FILE,
        message: 'invalid YAML at line 3, column 1: Flow map in block collection must be sufficiently indented and end with a }',
      },
    ]);
  });

  it('reports an action written twice instead of letting the last one win', () => {
    expect(problemsOf(`actions:\n  release: { users: [${ALICE}] }\n  release: { users: ["*"] }\n`)).toEqual([
      { where: FILE, message: 'invalid YAML at line 3, column 3: Map keys must be unique' },
    ]);
  });

  it('refuses an empty file rather than silently denying everything', () => {
    expect(problemsOf('# to do\n')).toEqual([
      { where: FILE, message: 'is empty: write "default:" and "actions:" (or unset FIPBOT_POLICY_FILE to allow everyone everything)' },
    ]);
  });
});

describe('deciding a request', () => {
  it('allows a listed user and refuses an unlisted one', async () => {
    const policy = createPolicy(rulesOf(EXAMPLE), directory({}));
    expect(await policy.decide({ userId: ALICE, action: 'release' })).toEqual({ allowed: true });
    expect((await policy.decide({ userId: BOB, action: 'release' })).allowed).toBe(false);
  });

  it('allows a member of a listed user group and refuses a non-member', async () => {
    const policy = createPolicy(rulesOf(EXAMPLE), directory({ [ONCALL]: [BOB] }));
    expect(await policy.decide({ userId: BOB, action: 'detach' })).toEqual({ allowed: true });
    expect((await policy.decide({ userId: ALICE, action: 'detach' })).allowed).toBe(false);
  });

  it('allows anyone in a listed channel, and the same person elsewhere is refused', async () => {
    const policy = createPolicy(rulesOf(EXAMPLE), directory({}));
    expect(await policy.decide({ userId: BOB, channelId: OPS, action: 'release' })).toEqual({ allowed: true });
    expect((await policy.decide({ userId: BOB, channelId: RANDOM, action: 'release' })).allowed).toBe(false);
    expect((await policy.decide({ userId: BOB, action: 'release' })).allowed).toBe(false);
  });

  it('allows everyone for "*" without looking up any user group', async () => {
    const groups = directory({});
    const policy = createPolicy(rulesOf(`actions:\n  list: { users: ["*"], usergroups: [${ONCALL}] }\n`), groups);
    expect(await policy.decide({ userId: BOB, action: 'list' })).toEqual({ allowed: true });
    expect(groups.calls).toEqual([]);
  });

  it('does not ask Slack about user groups when the user or channel already grants', async () => {
    const groups = directory({ [ONCALL]: [] });
    const policy = createPolicy(
      rulesOf(`actions:\n  create: { users: [${ALICE}], usergroups: [${ONCALL}], channels: [${OPS}] }\n`),
      groups,
    );
    await policy.decide({ userId: ALICE, action: 'create' });
    await policy.decide({ userId: BOB, channelId: OPS, action: 'create' });
    expect(groups.calls).toEqual([]);
  });

  it('gives an action the file does not list the default: allow when it says allow', async () => {
    const policy = createPolicy(rulesOf(`default: allow\nactions:\n  release: { users: [${ALICE}] }\n`), directory({}));
    expect(await policy.decide({ userId: BOB, action: 'create' })).toEqual({ allowed: true });
    expect((await policy.decide({ userId: BOB, action: 'release' })).allowed).toBe(false);
  });

  it('gives an action the file does not list the default: deny, saying that nobody is granted it', async () => {
    const policy = createPolicy(rulesOf(`default: deny\nactions:\n  list: { users: ["*"] }\n`), directory({}));
    expect(reasonOf(await policy.decide({ userId: ALICE, action: 'create' }))).toBe(
      "Creating floating IPs is not allowed to anyone here: fipbot's policy does not grant it. Ask whoever runs fipbot if you need it.",
    );
  });

  it('treats an empty rule as nobody, not as the default', async () => {
    const policy = createPolicy(rulesOf(`default: allow\nactions:\n  release: {}\n`), directory({}));
    expect((await policy.decide({ userId: ALICE, action: 'release' })).allowed).toBe(false);
  });
});

describe('the refusal', () => {
  it('names the groups and channels that would allow it, in mention syntax, and how to get there', async () => {
    const policy = createPolicy(rulesOf(EXAMPLE), directory({ [ONCALL]: [] }));
    expect(reasonOf(await policy.decide({ userId: BOB, channelId: RANDOM, action: 'create' }))).toBe(
      `Creating floating IPs is limited to members of <!subteam^${ONCALL}> and the <#${OPS}> channel. Ask one of them, or run the command in <#${OPS}>.`,
    );
  });

  it('names the one person who may, and asks the requester to ask them', async () => {
    const policy = createPolicy(rulesOf(EXAMPLE), directory({}));
    expect(reasonOf(await policy.decide({ userId: BOB, action: 'release' }))).toBe(
      `Releasing floating IPs is limited to <@${ALICE}> and the <#${OPS}> channel. Ask <@${ALICE}>, or run the command in <#${OPS}>.`,
    );
  });

  it('lists several channels as alternatives when only channels grant', async () => {
    const policy = createPolicy(rulesOf(`actions:\n  create: { channels: [${OPS}, ${RANDOM}] }\n`), directory({}));
    expect(reasonOf(await policy.decide({ userId: BOB, action: 'create' }))).toBe(
      `Creating floating IPs is limited to the <#${OPS}> and <#${RANDOM}> channels. Run the command in <#${OPS}> or <#${RANDOM}>.`,
    );
  });

  it('says which group could not be checked when a lookup fails, and still lets another group grant', async () => {
    const rules = rulesOf(`actions:\n  detach: { usergroups: [${ONCALL}, ${NETOPS}] }\n`);
    const failing = createPolicy(rules, directory({ [NETOPS]: [] })); // ONCALL lookups reject
    expect(reasonOf(await failing.decide({ userId: BOB, action: 'detach' }))).toBe(
      `Detaching floating IPs is limited to members of <!subteam^${ONCALL}> and <!subteam^${NETOPS}>. ` +
        `I could not check whether you are a member of <!subteam^${ONCALL}> just now. Try again in a minute, or ask one of them.`,
    );
    const granting = createPolicy(rules, directory({ [NETOPS]: [BOB] }));
    expect(await granting.decide({ userId: BOB, action: 'detach' })).toEqual({ allowed: true });
  });
});

describe('user groups through the Slack Web API', () => {
  it('asks Slack once per group within the TTL and again after it', async () => {
    let clock = 0;
    const client = slackClient(() => Promise.resolve({ ok: true, users: [BOB] }));
    const groups = webApiUserGroups(client, capture().logger, { ttlMs: 60_000, now: () => clock });
    const policy = createPolicy(rulesOf(EXAMPLE), groups);
    expect(await policy.decide({ userId: BOB, action: 'detach' })).toEqual({ allowed: true });
    expect(await policy.decide({ userId: ALICE, action: 'detach' })).toMatchObject({ allowed: false });
    expect(client.calls).toEqual([ONCALL]);
    clock = 60_000;
    await policy.decide({ userId: BOB, action: 'detach' });
    expect(client.calls).toEqual([ONCALL, ONCALL]);
  });

  it('shares one call between concurrent lookups of the same group', async () => {
    const answers: Array<(value: { ok: boolean; users: string[] }) => void> = [];
    const client = slackClient(() => new Promise((resolve) => answers.push(resolve)));
    const groups = webApiUserGroups(client, capture().logger);
    const first = groups.membersOf(ONCALL);
    const second = groups.membersOf(ONCALL);
    for (const answer of answers) answer({ ok: true, users: [BOB] });
    expect([...(await first)]).toEqual([BOB]);
    expect(await second).toBe(await first);
    expect(client.calls).toEqual([ONCALL]);
  });

  it('denies with a reason, logs the Slack error with a hint, and asks again next time when the call throws', async () => {
    const log = capture();
    const client = slackClient(() =>
      Promise.reject(
        Object.assign(new Error('An API error occurred: missing_scope'), {
          code: 'slack_webapi_platform_error',
          data: { ok: false, error: 'missing_scope' },
        }),
      ),
    );
    const policy = createPolicy(rulesOf(EXAMPLE), webApiUserGroups(client, log.logger));
    expect(reasonOf(await policy.decide({ userId: BOB, action: 'detach' }))).toContain(
      `I could not check whether you are a member of <!subteam^${ONCALL}> just now.`,
    );
    expect(log.records()).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'user group lookup failed; requests it would allow are refused',
        usergroup: ONCALL,
        slackError: 'missing_scope',
        hint: 'add the usergroups:read bot scope to the Slack app and reinstall it',
      }),
    ]);
    await policy.decide({ userId: BOB, action: 'detach' });
    expect(client.calls).toEqual([ONCALL, ONCALL]);
  });

  it('treats an answer with ok: false as a failed lookup, not as an empty group', async () => {
    const log = capture();
    const client = slackClient(() => Promise.resolve({ ok: false, error: 'no_such_subteam' }));
    const groups = webApiUserGroups(client, log.logger);
    await expect(groups.membersOf(ONCALL)).rejects.toMatchObject({ groupId: ONCALL, slackError: 'no_such_subteam' });
    expect(log.records()[0]).toMatchObject({ slackError: 'no_such_subteam', usergroup: ONCALL });
  });
});

describe('what the policy tells the operator', () => {
  it('allows everything without a file, and warns at start-up that everyone may change floating IPs', async () => {
    const policy = allowAll();
    for (const action of ['list', 'create', 'attach', 'detach', 'release', 'explain'] as const) {
      expect(await policy.decide({ userId: BOB, action })).toEqual({ allowed: true });
    }
    expect(policy.restricted).toBe(false);
    expect(policyWarnings(policy)).toEqual([
      'no policy file: every member of the workspace may create, attach, detach and release floating IPs',
    ]);
  });

  it('warns about changes a file leaves open to everyone, through "*" or default: allow', () => {
    const policy = createPolicy(
      rulesOf(`default: allow\nactions:\n  release: { users: ["*"] }\n  create: { users: [${ALICE}] }\n`),
      directory({}),
    );
    expect(policyWarnings(policy)).toEqual([`${FILE}: every member of the workspace may attach, detach, release and reclaim floating IPs`]);
    expect(policy.restricted).toBe(true);
  });

  it('warns that a channel grant covers everyone who can post in that channel', () => {
    const policy = createPolicy(rulesOf(EXAMPLE), directory({}));
    expect(policyWarnings(policy)).toEqual([
      `${FILE}: anyone who can post in ${OPS} may create and release floating IPs there, guests included; anyone can join a public channel`,
    ]);
  });

  it('has no warning for a file that names who may change floating IPs', () => {
    const policy = createPolicy(rulesOf(`actions:\n  create: { users: [${ALICE}] }\n`), directory({}));
    expect(policyWarnings(policy)).toEqual([]);
  });

  it('describes itself in one line naming every action and its grants', () => {
    const policy = createPolicy(
      rulesOf(`actions:\n  list: { users: ["*"] }\n  create: { users: [${ALICE}], channels: [${OPS}] }\n  release: {}\n`),
      directory({}),
    );
    expect(policy.describe()).toBe(
      `policy from ${FILE}: list: everyone; leaks: deny (default); create: users ${ALICE} or channels ${OPS}; attach: deny (default); detach: deny (default); release: nobody; reclaim: deny (default); explain: deny (default)`,
    );
  });

  it('says whether it needs user group lookups (and so the usergroups:read scope)', () => {
    expect(createPolicy(rulesOf(EXAMPLE), directory({})).usesUserGroups()).toBe(true);
    expect(createPolicy(rulesOf(`actions:\n  create: { users: [${ALICE}] }\n`), directory({})).usesUserGroups()).toBe(false);
    expect(allowAll().usesUserGroups()).toBe(false);
  });
});

describe('approvals: changes that need a second person', () => {
  const APPROVALS = `default: allow
approvals:
  release: { approvers: { usergroups: [${ONCALL}], users: [${BOB}] }, clouds: [prod], expires: 45m }
  detach:
    approvers: { channels: [${OPS}] }
`;

  it('reads who may approve, the clouds and the expiry; a file without approvals has none', () => {
    const rules = rulesOf(APPROVALS);
    expect(rules.approvals).toEqual({
      release: {
        approvers: { everyone: false, users: [BOB], usergroups: [ONCALL], channels: [] },
        clouds: ['prod'],
        expiresMs: 45 * 60_000,
      },
      detach: { approvers: { everyone: false, users: [], usergroups: [], channels: [OPS] } },
    });
    expect(rulesOf(EXAMPLE).approvals).toBeUndefined();
  });

  it('reports an unknown action, a read, a missing approver list, bad durations, clouds and ids all at once, with key paths', () => {
    const problems = problemsOf(`approvals:
  list: { approvers: { users: ["*"] } }
  delete: { approvers: { users: [${ALICE}] } }
  create: { expires: 30m }
  attach: { approvers: { users: ["@alice"] }, expires: 3 weeks, clouds: { prod: 1 }, who: me }
  detach: { approvers: {}, expires: 10s }
  reclaim:
`);
    expect(problems).toEqual([
      {
        where: `${FILE}: approvals.list`,
        message: 'list changes nothing, so it cannot need approval; only changes can (create, attach, detach, release, reclaim)',
      },
      { where: `${FILE}: approvals.create.approvers`, message: 'is missing: say who may approve, e.g. { usergroups: [S0123ONCALL] }' },
      {
        where: `${FILE}: approvals.attach.approvers.users.0`,
        message: "use the user id U…, not @alice: names change (in Slack: the person's profile, ⋮, Copy member ID)",
      },
      { where: `${FILE}: approvals.attach.clouds`, message: 'must be a list of cloud names (clouds.yaml entries), e.g. [prod]' },
      { where: `${FILE}: approvals.attach.expires`, message: 'must be a duration such as 30m or 2h, not "3 weeks"' },
      { where: `${FILE}: approvals.attach.who`, message: 'unknown key "who"; an approval has approvers, clouds and expires' },
      {
        where: `${FILE}: approvals.detach.approvers`,
        message: 'names nobody: list users, usergroups or channels who may approve (to forbid the change, deny it under actions:)',
      },
      { where: `${FILE}: approvals.detach.expires`, message: 'must be between 1m and 24h' },
      {
        where: `${FILE}: approvals.reclaim`,
        message:
          'must be a mapping with "approvers:" (and optionally "clouds:" and "expires:"), e.g. { approvers: { usergroups: [S0123ONCALL] } }',
      },
      {
        where: `${FILE}: approvals.delete`,
        message: '"delete" is not a change (did you mean release?); approvals can name create, attach, detach, release, reclaim',
      },
    ]);
  });

  it('requires approval only for the listed actions, and on the listed clouds only', () => {
    const policy = createPolicy(rulesOf(APPROVALS), directory({}));
    expect(policy.approvalFor({ action: 'release', cloud: 'prod' })).toEqual({
      action: 'release',
      approvers: { everyone: false, users: [BOB], usergroups: [ONCALL], channels: [] },
      expiresMs: 45 * 60_000,
    });
    expect(policy.approvalFor({ action: 'release', cloud: 'staging' })).toBeUndefined();
    // A cloud without a name never matches a rule that names clouds.
    expect(policy.approvalFor({ action: 'release' })).toBeUndefined();
    expect(policy.approvalFor({ action: 'detach' })).toMatchObject({ action: 'detach', expiresMs: undefined });
    expect(policy.approvalFor({ action: 'create', cloud: 'prod' })).toBeUndefined();
    expect(allowAll().approvalFor({ action: 'release', cloud: 'prod' })).toBeUndefined();
  });

  it('lets a listed approver approve and refuses anyone else, saying who may', async () => {
    const policy = createPolicy(rulesOf(APPROVALS), directory({ [ONCALL]: [ALICE] }));
    expect(await policy.mayApprove({ userId: ALICE, action: 'release', cloud: 'prod' })).toEqual({ allowed: true });
    expect(await policy.mayApprove({ userId: BOB, action: 'release', cloud: 'prod' })).toEqual({ allowed: true });
    expect(await policy.mayApprove({ userId: 'U0999CAROL', action: 'release', cloud: 'prod' })).toEqual({
      allowed: false,
      reason: `Only <@${BOB}> or members of <!subteam^${ONCALL}> may approve or deny this (releasing floating IPs needs a second person's approval).`,
    });
    expect(await policy.mayApprove({ userId: 'U0999CAROL', channelId: OPS, action: 'detach' })).toEqual({ allowed: true });
  });

  it('warns at start-up when a rule names clouds this bot is not on, or this cloud has no name', () => {
    const policy = createPolicy(rulesOf(APPROVALS), directory({}));
    // default: allow has its own warning; these are the approvals' ones.
    const approvalWarnings = (cloud?: string) => policyWarnings(policy, { cloud }).filter((warning) => warning.includes('approvals.'));
    expect(approvalWarnings('prod')).toEqual([]);
    expect(approvalWarnings('staging')).toEqual([`${FILE}: approvals.release applies only on prod, not on this cloud (staging)`]);
    expect(approvalWarnings()).toEqual([
      `${FILE}: approvals.release applies only on prod, but this cloud has no name (set OS_CLOUD to its clouds.yaml entry): release needs no approval here`,
    ]);
  });

  it('describes its approvals in the start-up line, and needs group lookups for approver groups', () => {
    const policy = createPolicy(
      rulesOf(`default: allow\napprovals:\n  release: { approvers: { usergroups: [${ONCALL}] } }\n`),
      directory({}),
    );
    expect(policy.describe()).toContain(`; release needs approval by usergroups ${ONCALL}`);
    expect(policy.usesUserGroups()).toBe(true);
  });
});
