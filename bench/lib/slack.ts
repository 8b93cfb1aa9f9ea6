/**
 * Slack, for benchmarks: the test suite's Slack simulator (signed slash
 * commands and clicks in, Web API and response_urls out), plus the moment
 * each response_url post arrived, so that "the result was posted" has a
 * time. Waiting is event-driven (no polling delay is added to any figure).
 */
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import type { SimMessage } from '../../test/support/slack/messages.js';
import type { RecordedResponse } from '../../test/support/slack/response-urls.js';
import { type Interaction, SlackSimulator } from '../../test/support/slack/simulator.js';
import { BOT_TOKEN, SIGNING_SECRET } from './processes.js';

export interface Arrival {
  /** performance.now() when the post had been recorded. */
  at: number;
  response: RecordedResponse;
}

interface Waiter {
  url: string;
  from: number;
  where: (response: RecordedResponse) => boolean;
  resolve: (arrival: Arrival) => void;
}

export class BenchSlack {
  private readonly arrivals = new Map<string, Arrival[]>();
  private waiters: Waiter[] = [];

  private constructor(readonly sim: SlackSimulator) {
    const base = `${sim.api.url}/response/`;
    // The simulator's own handler records and applies the post; this notes when, and wakes whoever waits for it.
    sim.api.mount('/response/', async (req, res, rest) => {
      await sim.responseUrls.handle(req, res, rest);
      const url = base + rest;
      const response = sim.responseUrls.responses(url).at(-1);
      if (!response) return;
      const arrival: Arrival = { at: performance.now(), response };
      const list = this.arrivals.get(url) ?? [];
      list.push(arrival);
      this.arrivals.set(url, list);
      const index = list.length - 1;
      const ready = this.waiters.filter((w) => w.url === url && index >= w.from && w.where(response));
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const waiter of ready) waiter.resolve(arrival);
    });
  }

  static async start(): Promise<BenchSlack> {
    const sim = await SlackSimulator.start({ signingSecret: SIGNING_SECRET });
    sim.workspace.tokens.add(BOT_TOKEN);
    return new BenchSlack(sim);
  }

  get apiUrl(): string {
    return this.sim.apiUrl;
  }

  set botUrl(url: string) {
    this.sim.botUrl = url;
  }

  /** The first post on `url` (from the `from`-th on) that `where` accepts; rejects after `timeoutMs`. */
  waitFor(
    url: string,
    where: (response: RecordedResponse) => boolean = () => true,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<Arrival> {
    const from = options.from ?? 0;
    const found = (this.arrivals.get(url) ?? []).find((arrival, index) => index >= from && where(arrival.response));
    if (found) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        url,
        from,
        where,
        resolve: (arrival) => {
          clearTimeout(timer);
          resolve(arrival);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = (this.arrivals.get(url) ?? []).map((a) => JSON.stringify(a.response.text ?? '')).join(', ') || 'nothing';
        reject(new Error(`no matching response_url post within ${timeoutMs} ms (got: ${seen})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Forget what was recorded (long runs): the simulator's own records stay, these timestamps go. */
  forget(url: string): void {
    this.arrivals.delete(url);
  }

  async close(): Promise<void> {
    await this.sim.close();
  }
}

export class SlackRefusal extends Error {}

export interface CommandTiming {
  /** Slack's view: the signed request until the bot's HTTP answer. */
  ackMs: number;
  /** From sending the command until its first response_url post (confirmation, list or refusal). */
  firstResponseMs: number;
  message: SimMessage;
  responseUrl: string;
}

/** `/fip <text>` and its first answer through the response_url. Throws when Slack would have shown an error. */
export async function command(
  slack: BenchSlack,
  text: string,
  options: { user?: string; channel?: string; timeoutMs?: number } = {},
): Promise<CommandTiming> {
  const started = performance.now();
  const ack = await slack.sim.slashCommand(text, {
    ...(options.user ? { user: options.user } : {}),
    ...(options.channel ? { channel: options.channel } : {}),
  });
  assertAcked(ack, `/fip ${text}`);
  const first = await slack.waitFor(ack.responseUrl!, () => true, { ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  if (!first.response.message)
    throw new Error(`/fip ${text}: response refused by Slack: ${first.response.status} ${first.response.answer}`);
  return { ackMs: ack.ackMs, firstResponseMs: first.at - started, message: first.response.message, responseUrl: ack.responseUrl! };
}

export interface ChangeTiming {
  /** Command sent -> result posted in the channel. */
  totalMs: number;
  /** Command sent -> confirmation shown. */
  toConfirmationMs: number;
  /** Confirm clicked -> result posted in the channel. */
  clickToResultMs: number;
  commandAckMs: number;
  clickAckMs: number;
  confirmation: SimMessage;
  result: SimMessage;
  /** performance.now() at the command, the confirmation, the click, and the result. */
  marks: { command: number; confirmation: number; click: number; result: number };
}

/**
 * A change as a person makes it: `/fip <text>`, the confirmation, a click
 * on Confirm the moment it shows, and the result posted in the channel.
 * Anything else (a refusal, an error) throws SlackRefusal with its text.
 */
export async function change(
  slack: BenchSlack,
  text: string,
  options: { user?: string; channel?: string; timeoutMs?: number } = {},
): Promise<ChangeTiming> {
  const commandAt = performance.now();
  const first = await command(slack, text, options);
  const confirmationAt = commandAt + first.firstResponseMs;
  const hasConfirm = first.message.blocks.some((block) => JSON.stringify(block).includes(`"${ACTIONS.confirm}"`));
  if (!hasConfirm) throw new SlackRefusal(`/fip ${text}: no confirmation: ${first.message.text ?? ''}`);
  const clickAt = performance.now();
  const click = await slack.sim.clickButton(first.message, { actionId: ACTIONS.confirm }, options.user ? { user: options.user } : {});
  assertAcked(click, `confirm of /fip ${text}`);
  const outcome = await slack.waitFor(
    click.responseUrl!,
    (response) => response.responseType === 'in_channel' || (response.replaceOriginal && !(response.text ?? '').startsWith('Working')),
    {
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    },
  );
  if (outcome.response.responseType !== 'in_channel' || !outcome.response.message)
    throw new SlackRefusal(`/fip ${text}: ${outcome.response.text ?? ''}`);
  return {
    totalMs: outcome.at - commandAt,
    toConfirmationMs: confirmationAt - commandAt,
    clickToResultMs: outcome.at - clickAt,
    commandAckMs: first.ackMs,
    clickAckMs: click.ackMs,
    confirmation: first.message,
    result: outcome.response.message,
    marks: { command: commandAt, confirmation: confirmationAt, click: clickAt, result: outcome.at },
  };
}

function assertAcked(response: Interaction, what: string): void {
  if (response.status !== 200 || !response.withinDeadline) {
    throw new Error(`${what}: Slack would have shown an error (status ${response.status} after ${Math.round(response.ackMs)} ms)`);
  }
}
