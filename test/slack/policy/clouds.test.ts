/** The policy file's per-cloud sections: who may use a cloud, and action rules that override the file's there. */
import { describe, expect, it } from 'vitest';
import { createPolicy, type UserGroupDirectory } from '../../../src/slack/policy/engine.js';
import { parsePolicy } from '../../../src/slack/policy/file.js';

const FILE = '/etc/fipbot/policy.yaml';
const ALICE = 'U0789ALICE';
const CAROL = 'U0791CAROL';
const ONCALL = 'S0123ONCALL';
const PROD_CHANNEL = 'C0456PROD';

const TEXT = `
actions:
  list: { users: ["*"] }
  release: { users: ["*"] }
clouds:
  prod:
    use: { usergroups: [${ONCALL}], channels: [${PROD_CHANNEL}] }
    actions:
      release: { usergroups: [${ONCALL}] }
  staging:
    actions:
      release: { users: [${ALICE}] }
`;

const groups: UserGroupDirectory = { membersOf: (group) => Promise.resolve(new Set(group === ONCALL ? [CAROL] : [])) };

function policy() {
  const parsed = parsePolicy(TEXT, FILE);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return createPolicy(parsed.rules, groups);
}

describe('policy per cloud', () => {
  it('reads the clouds section', () => {
    const parsed = parsePolicy(TEXT, FILE);
    expect(parsed.ok && parsed.rules.clouds?.prod?.use?.usergroups).toEqual([ONCALL]);
    expect(parsed.ok && parsed.rules.clouds?.staging?.actions.release?.users).toEqual([ALICE]);
  });

  it('overrides an action on one cloud only', async () => {
    const p = policy();
    expect(await p.decide({ userId: ALICE, action: 'release' })).toEqual({ allowed: true });
    expect(await p.decide({ userId: ALICE, action: 'release', cloud: 'staging' })).toEqual({ allowed: true });
    const refused = await p.decide({ userId: ALICE, channelId: PROD_CHANNEL, action: 'release', cloud: 'prod' });
    expect(refused).toEqual({
      allowed: false,
      reason: `Releasing floating IPs on prod is limited to members of <!subteam^${ONCALL}>. Ask one of them.`,
    });
    expect(await p.decide({ userId: CAROL, action: 'release', cloud: 'prod' })).toEqual({ allowed: true });
  });

  it('says who may use a cloud at all, before any action', async () => {
    const p = policy();
    const refused = await p.decide({ userId: ALICE, action: 'list', cloud: 'prod' });
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.reason).toMatch(
      /^Using the prod cloud is limited to members of <!subteam\^S0123ONCALL> and the <#C0456PROD> channel\./,
    );
    expect(await p.decide({ userId: ALICE, channelId: PROD_CHANNEL, action: 'list', cloud: 'prod' })).toEqual({ allowed: true });
    // A cloud without a section: the file's rules.
    expect(await p.decide({ userId: ALICE, action: 'list', cloud: 'elsewhere' })).toEqual({ allowed: true });
  });

  it('reports a bad cloud section with its key path', () => {
    const parsed = parsePolicy('clouds:\n  prod:\n    usr: {}\n    actions:\n      relase: {}\n', FILE);
    expect(parsed.ok).toBe(false);
    const problems = !parsed.ok ? parsed.problems : [];
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual({ where: `${FILE}: clouds.prod.usr`, message: 'unknown key "usr": a cloud has "use:" and "actions:"' });
    expect(problems).toContainEqual(
      expect.objectContaining({
        where: `${FILE}: clouds.prod.actions.relase`,
        message: expect.stringMatching(/is not an action/) as string,
      }),
    );
  });

  it('the start-up line says which clouds have rules of their own', () => {
    expect(policy().describe()).toMatch(/; clouds: prod: use, release of its own; staging: release of its own$/);
  });

  it('a group in a cloud section needs the usergroups scope', () => {
    expect(policy().usesUserGroups()).toBe(true);
  });
});
