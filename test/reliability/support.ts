/**
 * Shared by the reliability suites (faults, abuse, concurrency, secrets, and
 * the soak and real-cloud bursts): what a person sees, checked for being
 * human (no stack trace, no `undefined`), and what the cloud holds, compared
 * before and after.
 */
import { expect } from 'vitest';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import { VIEWS } from '../../src/slack/blocks/ids.js';
import type { SimMessage } from '../support/slack/messages.js';
import type { RecordedResponse } from '../support/slack/response-urls.js';
import type { Interaction, SimResponse } from '../support/slack/simulator.js';
import { renderText } from '../support/slack/text.js';
import type { SimView } from '../support/slack/views.js';
import { DEFAULT_USER } from '../support/slack/workspace.js';
import { acked, type Harness } from '../slack/e2e/harness.js';

/**
 * Waits until `check` holds. Like expect.poll, but it needs no current test:
 * concurrent tests (describe.concurrent) and shared drivers can use it.
 */
export async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What never belongs in a message to a person: program internals. */
export const INTERNALS =
  /\bundefined\b|\[object Object\]|\bNaN\b|\n\s*at \S+ \(|\.[cm]?[jt]s:\d+|\b(?:TypeError|ReferenceError|SyntaxError|RangeError)\b|Something went wrong inside fipbot/;

/** A message or view rendered as a person reads it, checked for internals. */
export function humane(surface: unknown): string {
  const text = renderText(surface as SimMessage);
  expect(text, 'a message shows program internals').not.toMatch(INTERNALS);
  expect(text.trim().length, 'an empty message').toBeGreaterThan(0);
  return text;
}

/** The body the bot answered in the ack, when it answered with a message. */
export function ackMessage(response: SimResponse): { text: string; blocks: unknown[] } | undefined {
  const body = response.body as { text?: unknown; blocks?: unknown } | string;
  return typeof body === 'object' && body !== null && typeof body.text === 'string'
    ? { text: body.text, blocks: Array.isArray(body.blocks) ? body.blocks : [] }
    : undefined;
}

/** Every ack this suite saw, to check Slack's deadline once more at the end. */
export const acks: SimResponse[] = [];

export async function ackedAndCounted<T extends SimResponse>(request: Promise<T>): Promise<T> {
  const response = await acked(request);
  acks.push(response);
  return response;
}

export interface CommandOptions {
  user?: string;
  channel?: string;
}

/** `/fip <text>`: its first answer, from the ack itself or through the response_url. */
export async function command(
  h: Harness,
  text: string,
  options: CommandOptions = {},
): Promise<{ ack: Interaction; reply: SimMessage | { text: string; blocks: unknown[] } }> {
  const ack = await ackedAndCounted(h.sim.slashCommand(text, options));
  const inAck = ackMessage(ack);
  if (inAck) return { ack, reply: inAck };
  await eventually(() => h.sim.responses(ack.responseUrl!).length > 0, `an answer to "/fip ${text}"`);
  return { ack, reply: h.sim.responses(ack.responseUrl!)[0]!.message! };
}

/** The confirmation `/fip <text>` shows (fails when it shows something else). */
export async function confirmation(h: Harness, text: string, options: CommandOptions = {}): Promise<SimMessage> {
  const { reply } = await command(h, text, options);
  expect(renderText(reply as SimMessage), `"/fip ${text}" should ask for a confirmation`).toContain('Nothing changes until you confirm');
  return reply as SimMessage;
}

/** The last answer a click got through its response_url: the result in the channel, or a refusal. Not "Working…". */
function finalAnswer(responses: RecordedResponse[]): RecordedResponse | undefined {
  return (
    responses.find((r) => r.responseType === 'in_channel') ??
    responses.filter((r) => !r.deleteOriginal && !(r.text ?? '').startsWith('Working…')).at(-1)
  );
}

/** Clicks Confirm (or taps it `taps` times at once) and returns what the person finally sees. */
export async function confirm(
  h: Harness,
  message: SimMessage,
  options: { user?: string; taps?: number; timeoutMs?: number } = {},
): Promise<RecordedResponse> {
  const clicks = await Promise.all(
    Array.from({ length: options.taps ?? 1 }, () =>
      ackedAndCounted(h.sim.clickButton(message, { actionId: ACTIONS.confirm }, options.user ? { user: options.user } : {})),
    ),
  );
  let answer: RecordedResponse | undefined;
  await eventually(
    () => {
      answer = clicks.map((click) => finalAnswer(h.sim.responses(click.responseUrl!))).find((found) => found !== undefined);
      return answer !== undefined;
    },
    'the answer to a click on Confirm',
    options.timeoutMs ?? 15_000,
  );
  return answer!;
}

/** Confirms and expects the result in the channel; returns its top-level text. */
export async function confirmDone(h: Harness, message: SimMessage, options: { user?: string; taps?: number } = {}): Promise<string> {
  const answer = await confirm(h, message, options);
  expect(answer.responseType, `expected a result in the channel, got: ${answer.text ?? ''}`).toBe('in_channel');
  return answer.text ?? '';
}

/** The project's floating IPs in the demo cloud, as "address -> port@fixed-ip" (or "free"). */
export function demoIps(h: Harness, project = 'demo'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const fip of h.demo.state.floatingIps(project))
    out[fip.floatingIpAddress] = fip.portId ? `${fip.portId}@${fip.fixedIpAddress ?? ''}` : 'free';
  return out;
}

/** The first port of a demo server, as demoIps shows an IP attached to it. */
export function demoTarget(h: Harness, server: string): string {
  const port = h.demo.state.portsOf(server)[0]!;
  return `${port.id}@${port.fixedIps[0]!.ipAddress}`;
}

/** A later command works: the process survived and is usable. */
export async function expectStillWorks(h: Harness, options: CommandOptions = {}): Promise<void> {
  const { reply } = await command(h, 'list', options);
  expect(reply.text).toMatch(/floating IPs?/);
  humane(reply);
}

export function topModal(h: Harness, user: string = DEFAULT_USER): SimView {
  return h.sim
    .views()
    .filter((v) => v.type === 'modal' && v.open && v.user === user)
    .at(-1)!;
}

export function isConfirmModal(view: SimView): boolean {
  return view.callbackId === VIEWS.confirm;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests that changed floating IPs in the demo cloud: writes it accepted (a refused or dropped one changed nothing). */
export function floatingIpWrites(h: Harness): number {
  return h.demo.stats.requests().filter((r) => r.method !== 'GET' && r.path.includes('/floatingips') && r.status >= 200 && r.status < 300)
    .length;
}
