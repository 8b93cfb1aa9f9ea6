/**
 * Two-person approval, end to end over signed HTTP on the real Bolt app and
 * the demo cloud: with `approvals: release` in the policy, a confirmed
 * release is posted in the channel as a request; another person allowed by
 * the policy approves it (the change runs once, on the state the requester
 * saw, and the result names both) or denies it; it expires; the requester
 * may cancel it. Without `approvals:` nothing of this happens.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, VIEWS } from '../../../src/slack/blocks/ids.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { rowPick } from '../../support/slack/rows.js';
import { renderText } from '../../support/slack/text.js';
import type { SimView } from '../../support/slack/views.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../../support/slack/workspace.js';
import { demoCloudConfig } from '../../support/demo.js';
import { closeWithinLimits, type Harness, startHarness } from './harness.js';

const ALICE = DEFAULT_USER;
const BOB = 'U0BOB0001';
const CAROL = 'U0CAROL01';
const ONCALL = 'S0ONCALL01';
const START = Date.parse('2026-11-28T12:00:00Z');

const POLICY = `default: allow
approvals:
  release: { approvers: { usergroups: [${ONCALL}] } }
`;

let nowMs = START;

async function command(h: Harness, text: string, user = ALICE): Promise<SimMessage> {
  const ack = await h.sim.slashCommand(text, { user });
  expect(ack.status).toBe(200);
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

async function allocate(h: Harness): Promise<string> {
  const allocated = await h.service.allocate({ pool: 'public' });
  if (!allocated.ok) throw new Error(allocated.failure.code);
  return allocated.value.floatingIp.address;
}

const exists = (h: Harness, ip: string) => h.demo.state.floatingIps('demo').some((fip) => fip.floatingIpAddress === ip);
const deletes = (h: Harness) => h.demo.stats.requests().filter((r) => r.method === 'DELETE' && r.path.includes('/floatingips')).length;
const requests = (h: Harness) =>
  h.sim
    .messages()
    .filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral && (m.history[0]?.text ?? m.text ?? '').includes('asks for approval'));
const results = (h: Harness) =>
  h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral && /^(released|reclaimed)/.test(m.text ?? ''));
const audits = (h: Harness) => h.records().filter((r) => r.msg === 'audit');
/** What Slack shows the clicker alone after a click: the newest ephemeral message to them. */
const ephemeralTo = (h: Harness, user: string) => h.sim.messages().filter((m) => m.ephemeral && m.visibleTo === user);

/** `/fip release IP` confirmed by Alice: returns the request posted in the channel and Alice's waiting line. */
async function requestRelease(h: Harness, ip: string): Promise<{ request: SimMessage; waiting: SimMessage }> {
  const before = requests(h).length;
  const confirmation = await command(h, `release ${ip}`);
  const click = await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
  await expect.poll(() => requests(h).length, { timeout: 10_000 }).toBe(before + 1);
  await expect.poll(() => h.sim.responses(click.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return { request: requests(h).at(-1)!, waiting: h.sim.responses(click.responseUrl!).at(-1)!.message! };
}

async function clickAndWaitEphemeral(h: Harness, surface: SimMessage, actionId: string, user: string): Promise<string> {
  const before = ephemeralTo(h, user).length;
  await h.sim.clickButton(surface, { actionId }, { user });
  await expect.poll(() => ephemeralTo(h, user).length, { timeout: 10_000 }).toBeGreaterThan(before);
  return renderText(ephemeralTo(h, user).at(-1)!);
}

describe('two-person approval of a release', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ policy: POLICY, now: () => new Date(nowMs) });
    h.sim.workspace.addUser({ id: CAROL, name: 'carol' });
    h.sim.workspace.setGroupMembers(ONCALL, [BOB]);
  });
  beforeEach(() => {
    nowMs = START;
  });
  afterAll(async () => {
    await closeWithinLimits(h, 20);
  });

  it('posts a request in the channel instead of releasing; another approver releases it once, naming both', async () => {
    const ip = await allocate(h);
    const { request, waiting } = await requestRelease(h, ip);
    // Nothing changed yet; the channel sees who asked, exactly what changes, until when, and the two buttons.
    expect(exists(h, ip)).toBe(true);
    const shown = renderText(request);
    expect(shown).toContain(`<@${ALICE}> asks for approval: *Release ${ip}*`);
    expect(shown).toContain(`• \`${ip}\` goes back to pool *public*`);
    expect(shown).toContain(`Who may approve: members of <!subteam^${ONCALL}>`);
    expect(shown).toContain('the request expires at 12:30 UTC');
    expect(shown).toContain('[Approve] [Deny]');
    const approve = request.blocks.flatMap((b) => (b as { elements?: Array<{ action_id?: string; style?: string }> }).elements ?? []);
    expect(approve.filter((e) => e.style === 'primary').map((e) => e.action_id)).toEqual([ACTIONS.approve]);
    // Alice's confirmation became her one line, with the only way to withdraw.
    expect(renderText(waiting)).toContain(`Waiting for approval from members of <!subteam^${ONCALL}>: Release ${ip}`);
    expect(renderText(waiting)).toContain('[Cancel request]');

    await h.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => results(h).length, { timeout: 10_000 }).toBe(1);
    expect(exists(h, ip)).toBe(false);
    const result = results(h).at(-1)!;
    expect(result.text).toBe(`released ${ip} (by <@${ALICE}>) — asked by <@${ALICE}>, approved by <@${BOB}>`);
    expect(renderText(result)).toContain(`Asked by <@${ALICE}>, approved by <@${BOB}>.`);
    // The request keeps what was asked; its buttons gave way to the outcome.
    await expect.poll(() => renderText(requests(h).at(-1)!)).toContain(`Approved by <@${BOB}> and done.`);
    expect(renderText(requests(h).at(-1)!)).not.toContain('[Approve]');
    expect(renderText(requests(h).at(-1)!)).toContain(`Release ${ip}`);
    await expect.poll(() => renderText(waiting)).toContain(`Approved by <@${BOB}>: Release ${ip} is done`);
    // Audited: asked, approved, done, the done line naming the approver.
    const trail = audits(h).filter((a) => a.ip === ip);
    expect(trail.map((a) => a.outcome)).toEqual(['requested', 'approved', 'done']);
    expect(trail[2]).toMatchObject({ user: ALICE, approver: BOB, action: 'release' });
    // Counted in /metrics as steps of the operation.
    const metrics = await (await fetch(`http://127.0.0.1:${h.bot.port}/metrics`)).text();
    for (const step of ['requested', 'approved'])
      expect(metrics).toMatch(new RegExp(`fipbot_operations_total\\{action="release",outcome="approval_${step}"\\} [1-9]`));
  });

  it('refuses the requester as approver, and a person the policy does not name, saying who may; nothing changes', async () => {
    const ip = await allocate(h);
    const { request } = await requestRelease(h, ip);
    const own = await clickAndWaitEphemeral(h, request, ACTIONS.approve, ALICE);
    expect(own).toContain('You asked for this, so someone else must approve it');
    const other = await clickAndWaitEphemeral(h, request, ACTIONS.approve, CAROL);
    expect(other).toContain(`Only members of <!subteam^${ONCALL}> may approve or deny this`);
    const denyByOther = await clickAndWaitEphemeral(h, request, ACTIONS.deny, CAROL);
    expect(denyByOther).toContain(`Only members of <!subteam^${ONCALL}> may approve or deny this`);
    expect(exists(h, ip)).toBe(true);
    // Still open: the approver can approve it.
    await h.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => exists(h, ip), { timeout: 10_000 }).toBe(false);
  });

  it('denies: the request says who denied, the requester is told, nothing changes', async () => {
    const ip = await allocate(h);
    const { request, waiting } = await requestRelease(h, ip);
    // What another device still shows after the Deny.
    const shown = structuredClone(request);
    const deletesBefore = deletes(h);
    await h.sim.clickButton(request, { actionId: ACTIONS.deny }, { user: BOB });
    await expect.poll(() => renderText(requests(h).at(-1)!), { timeout: 10_000 }).toContain(`Denied by <@${BOB}>. Nothing was changed.`);
    await expect.poll(() => renderText(waiting)).toContain(`Denied by <@${BOB}>: Release ${ip}. Nothing was changed.`);
    // A later Approve finds it decided.
    const late = await clickAndWaitEphemeral(h, shown, ACTIONS.approve, BOB);
    expect(late).toContain('already approved, denied or cancelled');
    expect(exists(h, ip)).toBe(true);
    expect(deletes(h)).toBe(deletesBefore);
    expect(
      audits(h)
        .filter((a) => a.ip === ip)
        .map((a) => [a.outcome, a.approver]),
    ).toEqual([
      ['requested', null],
      ['denied', BOB],
    ]);
  });

  it('expires after 30 minutes: a late Approve runs nothing and says when it expired', async () => {
    const ip = await allocate(h);
    const { request } = await requestRelease(h, ip);
    const shown = structuredClone(request);
    nowMs = START + 30 * 60_000;
    const answer = await clickAndWaitEphemeral(h, request, ACTIONS.approve, BOB);
    expect(answer).toContain('This request expired at 12:30 UTC; ask again. Nothing was changed.');
    await expect.poll(() => renderText(requests(h).at(-1)!)).toContain('This request expired at 12:30 UTC without approval');
    // A second late click: told the same, audited once.
    const again = await clickAndWaitEphemeral(h, shown, ACTIONS.deny, BOB);
    expect(again).toContain('This request expired at 12:30 UTC; ask again.');
    expect(exists(h, ip)).toBe(true);
    expect(
      audits(h)
        .filter((a) => a.ip === ip)
        .map((a) => a.outcome),
    ).toEqual(['requested', 'expired']);
  });

  it('runs the release once when the approver taps Approve ten times at once', async () => {
    const ip = await allocate(h);
    const { request } = await requestRelease(h, ip);
    const before = deletes(h);
    const resultsBefore = results(h).length;
    const taps = await Promise.all(
      Array.from({ length: 10 }, () => h.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB })),
    );
    expect(taps.every((tap) => tap.status === 200 && tap.withinDeadline)).toBe(true);
    await expect.poll(() => results(h).length, { timeout: 10_000 }).toBe(resultsBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(deletes(h) - before).toBe(1);
    expect(results(h)).toHaveLength(resultsBefore + 1);
    expect(audits(h).filter((a) => a.ip === ip && a.outcome === 'done')).toHaveLength(1);
  });

  it('refuses when the IP changed between the request and the approval: nothing released, the request says so', async () => {
    const ip = await allocate(h);
    const { request, waiting } = await requestRelease(h, ip);
    // Someone attaches it meanwhile: the plan Alice confirmed no longer matches.
    const attach = await h.service.prepareAttach({ ip, instance: 'web-1' });
    if (!attach.ok) throw new Error(attach.failure.code);
    expect((await h.service.executeAttach(attach.value)).ok).toBe(true);
    await h.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => renderText(requests(h).at(-1)!), { timeout: 10_000 }).toContain(`${ip} changed in the meantime`);
    expect(renderText(requests(h).at(-1)!)).toContain(`Approved by <@${BOB}>, but not done`);
    await expect.poll(() => renderText(waiting)).toContain(`${ip} changed in the meantime`);
    expect(exists(h, ip)).toBe(true);
    expect(h.demo.state.floatingIp(ip)?.portId).not.toBeNull();
    expect(
      audits(h)
        .filter((a) => a.ip === ip)
        .map((a) => a.outcome),
    ).toEqual(['requested', 'approved', 'refused']);
  });

  it('does not let a forged Confirm or Cancel carrying the request’s token use the request up', async () => {
    const ip = await allocate(h);
    const { request } = await requestRelease(h, ip);
    // The request's token, under the confirmation's own buttons: as a tampering client could send it.
    const forged = structuredClone(request);
    for (const block of forged.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
      for (const element of block.elements ?? []) {
        if (element.action_id === ACTIONS.approve) element.action_id = ACTIONS.confirm;
        if (element.action_id === ACTIONS.deny) element.action_id = ACTIONS.cancel;
        if (element.value) element.value = (JSON.parse(element.value) as { t: string }).t;
      }
    expect(await clickAndWaitEphemeral(h, forged, ACTIONS.confirm, CAROL)).toContain('belongs to someone else');
    expect(await clickAndWaitEphemeral(h, forged, ACTIONS.cancel, CAROL)).toContain('belongs to someone else');
    expect(exists(h, ip)).toBe(true);
    await h.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => exists(h, ip), { timeout: 10_000 }).toBe(false);
  });

  it('lets the requester cancel from the waiting line: the request says so, nothing changes', async () => {
    const ip = await allocate(h);
    const { waiting } = await requestRelease(h, ip);
    await h.sim.clickButton(waiting, { actionId: ACTIONS.cancelApproval });
    await expect.poll(() => renderText(requests(h).at(-1)!), { timeout: 10_000 }).toContain(`Cancelled by <@${ALICE}>, who asked.`);
    await expect.poll(() => renderText(waiting)).toContain(`Cancelled: Release ${ip}. Nothing was changed.`);
    expect(exists(h, ip)).toBe(true);
    expect(
      audits(h)
        .filter((a) => a.ip === ip)
        .map((a) => a.outcome),
    ).toEqual(['requested', 'cancelled']);
  });

  it('refuses Cancel request to anyone but the requester, and after expiry says when it expired, everywhere', async () => {
    const ip = await allocate(h);
    const { waiting } = await requestRelease(h, ip);
    // The waiting line is Alice's alone; a click claiming to be Bob's (forged, misrouted) changes nothing.
    expect(await clickAndWaitEphemeral(h, structuredClone(waiting), ACTIONS.cancelApproval, BOB)).toContain(
      `Only <@${ALICE}>, who asked, can cancel this request.`,
    );
    nowMs = START + 31 * 60_000;
    await h.sim.clickButton(waiting, { actionId: ACTIONS.cancelApproval });
    await expect.poll(() => renderText(waiting), { timeout: 10_000 }).toContain('This request expired at 12:30 UTC; ask again.');
    await expect.poll(() => renderText(requests(h).at(-1)!)).toContain('This request expired at 12:30 UTC without approval');
    expect(exists(h, ip)).toBe(true);
    expect(
      audits(h)
        .filter((a) => a.ip === ip)
        .map((a) => a.outcome),
    ).toEqual(['requested', 'expired']);
  });

  it('posts the request through the command’s response_url in a channel the bot is not in, and it still works', async () => {
    const OUTSIDE = 'C0OUTSIDE1';
    h.sim.workspace.addChannel({ id: OUTSIDE, name: 'elsewhere', botIsMember: false });
    const ip = await allocate(h);
    const ack = await h.sim.slashCommand(`release ${ip}`, { channel: OUTSIDE });
    await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await h.sim.clickButton(h.sim.responses(ack.responseUrl!)[0]!.message!, { actionId: ACTIONS.confirm });
    const inOutside = () =>
      h.sim
        .messages()
        .filter((m) => m.channel === OUTSIDE && !m.ephemeral && (m.history[0]?.text ?? m.text ?? '').includes('asks for approval'));
    await expect.poll(() => inOutside().length, { timeout: 10_000 }).toBe(1);
    expect(inOutside()[0]!.source).toBe('response_url');
    await h.sim.clickButton(inOutside()[0]!, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => exists(h, ip), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => renderText(inOutside()[0]!)).toContain(`Approved by <@${BOB}> and done.`);
  });

  it('asks one approval for a reclaim of several IPs, since reclaim releases', async () => {
    const ips = [await allocate(h), await allocate(h)];
    const before = requests(h).length;
    const confirmation = await command(h, `reclaim ${ips.join(' ')}`);
    await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
    await expect.poll(() => requests(h).length, { timeout: 10_000 }).toBe(before + 1);
    const request = requests(h).at(-1)!;
    for (const ip of ips) expect(renderText(request)).toContain(`• \`${ip}\` goes back to pool *public*`);
    expect(ips.every((ip) => exists(h, ip))).toBe(true);
    await h.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => ips.some((ip) => exists(h, ip)), { timeout: 10_000 }).toBe(false);
    expect(results(h).at(-1)!.text).toContain(`approved by <@${BOB}>`);
    expect(requests(h)).toHaveLength(before + 1);
  });

  it('asks one approval for the leak report’s Reclaim all, after the requester’s confirmation', async () => {
    const ip = await allocate(h);
    const report = await command(h, 'leaks');
    const tap = await h.sim.clickButton(report, { actionId: ACTIONS.reclaimAll });
    await expect.poll(() => h.sim.responses(tap.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const confirmation = h.sim.responses(tap.responseUrl!).at(-1)!.message!;
    expect(renderText(confirmation)).toContain(`• \`${ip}\` goes back to pool *public*`);
    const requested = requests(h).length;
    await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
    await expect.poll(() => requests(h).length, { timeout: 10_000 }).toBe(requested + 1);
    expect(exists(h, ip)).toBe(true);
    await h.sim.clickButton(requests(h).at(-1)!, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => exists(h, ip), { timeout: 10_000 }).toBe(false);
  });

  it('asks approval for a release picked from a list row too', async () => {
    const ip = await allocate(h);
    const list = await command(h, 'list free');
    const before = requests(h).length;
    const release = rowPick(list, 'release', ip);
    await h.sim.selectOverflowOption(list, release.query, release.option);
    await expect.poll(() => requests(h).length, { timeout: 10_000 }).toBe(before + 1);
    expect(exists(h, ip)).toBe(true);
    await h.sim.clickButton(requests(h).at(-1)!, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => exists(h, ip), { timeout: 10_000 }).toBe(false);
  });

  const modal = (): SimView =>
    h.sim
      .views()
      .filter((view) => view.type === 'modal' && view.open && view.user === ALICE)
      .at(-1)!;

  /** Release through the form (bare /fip): the modal's confirmation submitted; returns the modal showing the waiting line. */
  async function releaseThroughForm(ip: string): Promise<{ shown: () => string; id: string }> {
    const mark = h.sim.api.mark();
    await h.sim.slashCommand('');
    await h.sim.api.waitForCall('views.open', { after: mark });
    const reshaped = h.sim.api.mark();
    await h.sim.selectStaticOption(modal(), { actionId: ACTIONS.formOperation }, 'release');
    await h.sim.api.waitForCall('views.update', { after: reshaped });
    const before = requests(h).length;
    await h.sim.submitView(modal(), { [`${BLOCKS.formIp}.${ACTIONS.ipSelect}`]: { text: ip, value: ip } });
    const confirmation = modal();
    expect(confirmation.callbackId).toBe(VIEWS.confirm);
    await h.sim.submitView(confirmation);
    await expect.poll(() => requests(h).length, { timeout: 10_000 }).toBe(before + 1);
    const shown = () => renderText(h.sim.views().find((v) => v.id === confirmation.id)!);
    await expect.poll(shown).toContain(`Waiting for approval from members of <!subteam^${ONCALL}>: Release ${ip}`);
    return { shown, id: confirmation.id };
  }

  it('turns the form’s confirmation into "Waiting for approval" and posts the request in the channel the form came from', async () => {
    const ip = await allocate(h);
    const { shown } = await releaseThroughForm(ip);
    expect(exists(h, ip)).toBe(true);
    await h.sim.clickButton(requests(h).at(-1)!, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => exists(h, ip), { timeout: 10_000 }).toBe(false);
    await expect.poll(shown).toContain(`Approved by <@${BOB}>: Release ${ip} is done`);
    expect(results(h).at(-1)!.text).toContain(`asked by <@${ALICE}>, approved by <@${BOB}>`);
  });

  it('cancels from the modal: the modal and the request in the channel say so', async () => {
    const ip = await allocate(h);
    const { shown, id } = await releaseThroughForm(ip);
    await h.sim.clickButton({ id }, { actionId: ACTIONS.cancelApproval });
    await expect.poll(shown, { timeout: 10_000 }).toContain(`Cancelled: Release ${ip}. Nothing was changed.`);
    await expect.poll(() => renderText(requests(h).at(-1)!)).toContain(`Cancelled by <@${ALICE}>, who asked.`);
    expect(exists(h, ip)).toBe(true);
  });

  it('refuses a release from a Home row, where no approver could see the request, and says where to ask', async () => {
    const ip = await allocate(h);
    const mark = h.sim.api.mark();
    await h.sim.openHome(ALICE);
    await h.sim.api.waitForCall('views.publish', { after: mark });
    const home = h.sim.views().find((view) => view.type === 'home' && view.user === ALICE)!;
    const release = rowPick(home, 'release', ip);
    const before = requests(h).length;
    await h.sim.selectOverflowOption(home, release.query, release.option);
    await expect
      .poll(() => h.sim.lastMessageTo(ALICE)?.text ?? '', { timeout: 10_000 })
      .toContain("Releasing floating IPs needs a second person's approval");
    expect(renderText(h.sim.lastMessageTo(ALICE)!)).toContain('run the command in a channel they are in. Nothing was changed.');
    expect(exists(h, ip)).toBe(true);
    expect(requests(h)).toHaveLength(before);
  });
});

describe('approval on named clouds only', () => {
  const PROD_ONLY = `default: allow\napprovals:\n  release: { approvers: { users: [${BOB}] }, clouds: [prod] }\n`;
  let prod: Harness;
  let unnamed: Harness;
  beforeAll(async () => {
    [prod, unnamed] = await Promise.all([
      // OS_CLOUD=prod: the clouds.yaml entry's name is the cloud's name.
      startHarness({
        policy: PROD_ONLY,
        cloud: (demo) => ({ ...demoCloudConfig(demo), name: 'prod', source: '/etc/openstack/clouds.yaml' }),
      }),
      // OS_* variables: the cloud has no name.
      startHarness({ policy: PROD_ONLY, cloud: (demo) => ({ ...demoCloudConfig(demo), name: 'envvars', source: 'environment (OS_*)' }) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([closeWithinLimits(prod), closeWithinLimits(unnamed)]);
  });

  it('asks for approval on the cloud the rule names', async () => {
    const ip = await allocate(prod);
    await requestRelease(prod, ip);
    expect(exists(prod, ip)).toBe(true);
  });

  it('does not on a cloud without a name, and said so at start-up', async () => {
    expect(
      unnamed
        .records()
        .some((r) => r.level === 'warn' && String(r.msg).includes('approvals.release applies only on prod, but this cloud has no name')),
    ).toBe(true);
    const ip = await allocate(unnamed);
    await unnamed.sim.clickButton(await command(unnamed, `release ${ip}`), { actionId: ACTIONS.confirm });
    await expect.poll(() => exists(unnamed, ip), { timeout: 10_000 }).toBe(false);
    expect(requests(unnamed)).toHaveLength(0);
  });
});

describe('a policy without approvals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ policy: 'default: allow\n' });
  });
  afterAll(async () => {
    await closeWithinLimits(h);
  });

  it('releases on the requester’s confirmation, as before: no request, no second person', async () => {
    const ip = await allocate(h);
    const confirmation = await command(h, `release ${ip}`);
    await h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm });
    await expect.poll(() => results(h).length, { timeout: 10_000 }).toBe(1);
    expect(exists(h, ip)).toBe(false);
    expect(requests(h)).toHaveLength(0);
    expect(results(h)[0]!.text).toBe(`released ${ip} (by <@${ALICE}>)`);
    expect(audits(h).map((a) => a.outcome)).toEqual(['done']);
  });
});
