/**
 * Typeahead for the form's external selects (block_suggestion). Answered
 * within Slack's 3 s: instance search is one Nova query with a limit, IP
 * search one Neutron listing with names from the cache only.
 */
import type { App } from '@slack/bolt';
import type { Outcome } from '../../floating-ips/failures.js';
import type { FloatingIpView } from '../../floating-ips/views.js';
import { withinBudget } from '../ack-budget.js';
import { ACTIONS } from '../blocks/ids.js';
import { LIMITS } from '../blocks/limits.js';
import { plain } from '../blocks/text.js';
import { inCloud } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { authorize, authorizeOperation } from '../flows/changes.js';
import { formOperation, readFormContext } from '../flows/form.js';

const MAX_OPTIONS = LIMITS.optionsResponse;

function option(text: string, value: string) {
  return { text: plain(text, LIMITS.optionText), value: value.slice(0, LIMITS.optionValue) };
}

function ipLabel(fip: FloatingIpView): string {
  if (!fip.attachment) return `${fip.address} (free, ${fip.pool.name})`;
  return `${fip.address} → ${fip.attachment.instance?.name ?? fip.attachment.deviceOwner ?? 'a port'}`;
}

/**
 * Suggestions are only useful inside Slack's 3 s: when OpenStack (or a
 * user-group lookup for the policy) is slower than the budget, the person
 * gets no suggestions (and may keep typing) rather than an error in the
 * menu. They are floating IPs and instances of the project: the person must
 * be allowed the form's operation, and to list floating IPs for IPs.
 */
async function suggest<T>(
  deps: SlackDeps,
  what: string,
  body: SuggestionBody,
  alsoList: boolean,
  find: () => Promise<Outcome<T>>,
): Promise<T | undefined> {
  const form = readFormContext(body.view?.private_metadata);
  const actor = { userId: body.user.id, teamId: body.team?.id ?? '', ...(form.channelId ? { channelId: form.channelId } : {}) };
  const work = (async (): Promise<Outcome<T> | 'not allowed'> => {
    const operation = formOperation(form.operation);
    const decisions = await Promise.all([
      authorizeOperation(deps, actor, operation),
      alsoList ? authorize(deps, actor, 'list') : ({ allowed: true } as const),
    ]);
    return decisions.every((decision) => decision.allowed) ? find() : 'not allowed';
  })();
  const found = await withinBudget(work, deps.timing.slack.ackBudgetMs);
  if (found === undefined) deps.logger.warn(`${what} suggestions took too long; answered with none`);
  else if (found === 'not allowed')
    deps.logger.info(`${what} suggestions not allowed by the policy; answered with none`, { user: actor.userId });
  else if (!found.ok) deps.logger.warn(`${what} suggestions failed`, { failure: found.failure.code });
  return found !== undefined && found !== 'not allowed' && found.ok ? found.value : undefined;
}

interface SuggestionBody {
  user: { id: string };
  team?: { id: string } | null;
  view?: { private_metadata?: string };
  value?: string;
}

/** The form's cloud: the one it recorded when it opened, else the channel's. */
function formDeps(root: SlackDeps, body: SuggestionBody): SlackDeps {
  const form = readFormContext(body.view?.private_metadata);
  return inCloud(root, form.cloud ?? root.clouds?.bound(form.channelId));
}

export function registerOptions(app: App, root: SlackDeps): void {
  app.options(ACTIONS.ipSelect, async ({ ack, body }) => {
    const deps = formDeps(root, body);
    // Which IPs to suggest, and whether "New floating IP" is one: the operation's form says.
    const picker = formOperation(readFormContext(body.view?.private_metadata).operation).form.ipPicker ?? {
      filter: 'all',
      offersNew: false,
    };
    const typed = body.value ?? '';
    const found = await suggest(deps, 'floating IP', body, true, () => deps.service.searchFloatingIps(typed, picker.filter, MAX_OPTIONS));
    const options = (found ?? []).map((fip) => option(ipLabel(fip), fip.address));
    if (picker.offersNew && 'new floating ip'.includes(typed.toLowerCase().trim()))
      options.unshift(option('New floating IP (allocate one now)', 'new'));
    await ack({ options: options.slice(0, MAX_OPTIONS) });
  });

  app.options(ACTIONS.instanceSelect, async ({ ack, body }) => {
    const deps = formDeps(root, body);
    const found = await suggest(deps, 'instance', body, false, () => deps.service.searchInstances(body.value ?? '', MAX_OPTIONS));
    // The id is the value: two instances may share a name, an id never. Found by address: the address says why.
    await ack({
      options: (found ?? []).map((server) => option(server.address ? `${server.name} (${server.address})` : server.name, server.id)),
    });
  });

  app.options(ACTIONS.poolSelect, async ({ ack, body }) => {
    const deps = formDeps(root, body);
    const pools = await suggest(deps, 'pool', body, false, () => deps.service.listPools());
    const typed = (body.value ?? '').toLowerCase();
    await ack({
      options: (pools ?? [])
        .filter((pool) => pool.name.toLowerCase().includes(typed))
        .slice(0, MAX_OPTIONS)
        .map((pool) => option(pool.name, pool.name)),
    });
  });
}
