/**
 * Every "name it" answer comes with its choices as buttons, and a tap acts as
 * the typed command would: `/fip create` with two pools asks which, ranked by
 * what the project's routers reach; `explain web-1` offers the pool that works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer } from '../../../src/demo-cloud/server-lifecycle.js';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import type { SimMessage } from '../../support/slack/messages.js';
import { renderText } from '../../support/slack/text.js';
import { DEFAULT_CHANNEL } from '../../support/slack/workspace.js';
import { acked, closeWithinLimits, type Harness, startHarness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await closeWithinLimits(h);
});

const writes = () => h.demo.stats.requests().filter((r) => r.method !== 'GET' && r.path.includes('/floatingips'));

async function command(text: string): Promise<{ message: SimMessage }> {
  const ack = await acked(h.sim.slashCommand(text));
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return { message: h.sim.responses(ack.responseUrl!)[0]!.message! };
}

/** Taps a button and waits for the answer it produces through the tap's response_url. */
async function tap(message: SimMessage, text: string) {
  const click = await acked(h.sim.clickButton(message, { text }));
  await expect.poll(() => h.sim.responses(click.responseUrl!).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return h.sim.responses(click.responseUrl!)[0]!;
}

const buttonsOf = (message: SimMessage) =>
  message.blocks
    .flatMap((block) => (block as { elements?: Array<{ type: string; text?: { text: string }; style?: string }> }).elements ?? [])
    .filter((e) => e.type === 'button');

describe('a question is answered with buttons', () => {
  it('asks which pool without an error sign, the pool the routers reach most first, one primary button', async () => {
    const { message } = await command('create');
    const text = renderText(message);
    expect(text.split('\n')[0]).toBe('*Which pool?*');
    expect(text).not.toContain(':no_entry:');
    expect(buttonsOf(message).map((b) => [b.text?.text, b.style])).toEqual([
      ['Allocate from public', 'primary'],
      ['Allocate from public-b', undefined],
    ]);
    expect(text).toContain('or type `/fip create public`');
  });

  it('turns the tap into the confirmation, in place of the question, and allocates from that pool once confirmed', async () => {
    const { message } = await command('create');
    const answer = await tap(message, 'Allocate from public');
    expect(answer.replaceOriginal).toBe(true);
    expect(renderText(answer.message!)).toContain('Allocate a floating IP from pool public?');
    expect(writes()).toHaveLength(0);

    const before = h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral).length;
    await acked(h.sim.clickButton(answer.message!, { actionId: ACTIONS.confirm, text: 'Allocate' }));
    await expect
      .poll(() => h.sim.messages().filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral).length, { timeout: 10_000 })
      .toBe(before + 1);
    const result = h.sim
      .messages()
      .filter((m) => m.channel === DEFAULT_CHANNEL && !m.ephemeral)
      .at(-1)!;
    expect(result.text).toMatch(/^allocated 192\.168\.100\.\d+ from pool public /);
    expect(writes().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('offers a new IP from the pool that works on explain, and the tap leads to that attach', async () => {
    const { message } = await command('explain web-1');
    const text = renderText(message);
    expect(text.split('\n').slice(0, 3)).toEqual([
      '*"web-1" can take a floating IP from "public"*',
      '[Attach a new IP from public]',
      'Pool "public": yes, for `10.0.0.3` on "private" (router "router1").',
    ]);
    // The pool that does not work says what would, as a command that can be copied whole.
    expect(text).toContain('(`/fip attach new web-1 --pool public`)');
    expect(text).not.toContain('...');
    const answer = await tap(message, 'Attach a new IP from public');
    expect(renderText(answer.message!)).toMatch(/new floating IP from pool \*?public\*?/i);
    expect(renderText(answer.message!)).toContain('web-1');
  });

  it('answers a step button it cannot read, and changes nothing', async () => {
    const { message } = await command('create');
    const forged = {
      ...message,
      blocks: message.blocks.map((block) => {
        const b = block as { type: string; elements?: Array<Record<string, unknown>> };
        return b.type === 'actions' ? { ...b, elements: b.elements!.map((e) => ({ ...e, value: '{"command":"launch missiles"}' })) } : b;
      }),
    } as SimMessage;
    const before = writes().length;
    const answer = await tap(forged, 'Allocate from public');
    expect(answer.message!.text).toContain('This button is out of date. Nothing was changed');
    expect(writes()).toHaveLength(before);
  });
});

describe('a name that fits several, or none, is answered with the choices', () => {
  it('asks which of two instances of one name, and a tap runs the same command with that one', async () => {
    const state = h.demo.state;
    const twins = [0, 1].map(() =>
      bootServer(state.store, {
        name: 'twin',
        projectId: state.projectId('demo'),
        userId: state.userId('demo'),
        nics: [{ networkId: state.network('private').id }],
      }),
    );
    const { message } = await command('explain twin');
    expect(renderText(message).split('\n')[0]).toBe('*Which "twin"? 2 instances have that name*');
    const labels = buttonsOf(message).map((b) => b.text?.text);
    expect(labels).toHaveLength(2);
    for (const label of labels) expect(label).toMatch(/^twin \(ACTIVE, 10\.0\.0\.\d+\)$/);
    // Each choice carries the person's own command with that instance's id in place of the name.
    const commands = buttonsOf(message).map((b) => (JSON.parse((b as { value?: string }).value!) as { command: string }).command);
    expect(commands.sort()).toEqual(twins.map((t) => `explain ${t.id}`).sort());
    const answer = await tap(message, labels[1]!);
    expect(renderText(answer.message!)).toContain('"twin" can take a floating IP from "public"');
  });

  it('offers the pools when the one typed does not exist, and a tap allocates from the one chosen after confirmation', async () => {
    const { message } = await command('create pubic');
    expect(renderText(message).split('\n')[0]).toBe(':no_entry: *No pool called "pubic"*');
    expect(buttonsOf(message).map((b) => b.text?.text)).toEqual(['Use pool public', 'Use pool public-b']);
    const answer = await tap(message, 'Use pool public');
    expect(answer.replaceOriginal).toBe(true);
    expect(renderText(answer.message!)).toContain('Allocate a floating IP from pool public?');
  });
});
