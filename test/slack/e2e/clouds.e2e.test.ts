/**
 * Several clouds in one bot (FIPBOT_CONFIG), end to end over signed HTTP on the real Bolt app, against the
 * demo cloud's two projects: prod is project demo, staging project demo-staging. A channel acts on its
 * cloud, `--cloud` overrides it, a channel bound to none asks, a confirmation acts on the cloud it showed
 * wherever it is clicked, the policy is per cloud, and a cloud that is down leaves the other one working.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { rowPick } from '../../support/slack/rows.js';
import { renderText } from '../../support/slack/text.js';
import { demoCloudConfig } from '../../support/demo.js';
import { acked, closeWithinLimits, type Harness, startHarness } from './harness.js';

const PROD = 'C0PROD0001';
const STAGE = 'C0STAGE001';
const ELSEWHERE = 'C0OTHER001';
const ALICE = 'U0ALICE01';
const CAROL = 'U0CAROL01';
const ONCALL = 'S0ONCALL1';

/** The answer a command gets: on the ack (refusals, questions), or its first post to the response_url. */
async function answerTo(h: Harness, text: string, options: { channel?: string; user?: string } = {}): Promise<SimMessage> {
  const ack = await acked(h.sim.slashCommand(text, options));
  if (ack.body && typeof ack.body === 'object' && 'blocks' in ack.body) return ack.body as SimMessage;
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

async function clicked(h: Harness, message: SimMessage, query: { actionId?: string; text?: string }, channel?: string) {
  const click = await acked(h.sim.clickButton(message, query, channel ? { channel } : {}));
  await expect.poll(() => h.sim.responses(click.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return click;
}

const shown = (message: SimMessage) => renderText(message);

describe('two clouds, each bound to its channel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ twoClouds: { prod: [PROD], staging: [STAGE] }, auditChannel: 'C0AUDIT01' });
    for (const id of [PROD, STAGE, ELSEWHERE, 'C0AUDIT01']) h.sim.workspace.addChannel({ id, name: id.toLowerCase() });
  });
  afterAll(async () => closeWithinLimits(h, 5));

  it("acts on the channel's cloud only, and names it", async () => {
    const prod = shown(await answerTo(h, 'list', { channel: PROD }));
    expect(prod).toContain('Cloud *prod*');
    expect(prod).toContain('192.168.100.201');
    expect(prod).not.toContain('192.168.100.220');
    const staging = shown(await answerTo(h, 'list', { channel: STAGE }));
    expect(staging).toContain('Cloud *staging*');
    expect(staging).toContain('192.168.100.220');
    expect(staging).not.toContain('192.168.100.201');
  });

  it('--cloud overrides the binding; an unknown name is answered with the list', async () => {
    const staging = shown(await answerTo(h, 'list --cloud staging', { channel: PROD }));
    expect(staging).toContain('192.168.100.220');
    expect(staging).not.toContain('192.168.100.201');
    const unknown = shown(await answerTo(h, 'list --cloud nowhere', { channel: PROD }));
    expect(unknown).toContain('There is no cloud "nowhere"');
    expect(unknown).toContain('`prod`, `staging`');
  });

  it('/fip help names the clouds and the one this channel acts on', async () => {
    const ack = await acked(h.sim.slashCommand('help', { channel: STAGE }));
    const help = renderText(ack.body as SimMessage);
    expect(help).toContain('Clouds: `prod`, `staging`. Here commands act on `staging`; add `--cloud NAME` to any command for another.');
  });

  it('a channel bound to none asks "Which cloud?", one button per cloud, and the tap runs the command there', async () => {
    const question = await answerTo(h, 'list', { channel: ELSEWHERE });
    expect(shown(question)).toContain('Which cloud?');
    const click = await clicked(h, question, { text: 'staging' }, ELSEWHERE);
    const listed = shown(h.sim.responses(click.responseUrl!)[0]!.message!);
    expect(listed).toContain('Cloud *staging*');
    expect(listed).toContain('192.168.100.220');
  });

  it('a confirmation shown for staging and clicked in the prod channel acts on staging, and the audit names it', async () => {
    // Asked for staging in the prod channel: the click comes from prod, the confirmation recorded staging.
    const confirmation = await answerTo(h, 'create --cloud staging', { channel: PROD });
    expect(shown(confirmation)).toContain('Cloud *staging*');
    const before = await h.bot.clouds.find((cloud) => cloud.name === 'staging')!.service.list('all');
    if (!before.ok) throw new Error(before.failure.code);
    await clicked(h, confirmation, { actionId: ACTIONS.confirm }, PROD);
    const staging = h.bot.clouds.find((cloud) => cloud.name === 'staging')!.service;
    await expect
      .poll(async () => {
        const after = await staging.list('all');
        return after.ok ? after.value.floatingIps.length : -1;
      })
      .toBe(before.value.floatingIps.length + 1);
    const prodIps = await h.bot.clouds.find((cloud) => cloud.name === 'prod')!.service.list('all');
    expect(prodIps.ok && prodIps.value.floatingIps.length).toBe(2);
    await expect.poll(() => h.records().filter((r) => r.msg === 'audit' && r.action === 'create').length).toBe(1);
    expect(h.records().find((r) => r.msg === 'audit' && r.action === 'create')).toMatchObject({ cloud: 'staging', outcome: 'done' });
    const audited = h.sim.messages().filter((m) => m.channel === 'C0AUDIT01');
    expect(audited.at(-1)!.text).toContain('on cloud staging');
  });

  it('a list row acts on the cloud of the list it sits in, whichever channel', async () => {
    const list = await answerTo(h, 'list --cloud staging', { channel: PROD });
    // Detach the staging IP from the prod channel: the prod channel's binding must not win.
    const detach = rowPick(list, 'detach', '192.168.100.220');
    await acked(h.sim.selectOverflowOption(list, detach.query, detach.option));
    await expect
      .poll(() => h.sim.messages().filter((m) => (m.text ?? '').startsWith('[staging] detached 192.168.100.220')).length, {
        timeout: 10_000,
      })
      .toBe(1);
    expect(h.demo.state.floatingIp('192.168.100.220')?.portId ?? null).toBeNull();
  });

  it("the form opened in a channel acts on its cloud: it names it, and its typeahead suggests that cloud's IPs", async () => {
    const mark = h.sim.api.mark();
    await acked(h.sim.slashCommand('', { channel: STAGE }));
    await h.sim.api.waitForCall('views.open', { after: mark });
    const form = h.sim
      .views()
      .filter((view) => view.type === 'modal' && view.open)
      .at(-1)!;
    expect(renderText(form)).toContain('Cloud *staging*');
    const answer = (await h.sim.suggest(form, ACTIONS.ipSelect, '192.168')) as { body: { options?: Array<{ value: string }> } };
    const values = (answer.body.options ?? []).map((option) => option.value);
    expect(values).toContain('192.168.100.220');
    expect(values).not.toContain('192.168.100.201');
    await h.sim.closeView(form);
  });

  it('App Home shows one section per cloud', async () => {
    await acked(h.sim.openHome(ALICE));
    await expect.poll(() => h.sim.views().filter((view) => view.type === 'home').length).toBeGreaterThan(0);
    const home = h.sim
      .views()
      .filter((view) => view.type === 'home')
      .at(-1)!;
    const text = renderText(home.definitions.at(-1)!);
    expect(text).toContain('Cloud *prod*');
    expect(text).toContain('Cloud *staging*');
    expect(text).toContain('192.168.100.201');
    expect(text).toContain('192.168.100.220');
    // Each cloud's own room: its project's quota.
    expect(text.match(/^Quota: \d+ of \d+ floating IPs used/gm)).toHaveLength(2);
  });
});

describe('policy per cloud', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      twoClouds: { prod: [PROD], staging: [STAGE] },
      policy: [
        'default: allow',
        'actions:',
        '  release: { users: ["*"] }',
        'clouds:',
        '  prod:',
        '    actions:',
        `      release: { usergroups: [${ONCALL}] }`,
        '  staging:',
        `    use: { users: [${ALICE}, ${CAROL}] }`,
      ].join('\n'),
    });
    for (const id of [PROD, STAGE]) h.sim.workspace.addChannel({ id, name: id.toLowerCase() });
    h.sim.workspace.addUser({ id: CAROL, name: 'carol', realName: 'Carol Oncall', tz: 'UTC' });
    h.sim.workspace.setGroupMembers(ONCALL, [CAROL]);
  });
  afterAll(async () => closeWithinLimits(h));

  it('refuses release on prod to someone not on call, naming who could', async () => {
    const refused = shown(await answerTo(h, 'release 192.168.100.201', { channel: PROD, user: ALICE }));
    expect(refused).toContain('Releasing floating IPs on prod is limited to members of <!subteam^S0ONCALL1>');
  });

  it('allows release on staging to the same person', async () => {
    const confirmation = await answerTo(h, 'release 192.168.100.220', { channel: STAGE, user: ALICE });
    expect(shown(confirmation)).toContain('Cloud *staging*');
    expect(confirmation.blocks.some((block) => JSON.stringify(block).includes(ACTIONS.confirm))).toBe(true);
  });

  it('allows release on prod to on-call', async () => {
    const confirmation = await answerTo(h, 'release 192.168.100.201', { channel: PROD, user: CAROL });
    expect(JSON.stringify(confirmation.blocks)).toContain(ACTIONS.confirm);
  });

  it('--cloud staging by someone not allowed to use staging is refused, naming who could', async () => {
    const refused = shown(await answerTo(h, 'list --cloud staging', { channel: PROD, user: 'U0BOB0001' }));
    expect(refused).toContain('Using the staging cloud is limited to <@U0ALICE01> and <@U0CAROL01>');
  });

  it('"Which cloud?" offers only the clouds the person may use', async () => {
    const question = await answerTo(h, 'list', { channel: 'C0OTHER001', user: 'U0BOB0001' });
    const buttons = JSON.stringify(question.blocks);
    expect(buttons).toContain('--cloud prod');
    expect(buttons).not.toContain('--cloud staging');
  });
});

describe('one cloud down', () => {
  let h: Harness;
  let closedPort: number;
  beforeAll(async () => {
    // A port nothing listens on: staging's Keystone never answers.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    h = await startHarness({
      twoClouds: {
        prod: [PROD],
        staging: [STAGE],
        staging_config: (demo) => ({
          ...demoCloudConfig(demo, 'staging'),
          auth: { ...demoCloudConfig(demo, 'staging').auth, authUrl: `http://127.0.0.1:${closedPort}/identity/v3` },
        }),
      },
    });
    for (const id of [PROD, STAGE]) h.sim.workspace.addChannel({ id, name: id.toLowerCase() });
  });
  afterAll(async () => closeWithinLimits(h));

  it("leaves the other cloud's channels working, and readiness names the failing cloud", async () => {
    const prod = shown(await answerTo(h, 'list', { channel: PROD }));
    expect(prod).toContain('192.168.100.201');
    const staging = shown(await answerTo(h, 'list', { channel: STAGE }));
    expect(staging).toContain('Cloud *staging*');
    expect(staging).not.toContain('192.168.100.201');
    const ready = await fetch(`http://127.0.0.1:${h.bot.port}/readyz`);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean; detail: string }> };
    expect(ready.status).toBe(200);
    expect(body.checks.openstack!.detail).toMatch(/staging: NOT SERVING/);
    expect(body.checks.openstack!.detail).toMatch(/prod: project demo/);
  });
});

describe('two-person approval on one cloud of two', () => {
  let h: Harness;
  const BOB = 'U0BOB0001';
  const STAGING_IP = '192.168.100.220';
  const requests = () => h.sim.messages().filter((m) => !m.ephemeral && (m.history[0]?.text ?? m.text ?? '').includes('asks for approval'));
  beforeAll(async () => {
    h = await startHarness({
      twoClouds: { prod: [PROD], staging: [STAGE] },
      policy: `default: allow\napprovals:\n  release: { approvers: { usergroups: [${ONCALL}] }, clouds: [staging] }\n`,
    });
    for (const id of [PROD, STAGE]) h.sim.workspace.addChannel({ id, name: id.toLowerCase() });
    h.sim.workspace.setGroupMembers(ONCALL, [BOB]);
  });
  afterAll(async () => closeWithinLimits(h, 5));

  it('asks for approval on the cloud the rule names, in the channel asked from, and the approval acts on that cloud', async () => {
    const stagingIps = () => h.demo.state.floatingIps('demo-staging').map((fip) => fip.floatingIpAddress);
    expect(stagingIps()).toContain(STAGING_IP);
    // Asked from the prod channel for staging: the request names staging, and nothing changes yet.
    const confirmation = await answerTo(h, `release ${STAGING_IP} --cloud staging`, { channel: PROD });
    await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }, { channel: PROD });
    await expect.poll(() => requests().length, { timeout: 10_000 }).toBe(1);
    const request = requests()[0]!;
    expect(request.channel).toBe(PROD);
    expect(shown(request)).toContain('Cloud *staging*');
    expect(stagingIps()).toContain(STAGING_IP);

    await h.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB, channel: PROD });
    await expect.poll(() => stagingIps(), { timeout: 10_000 }).not.toContain(STAGING_IP);
    const result = h.sim.messages().find((m) => !m.ephemeral && (m.text ?? '').startsWith(`[staging] released ${STAGING_IP}`));
    expect(result?.text).toContain(`approved by <@${BOB}>`);
    expect(shown(result!)).toContain('Cloud *staging*');
    const audit = h.records().find((r) => r.msg === 'audit' && r.outcome === 'done' && r.ip === STAGING_IP);
    expect(audit).toMatchObject({ cloud: 'staging', approver: BOB });
  });

  it('releases on the other cloud without asking', async () => {
    const before = requests().length;
    const confirmation = await answerTo(h, 'release 192.168.100.201', { channel: PROD });
    await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }, { channel: PROD });
    await expect.poll(() => h.demo.state.floatingIp('192.168.100.201'), { timeout: 10_000 }).toBeUndefined();
    expect(requests()).toHaveLength(before);
  });
});
