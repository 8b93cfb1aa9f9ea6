/**
 * Several clouds in one bot (FIPBOT_CONFIG): which cloud a request acts on, and naming it. A listener
 * picks the cloud once (a pending confirmation's, `--cloud`, the channel's binding, the default) and
 * hands `inCloud(deps, name)` down: every flow below uses that cloud's service and asks the policy
 * about it. With one cloud nothing is named and nothing is asked: today's wording stays.
 */
import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { OwnChanges } from '../jobs/own-changes.js';
import type { NextStep } from '../floating-ips/next-steps.js';
import type { FloatingIpService } from '../operations/service.js';
import type { OperationName } from '../operations/registry.js';
import { ACTIONS } from './blocks/ids.js';
import type { Message } from './blocks/messages.js';
import { stepsBlock } from './blocks/next-steps.js';
import { escape as escapeText } from './blocks/text.js';
import type { SlackDeps } from './deps.js';

export interface SlackClouds {
  /** The cloud's own memory of fipbot's changes, for its watch. */
  ownChanges?(name: string): OwnChanges | undefined;
  /** The clouds, as configured (two or more). */
  readonly names: readonly string[];
  /** The channel's cloud: its binding, else the default; undefined: ask. */
  bound(channelId: string | undefined): string | undefined;
  service(name: string): FloatingIpService | undefined;
}

/** True when the bot serves several clouds: then every answer names its cloud. */
export function severalClouds(deps: SlackDeps): boolean {
  return (deps.clouds?.names.length ?? 0) > 1;
}

/** The deps that act on cloud `name` (a known one). */
export function inCloud(deps: SlackDeps, name: string | undefined): SlackDeps {
  const service = name === undefined ? undefined : deps.clouds?.service(name);
  if (!service) return deps;
  const ownChanges = deps.clouds?.ownChanges?.(name!);
  return { ...deps, service, cloud: name, ...(ownChanges ? { ownChanges } : {}) };
}

export type CloudChoice = { ok: true; deps: SlackDeps } | { ok: false; message: Message };

/**
 * The cloud a typed command acts on: `--cloud NAME`, else the channel's. An unknown name is answered with
 * the list; no cloud at all with "Which cloud?" and one button per cloud the person may use for `action`
 * (each runs `typed` again with `--cloud`).
 */
export async function chooseCloud(
  deps: SlackDeps,
  who: { userId: string; channelId?: string },
  asked: string | undefined,
  action: OperationName,
  typed: string,
): Promise<CloudChoice> {
  if (!deps.clouds || !severalClouds(deps)) {
    if (asked === undefined) return { ok: true, deps };
    const text = 'This fipbot serves one cloud: leave out `--cloud` (it chooses among the clouds of FIPBOT_CONFIG).';
    return { ok: false, message: { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] } };
  }
  const names = deps.clouds.names;
  if (asked !== undefined) {
    if (names.includes(asked)) return { ok: true, deps: inCloud(deps, asked) };
    return { ok: false, message: unknownCloudMessage(asked, names) };
  }
  const bound = deps.clouds.bound(who.channelId);
  if (bound) return { ok: true, deps: inCloud(deps, bound) };
  const usable = await usableClouds(deps, who, action);
  const steps: NextStep[] = usable.map((name) => ({ kind: 'command', label: name, command: withCloud(typed, name) }));
  return { ok: false, message: whichCloudMessage(steps, names) };
}

/** The clouds `who` may use for `action`, in configured order. */
export async function usableClouds(deps: SlackDeps, who: { userId: string; channelId?: string }, action: OperationName): Promise<string[]> {
  const names = deps.clouds?.names ?? [];
  const decisions = await Promise.all(
    names.map((cloud) => deps.policy.decide({ userId: who.userId, ...(who.channelId ? { channelId: who.channelId } : {}), action, cloud })),
  );
  return names.filter((_name, index) => decisions[index]!.allowed);
}

/** What `/fip help` says with several clouds: which there are, and which this channel acts on. */
export function cloudsHelp(deps: SlackDeps, channelId: string | undefined): string | undefined {
  if (!deps.clouds || !severalClouds(deps)) return undefined;
  const bound = deps.clouds.bound(channelId);
  const names = deps.clouds.names.map((name) => `\`${escapeText(name)}\``).join(', ');
  return `Clouds: ${names}. ${bound ? `Here commands act on \`${escapeText(bound)}\`` : 'This channel is bound to none'}; add \`--cloud NAME\` to any command for another.`;
}

/** A command with `--cloud NAME` in place of any it had. */
export function withCloud(typed: string, name: string): string {
  const without = typed.replace(/(^|\s)--cloud(?:=|\s+)\S+/g, '').trim();
  return `${without}${without ? ' ' : ''}--cloud ${name}`;
}

export function unknownCloudMessage(asked: string, names: readonly string[]): Message {
  const text = `There is no cloud "${escapeText(asked.slice(0, 40))}". The clouds are ${names.map((name) => `\`${name}\``).join(', ')}: add \`--cloud NAME\`.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

function whichCloudMessage(steps: NextStep[], names: readonly string[]): Message {
  if (steps.length === 0) {
    const text = `Which cloud? This channel is bound to none, and fipbot's policy lets you use none of ${names.join(', ')}. Ask whoever runs fipbot.`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const text = `Which cloud? This channel is bound to none: pick one, or add \`--cloud NAME\` to the command.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, ...stepsBlock(steps)] };
}

/**
 * A message as it goes out from a cloud's flow: with several clouds, the cloud named first, and every
 * button that acts again (a next step, a row, a page) carrying it, so a click acts on this cloud from
 * any channel. One cloud: unchanged.
 */
export function namedForCloud<T extends object>(deps: SlackDeps, message: T): T {
  return deps.cloud && severalClouds(deps) ? nameCloud(deps.cloud, message) : message;
}

/** `message` naming cloud `cloud` (see namedForCloud); for the periodic jobs' posts too. */
export function nameCloud<T extends object>(cloud: string, message: T): T {
  const record = message as { blocks?: unknown[]; text?: string };
  if (!Array.isArray(record.blocks)) return message;
  const label = { type: 'context', elements: [{ type: 'mrkdwn', text: `Cloud *${escapeText(cloud)}*` }] };
  return {
    ...message,
    ...(typeof record.text === 'string' ? { text: `[${cloud}] ${record.text}` } : {}),
    blocks: [label, ...record.blocks.map((block) => tagBlock(block, cloud))],
  };
}

/** `respond` for a cloud's flow: what it sends names the cloud. */
export function respondInCloud(deps: SlackDeps, respond: RespondFn): RespondFn {
  if (!deps.cloud || !severalClouds(deps)) return respond;
  return (payload: string | RespondArguments) => respond(typeof payload === 'string' ? payload : namedForCloud(deps, payload));
}

/** The cloud a button or option value carries (see `namedForCloud`), or undefined. */
export function cloudOfValue(value: string | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value ?? '');
    if (Array.isArray(parsed)) return typeof parsed[7] === 'string' ? parsed[7] : undefined;
    if (parsed && typeof parsed === 'object') {
      const { cloud, command } = parsed as { cloud?: unknown; command?: unknown };
      if (typeof cloud === 'string') return cloud;
      if (typeof command === 'string') return /(?:^|\s)--cloud(?:=|\s+)(\S+)/.exec(command)?.[1];
    }
  } catch {
    // Not JSON: a confirmation token, an operation's name.
  }
  return undefined;
}

/** Button and option values are kept within Slack's limits (2,000 and 150 characters); a value that would not fit is left as it was. */
const BUTTON_VALUE_MAX = 2000;
const OPTION_VALUE_MAX = 150;

const OPEN_FORM = `${ACTIONS.openForm}:`;

function tagBlock(block: unknown, cloud: string): unknown {
  if (!block || typeof block !== 'object') return block;
  const b = block as Record<string, unknown>;
  const tagged: Record<string, unknown> = { ...b };
  if (Array.isArray(b.elements)) tagged.elements = b.elements.map((element) => tagElement(element, cloud));
  if (b.accessory) tagged.accessory = tagElement(b.accessory, cloud);
  return tagged;
}

function tagElement(element: unknown, cloud: string): unknown {
  if (!element || typeof element !== 'object') return element;
  const e = element as Record<string, unknown>;
  const out: Record<string, unknown> = { ...e };
  // A form button's value is the operation's name, a reclaim button's a word: each becomes JSON with the cloud.
  if (typeof e.value === 'string' && typeof e.action_id === 'string' && e.action_id.startsWith(OPEN_FORM))
    out.value = JSON.stringify({ operation: e.value, cloud });
  else if (typeof e.value === 'string' && (e.action_id === ACTIONS.reclaimPicked || e.action_id === ACTIONS.reclaimAll))
    out.value = JSON.stringify({ value: e.value, cloud });
  else if (typeof e.value === 'string') out.value = tagValue(e.value, cloud, BUTTON_VALUE_MAX);
  if (Array.isArray(e.options))
    out.options = e.options.map((option: Record<string, unknown>) =>
      typeof option.value === 'string' ? { ...option, value: tagValue(option.value, cloud, OPTION_VALUE_MAX) } : option,
    );
  return out;
}

function tagValue(value: string, cloud: string, max: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  let tagged: string;
  if (Array.isArray(parsed)) tagged = JSON.stringify(parsed.length === 7 ? [...(parsed as unknown[]), cloud] : parsed);
  else if (parsed && typeof parsed === 'object' && 'command' in parsed)
    tagged = JSON.stringify({ ...parsed, command: withCloud(String(parsed.command), cloud) });
  else if (parsed && typeof parsed === 'object') tagged = JSON.stringify({ ...parsed, cloud });
  else return value;
  return tagged.length <= max ? tagged : value;
}
