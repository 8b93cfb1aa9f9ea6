/**
 * Two people changing the same thing at the same moment, end to end. Both
 * confirmations are prepared against the same state, then both Confirms are
 * clicked at once; Neutron decides, and fipbot must tell the loser plainly
 * instead of doing something nobody confirmed:
 *  - two IPs onto one instance: the fixed IP takes one floating IP; the
 *    other person learns it already has one (and which);
 *  - one IP onto two instances: the revision guard (If-Match) lets one PUT
 *    through; the other is refused as changed concurrently, not moved away
 *    from the winner.
 * (20 taps on one Confirm: test/slack/e2e/safety.e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedResponse } from '../support/slack/response-urls.js';
import { closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';
import { acks, confirm, confirmation, confirmDone, demoIps, demoTarget, humane } from './support.js';

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  // Both clicks' PUTs reach Neutron together, as on a busy cloud.
  h.demo.faults.setRouteLatency({ method: 'PUT', path: '/v2.0/floatingips/*' }, 100);
});

afterAll(async () => {
  await closeWithinLimits(h);
  expect(acks.filter((ack) => !ack.withinDeadline)).toEqual([]);
});

async function newIp(user = ALICE): Promise<string> {
  return /(\d+\.\d+\.\d+\.\d+)/.exec(await confirmDone(h, await confirmation(h, 'create public', { user }), { user }))![1]!;
}

/** The winner's result and the loser's refusal, whichever click won. */
function split(answers: RecordedResponse[]): { won: RecordedResponse[]; lost: RecordedResponse[] } {
  return { won: answers.filter((a) => a.responseType === 'in_channel'), lost: answers.filter((a) => a.responseType !== 'in_channel') };
}

describe('two people, one instance, two floating IPs', () => {
  it('attaches one, and tells the other that the address already has that floating IP', async () => {
    const [ipA, ipB] = [await newIp(ALICE), await newIp(BOB)];
    const before = demoIps(h);
    const forAlice = await confirmation(h, `attach ${ipA} app-20`, { user: ALICE });
    const forBob = await confirmation(h, `attach ${ipB} app-20`, { user: BOB });

    const { won, lost } = split(await Promise.all([confirm(h, forAlice, { user: ALICE }), confirm(h, forBob, { user: BOB })]));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = /^attached (\S+) to app-20/.exec(won[0]!.text ?? '')![1]!;
    const loser = winner === ipA ? ipB : ipA;
    const text = humane(lost[0]!.body);
    const fixed = h.demo.state.portsOf('app-20')[0]!.fixedIps[0]!.ipAddress;
    expect(lost[0]!.text).toBe(
      `\`${fixed}\` of "app-20" already has a floating IP. Nothing was changed: no floating IP was attached or allocated.`,
    );
    expect(text).toContain(`already has floating IP \`${winner}\``);
    expect(demoIps(h)).toEqual({ ...before, [winner]: demoTarget(h, 'app-20'), [loser]: 'free' });
  });
});

describe('two people, one floating IP, two instances', () => {
  it('attaches it to one, and refuses the other as changed concurrently instead of moving it away', async () => {
    const ip = await newIp(ALICE);
    const before = demoIps(h);
    const forAlice = await confirmation(h, `attach ${ip} app-21`, { user: ALICE });
    const forBob = await confirmation(h, `attach ${ip} app-22`, { user: BOB });

    const { won, lost } = split(await Promise.all([confirm(h, forAlice, { user: ALICE }), confirm(h, forBob, { user: BOB })]));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = /^attached \S+ to (app-2\d)/.exec(won[0]!.text ?? '')![1]!;
    expect(lost[0]!.text).toBe(`${ip} changed in the meantime. Nothing was changed: no floating IP was attached or allocated.`);
    humane(lost[0]!.body);
    expect(demoIps(h)).toEqual({ ...before, [ip]: demoTarget(h, winner) });
    // Exactly one PUT was accepted: the other was refused by the revision guard, not applied then undone.
    expect(
      h.demo.stats
        .requests({ method: 'PUT', path: '/v2.0/floatingips/*' })
        .slice(-2)
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 412]);
  });

  it('carries out exactly one of a move and a release confirmed at once for the same IP, and refuses the other', async () => {
    const ip = await newIp(ALICE);
    await confirmDone(h, await confirmation(h, `attach ${ip} app-23`));
    const before = demoIps(h);
    const move = await confirmation(h, `attach ${ip} app-24`, { user: ALICE });
    const release = await confirmation(h, `release ${ip}`, { user: BOB });
    const { won, lost } = split(await Promise.all([confirm(h, move, { user: ALICE }), confirm(h, release, { user: BOB })]));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    // The release first: the move finds the IP gone. The move first: the release's revision no longer matches.
    const gone = `${ip} is not one of this project's floating IPs. Nothing was changed: no floating IP was attached or allocated.`;
    const changed = `${ip} changed in the meantime. Nothing was changed: the floating IP was not released.`;
    expect([gone, changed]).toContain(lost[0]!.text);
    humane(lost[0]!.body);
    const after = demoIps(h);
    if (won[0]!.text!.startsWith('moved')) expect(after).toEqual({ ...before, [ip]: demoTarget(h, 'app-24') });
    else {
      const { [ip]: _gone, ...rest } = before;
      expect(after).toEqual(rest);
    }
  });
});
