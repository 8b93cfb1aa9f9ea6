/**
 * /fip typed in a channel, end to end: help, typos and oversize input
 * answered in the ack; a confirmation cancelled; attach with --pool and
 * --fixed-ip; a move between instances; and a server whose name is Slack
 * markup. Everything the bot sent is checked against Block Kit's limits at
 * the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer } from '../../../src/demo-cloud/server-lifecycle.js';
import { USAGE } from '../../../src/slack/commands/help.js';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import { assertWithinLimits } from '../../support/slack/block-kit.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { escapeName, ZERO_WIDTH_SPACE } from '../../../src/slack/blocks/text.js';
import { mrkdwnTexts } from '../../support/slack/builder-fixtures.js';
import { formattedBySlack } from '../../support/slack/formatting.js';
import { renderText } from '../../support/slack/text.js';
import { DEFAULT_CHANNEL, DEFAULT_USER } from '../../support/slack/workspace.js';
import { acked, closeWithinLimits, type Harness, startHarness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await closeWithinLimits(h, 10);
});

/** The answer carried by the ack itself (help, bad input): what Slack shows the user at once. */
async function ackAnswer(text: string): Promise<{ text: string; blocks: unknown[]; response_type?: string }> {
  const ack = await acked(h.sim.slashCommand(text));
  const body = ack.body as { text: string; blocks: unknown[]; response_type?: string };
  assertWithinLimits('message', body);
  return body;
}

/** Runs `/fip <text>` and waits for its first answer through the response_url. */
async function command(text: string): Promise<SimMessage> {
  const ack = await acked(h.sim.slashCommand(text));
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(ack.responseUrl!)[0]!.message!;
}

const channelResults = () => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral);
const floatingIpWrites = () => h.demo.stats.requests().filter((r) => r.method !== 'GET' && r.path.includes('/floatingips'));

/** Clicks Confirm and waits for the result the channel sees. */
async function confirmInChannel(confirmation: SimMessage): Promise<SimMessage> {
  const before = channelResults().length;
  await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.confirm }));
  await expect.poll(() => channelResults().length, { timeout: 10_000 }).toBe(before + 1);
  return channelResults().at(-1)!;
}

function fixedIpsOf(server: string): Array<{ network: string; address: string; portId: string }> {
  return h.demo.state.portsOf(server).flatMap((port) => {
    const network = [...h.demo.state.store.networks.values()].find((n) => n.id === port.networkId)!.name;
    return port.fixedIps.map((fixed) => ({ network, address: fixed.ipAddress, portId: port.id }));
  });
}

describe('help and mistakes, answered at once', () => {
  it('lists every command with its usage for /fip help, without asking OpenStack anything', async () => {
    const before = h.demo.stats.requests().length;
    const answer = await ackAnswer('help');
    expect(answer.response_type).toBe('ephemeral');
    const text = renderText(answer);
    for (const usage of Object.values(USAGE).filter((usage) => usage !== USAGE.help)) expect(text).toContain(`\`${usage}\``);
    expect(h.demo.stats.requests().length).toBe(before);
  });

  it('shows only the attach command for /fip help attach', async () => {
    const text = renderText(await ackAnswer('help attach'));
    expect(text).toContain(`\`${USAGE.attach}\``);
    expect(text).toContain('attach a floating IP, or `new` for a fresh one, to an instance');
    expect(text).not.toContain(USAGE.release);
    expect(text).not.toContain(USAGE.list);
  });

  it('answers a mistyped command with the closest one, and does nothing', async () => {
    const writes = floatingIpWrites().length;
    const answer = await ackAnswer('atach 192.168.100.201 web-1');
    // Phones show only the top-level text: it carries the suggestion too.
    expect(answer.text).toBe('"atach" is not a fipbot command. Did you mean /fip attach?');
    expect(renderText(answer)).toContain(`Did you mean \`${USAGE.attach}\`?`);
    expect(floatingIpWrites()).toHaveLength(writes);
  });

  it('refuses 5,000 characters of input politely, within the deadline and within the limits', async () => {
    const before = h.demo.stats.requests().length;
    const answer = await ackAnswer(`attach new ${'web-1 '.repeat(832)}xyz`.slice(0, 5_000));
    expect(answer.text).toBe('That is 5000 characters long; fipbot commands are short. Try /fip help.');
    expect(h.demo.stats.requests().length).toBe(before);
  });
});

describe('cancelling a confirmation', () => {
  it('replaces the confirmation, changes nothing, and the same confirmation cannot be used afterwards', async () => {
    const confirmation = await command('create public');
    const shownBefore = structuredClone(confirmation);
    const token = shownBefore.blocks
      .flatMap((b) => (b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? [])
      .find((e) => e.action_id === ACTIONS.confirm)!.value!;
    const ips = h.demo.state.floatingIps('demo').length;
    const writes = floatingIpWrites().length;

    await acked(h.sim.clickButton(confirmation, { actionId: ACTIONS.cancel }));
    await expect.poll(() => confirmation.text).toBe('Cancelled: Allocate a floating IP from pool public. Nothing was changed.');
    expect(renderText(confirmation)).not.toContain('[');
    expect(await h.store.peek(token)).toBeUndefined();

    // A client still showing the old buttons (a second device, a stale view) taps Confirm: answered, not silent.
    const stale = await acked(h.sim.clickButton(shownBefore, { actionId: ACTIONS.confirm }));
    await expect.poll(() => h.records().some((r) => r.msg === 'duplicate confirmation ignored')).toBe(true);
    await expect
      .poll(() => h.sim.responses(stale.responseUrl!).map((response) => response.text))
      .toEqual(['Already in progress or done: an earlier tap on this button is being handled, or was. This tap changed nothing.']);
    // And a second Cancel too.
    const again = await acked(h.sim.clickButton(shownBefore, { actionId: ACTIONS.cancel }));
    await expect.poll(() => h.sim.responses(again.responseUrl!).map((response) => response.replaceOriginal)).toEqual([false]);
    expect(h.demo.state.floatingIps('demo')).toHaveLength(ips);
    expect(floatingIpWrites()).toHaveLength(writes);
    expect(channelResults()).toHaveLength(0);
    expect(confirmation.text).toBe('Cancelled: Allocate a floating IP from pool public. Nothing was changed.');
  });
});

describe('choosing the pool and the address', () => {
  it('attaches a new floating IP from public-b to db-1 through its backend network', async () => {
    const backend = fixedIpsOf('db-1').find((f) => f.network === 'backend')!;
    const confirmation = await command('attach new db-1 --pool public-b');
    expect(renderText(confirmation)).toContain(
      `A new floating IP from pool *public-b* is allocated and attached to \`${backend.address}\` of *db-1* on network *backend* (through router *router2*) in one step.`,
    );
    const result = await confirmInChannel(confirmation);
    const ip = /^attached (203\.0\.113\.\d+) to db-1 \(by <@U0ALICE01>\)$/.exec(result.text ?? '')?.[1];
    expect(ip).toBeDefined();
    expect(h.demo.state.floatingIp(ip!)).toMatchObject({ portId: backend.portId, fixedIpAddress: backend.address });
  });

  it('refuses --fixed-ip on the backend address of db-1 for a public IP, naming the router in the way', async () => {
    const backend = fixedIpsOf('db-1').find((f) => f.network === 'backend')!;
    const writes = floatingIpWrites().length;
    const refusal = await command(`attach 192.168.100.201 db-1 --fixed-ip ${backend.address}`);
    expect(refusal.text).toMatch(/^"db-1" cannot reach pool "public"\. Nothing was changed/);
    expect(renderText(refusal)).toContain('router "router2" has its gateway on "public-b", not on "public"');
    expect(floatingIpWrites()).toHaveLength(writes);
    expect(h.demo.state.floatingIp('192.168.100.201')?.portId).toBeNull();
  });

  it('attaches an IP to the private address of db-1 given with --fixed-ip', async () => {
    const privateNic = fixedIpsOf('db-1').find((f) => f.network === 'private')!;
    const confirmation = await command(`attach 192.168.100.201 db-1 --fixed-ip ${privateNic.address}`);
    expect(renderText(confirmation)).toContain(
      `is attached to \`${privateNic.address}\` of *db-1* on network *private* (through router *router1*)`,
    );
    const result = await confirmInChannel(confirmation);
    expect(result.text).toBe(`attached 192.168.100.201 to db-1 (by <@${DEFAULT_USER}>)`);
    expect(h.demo.state.floatingIp('192.168.100.201')).toMatchObject({ portId: privateNic.portId, fixedIpAddress: privateNic.address });
  });
});

describe('moving a floating IP between instances', () => {
  it('warns that the IP leaves web-2 on a red button, moves it on confirmation and tells the channel', async () => {
    const web2 = fixedIpsOf('web-2')[0]!;
    const web1 = fixedIpsOf('web-1')[0]!;
    expect(h.demo.state.floatingIp('192.168.100.202')?.portId).toBe(web2.portId);

    const confirmation = await command('attach 192.168.100.202 web-1');
    expect(confirmation.text).toBe('Move 192.168.100.202 to web-1? Confirm or cancel.');
    expect(renderText(confirmation)).toContain(
      `:warning: \`192.168.100.202\` is attached to *web-2* (\`${web2.address}\`) now: this moves it away from there, and that instance loses the address.`,
    );
    const button = confirmation.blocks
      .flatMap((b) => (b as { elements?: Array<Record<string, unknown>> }).elements ?? [])
      .find((e) => e.action_id === ACTIONS.confirm)!;
    expect(button).toMatchObject({ text: { text: 'Move it' }, style: 'danger' });
    // The message is the confirmation, the warning in it: no dialog on top of its button.
    expect(button.confirm).toBeUndefined();
    expect(h.demo.state.floatingIp('192.168.100.202')?.portId).toBe(web2.portId);

    const result = await confirmInChannel(confirmation);
    expect(result.text).toBe(`moved 192.168.100.202 from web-2 to web-1 (by <@${DEFAULT_USER}>)`);
    expect(renderText(result)).toContain(
      `attached \`192.168.100.202\` to *web-1* (\`${web1.address}\` on *private*), moving it from *web-2* (\`${web2.address}\`).`,
    );
    expect(h.demo.state.floatingIp('192.168.100.202')).toMatchObject({ portId: web1.portId, fixedIpAddress: web1.address });
  });
});

describe('a server named like Slack markup', () => {
  const NAME = '<!channel> <@U0BOB0001>';
  let serverId = '';

  beforeAll(() => {
    const state = h.demo.state;
    serverId = bootServer(state.store, {
      name: NAME,
      projectId: state.projectId('demo'),
      userId: state.userId('demo'),
      nics: [{ networkId: state.network('private').id }],
    }).id;
  });

  /** What Slack would parse as markup: mrkdwn text objects and the top-level text. */
  function mrkdwnOf(message: SimMessage): string[] {
    const texts = [message.text ?? ''];
    JSON.stringify(message.blocks, (_key, value: unknown) => {
      const node = value as { type?: unknown; text?: unknown };
      if (node && node.type === 'mrkdwn' && typeof node.text === 'string') texts.push(node.text);
      return value;
    });
    return texts;
  }

  it('is shown as text in the confirmation and in the result the whole channel sees, never as an @channel', async () => {
    const fresh = await command('create public');
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec((await confirmInChannel(fresh)).text ?? '')![1]!;

    const confirmation = await command(`attach ${ip} ${serverId}`);
    const result = await confirmInChannel(confirmation);
    expect(result.text).toBe(`attached ${ip} to &lt;!channel&gt; &lt;@U0BOB0001&gt; (by <@${DEFAULT_USER}>)`);
    for (const message of [confirmation, result]) {
      for (const text of mrkdwnOf(message)) {
        expect(text).not.toContain('<!channel>');
        expect(text).not.toContain('<@U0BOB0001>');
      }
    }
    expect(renderText(result)).toContain('*&lt;!channel&gt; &lt;@U0BOB0001&gt;*');
  });
});

describe("servers named with Slack's formatting marks", () => {
  const NAMES = ['*bold*', '_it_', '~x~', 'a`b'];
  const mrkdwnOf = (message: SimMessage) => mrkdwnTexts({ text: message.text, blocks: message.blocks });

  beforeAll(() => {
    const state = h.demo.state;
    for (const name of NAMES)
      bootServer(state.store, {
        name,
        projectId: state.projectId('demo'),
        userId: state.userId('demo'),
        nics: [{ networkId: state.network('private').id }],
      });
  });

  it.each(NAMES)(
    'shows %s as text in the confirmation, the result and the list, and a name copied from the list finds the server again',
    async (name) => {
      const ip = /(\d+\.\d+\.\d+\.\d+)/.exec((await confirmInChannel(await command('create public'))).text ?? '')![1]!;
      const confirmation = await command(`attach ${ip} ${name}`);
      const result = await confirmInChannel(confirmation);
      expect(result.text).toBe(`attached ${ip} to ${escapeName(name)} (by <@${DEFAULT_USER}>)`);
      const list = await command('list attached');
      for (const message of [confirmation, result, list]) {
        expect(mrkdwnOf(message).join('\n')).toContain(escapeName(name));
        for (const text of mrkdwnOf(message)) {
          expect(text).not.toContain(name);
          expect(formattedBySlack(text).filter((span) => span.includes(ZERO_WIDTH_SPACE))).toEqual([]);
        }
      }

      // Copied from the row as Slack shows it (zero-width spaces included) and typed into a command.
      const row = mrkdwnOf(list).find((text) => text.startsWith(`\`${ip}\``))!;
      const copied = /→ (.+?) \(`/.exec(row)![1]!;
      expect(copied).toContain(ZERO_WIDTH_SPACE);
      const explained = await command(`explain ${copied}`);
      expect(explained.text).not.toMatch(/No instance/);
      expect((explained.text ?? '').replaceAll(ZERO_WIDTH_SPACE, '')).toContain(`"${name}"`);
      expect(mrkdwnOf(explained).join('\n')).not.toContain('No instance');
    },
  );
});

describe('names typed with &, < and >', () => {
  const NAME = 'db&cache<2>';

  beforeAll(() => {
    const state = h.demo.state;
    bootServer(state.store, {
      name: NAME,
      projectId: state.projectId('demo'),
      userId: state.userId('demo'),
      nics: [{ networkId: state.network('private').id }],
    });
  });

  it('finds the instance Slack sent as db&amp;cache&lt;2&gt;, and shows its name escaped', async () => {
    const typed = await command(`explain ${NAME}`);
    expect(typed.text).not.toMatch(/No instance called/);
    expect(renderText(typed)).toContain('db&amp;cache&lt;2&gt;');
    // And in the form Slack really sends it in, as the simulator shows.
    expect(h.sim.buildSlashCommand(`explain ${NAME}`).request.payload.text).toBe('explain db&amp;cache&lt;2&gt;');
  });
});
