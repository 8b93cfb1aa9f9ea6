/**
 * Buttons. Every click is acknowledged first; a change-making click claims
 * its key before anything else, so a double tap, a replayed payload or the
 * same click reaching another replica runs the operation once. The buttons
 * give way to "Working…" at once, and the result follows.
 */
import type { App, BlockAction, ButtonAction, OverflowAction, RespondFn, StaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { failure } from '../../floating-ips/failures.js';
import { LIST_FILTERS, type ListFilter } from '../../floating-ips/views.js';
import { list, listWithProject } from '../../operations/list/index.js';
import { OPERATIONS } from '../../operations/registry.js';
import type { ChangeOperation } from '../../operations/types.js';
import { homeErrorView, homeNotAllowedView, homeView } from '../blocks/home.js';
import { ACTIONS, readRowMenuValue, rowActionId } from '../blocks/ids.js';
import { listMessage } from '../blocks/list.js';
import {
  alreadyHandledMessage,
  formUnavailableMessage,
  staleButtonMessage,
  cancelledMessage,
  expiredMessage,
  internalErrorMessage,
  type Message,
  notAllowedMessage,
  refusalMessage,
  workingMessage,
} from '../blocks/messages.js';
import { formView } from '../blocks/modals.js';
import { cloudOfValue, inCloud, namedForCloud, respondInCloud, severalClouds, usableClouds } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { postResult, slackError } from '../deliver.js';
import { approvalNeeded, requestApproval } from '../flows/approval.js';
import { authorize, authorizeOperation, executeChange, operationOf, prepareChange, takeOnce } from '../flows/changes.js';
import { DEFAULT_FORM_OPERATION, FORM_OPERATIONS, formOperation, openAttachForm, openForm, readFormContext } from '../flows/form.js';
import type { Actor, PendingInteraction } from '../pending.js';
import { actorOf } from './actor.js';

const pageSchema = z.object({ filter: z.enum(LIST_FILTERS), page: z.number().int().min(1).max(10_000) });
const rowActionSchema = z.object({
  id: z.string().min(1).max(64),
  address: z.string().max(64),
  revision: z.number().int().optional(),
  portId: z.string().max(64).optional(),
  list: pageSchema.optional(),
});

export function registerActions(app: App, root: SlackDeps): void {
  const deps = root;
  app.action<BlockAction<ButtonAction>>(ACTIONS.confirm, async ({ ack, body, action, respond, client }) => {
    await ack();
    await guarded(deps, tellerFor(deps, client, body, respond), async () => {
      // Ephemeral confirmations reach only the person who asked; a click claiming another user is forged or
      // misrouted, and must not use up the real one.
      const peeked = await deps.store.peek<PendingInteraction>(action.value ?? '');
      if (peeked && peeked.actor?.userId !== body.user.id) {
        return void (await respond({
          replace_original: false,
          response_type: 'ephemeral',
          ...notAllowedMessage('This confirmation belongs to someone else.'),
        }));
      }
      const taken = await takeOnce(deps, action.value ?? '');
      // The first tap already replaced these buttons; a late duplicate must not overwrite its progress, but is answered.
      if (taken === 'duplicate') {
        deps.logger.info('duplicate confirmation ignored', { user: body.user.id });
        return void (await respond({ replace_original: false, response_type: 'ephemeral', ...alreadyHandledMessage() }));
      }
      if (taken === 'expired') return void (await respond({ replace_original: true, ...expiredMessage() }));
      // The cloud the confirmation showed, whatever channel the click comes from.
      const inItsCloud = inCloud(root, taken.cloud);
      await confirm(inItsCloud, client, respondInCloud(inItsCloud, respond), body, taken);
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.cancel, async ({ ack, body, action, respond, client }) => {
    await ack();
    await guarded(deps, tellerFor(deps, client, body, respond), async () => {
      // As for Confirm: only the person who asked may use up the confirmation.
      const peeked = await deps.store.peek<PendingInteraction>(action.value ?? '');
      if (peeked && peeked.actor?.userId !== body.user.id) {
        return void (await respond({
          replace_original: false,
          response_type: 'ephemeral',
          ...notAllowedMessage('This confirmation belongs to someone else.'),
        }));
      }
      const taken = await takeOnce(deps, action.value ?? '');
      if (taken === 'duplicate')
        return void (await respond({ replace_original: false, response_type: 'ephemeral', ...alreadyHandledMessage() }));
      await respond({
        replace_original: true,
        ...cancelledMessage(taken === 'expired' ? undefined : operationOf(taken.change).summary(taken.change.plan)),
      });
    });
  });

  // A list row's menu: each option names its operation and carries what the row's button carried.
  app.action<BlockAction<OverflowAction>>(ACTIONS.rowMenu, async ({ ack, body, action, respond, client }) => {
    await ack();
    const picked = readRowMenuValue(action.selected_option?.value);
    const operation = picked && ROW_CHANGES.get(picked.operation);
    const rowDeps = clickCloud(root, body, action.selected_option?.value);
    if (picked?.operation === 'attach') return attachFromRow(rowDeps, client, body, respondInCloud(rowDeps, respond), picked.row);
    if (!picked || !operation) {
      deps.logger.warn('malformed row menu choice ignored', { user: body.user.id });
      return void (await tellActor(deps, client, actorOf(body), inHome(body) ? undefined : respond, staleButtonMessage()));
    }
    await rowClick(rowDeps, client, body, respondInCloud(rowDeps, respond), operation, picked.row);
  });

  // The row buttons of lists posted before the menu: the same work, so an older message still answers.
  for (const operation of ROW_CHANGES.values()) {
    app.action<BlockAction<ButtonAction>>(rowActionId(operation.name), async ({ ack, body, action, respond, client }) => {
      await ack();
      const rowDeps = clickCloud(root, body, action.value);
      await rowClick(rowDeps, client, body, respondInCloud(rowDeps, respond), operation, parseJson(action.value));
    });
  }

  app.action<BlockAction<ButtonAction>>(ACTIONS.rowAttach, async ({ ack, body, action, respond, client }) => {
    await ack();
    const rowDeps = clickCloud(root, body, action.value);
    await attachFromRow(rowDeps, client, body, respondInCloud(rowDeps, respond), parseJson(action.value));
  });

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.openForm}:`), async ({ ack, body, action, respond, client }) => {
    await ack();
    // Home's buttons name their cloud: {"operation", "cloud"} (slack/clouds.ts); older ones the operation alone.
    const named = parseJson(action.value) as { operation?: unknown } | undefined;
    const opened = await openForm(clickCloud(root, body, action.value), client, body.trigger_id, {
      operation: formOperation(typeof named?.operation === 'string' ? named.operation : action.value).name,
      via: inHome(body) ? 'home' : 'button',
      ...formTarget(body),
    });
    if (!opened) await tellerFor(deps, client, body, respond)(formUnavailableMessage());
  });

  // `fip_list_page:previous` / `:next` (and the bare id of lists posted before the two were told apart).
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.listPage}(?::|$)`), async ({ ack, body, action, respond, client }) => {
    await ack();
    const page = pageSchema.safeParse(parseJson(action.value));
    if (!page.success) return tellerFor(deps, client, body, respond)(staleButtonMessage());
    if (inHome(body)) return publishHome(deps, client, body.user.id, page.data.filter, page.data.page, cloudOfValue(action.value));
    const pageDeps = clickCloud(root, body, action.value);
    await guarded(deps, tellerFor(deps, client, body, respond), async () =>
      respondInCloud(
        pageDeps,
        respond,
      )({ replace_original: true, ...(await listFor(pageDeps, actorOf(body), page.data.filter, page.data.page)) }),
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.homeRefresh, async ({ ack, body, action, client }) => {
    await ack();
    const page = pageSchema.safeParse(parseJson(action.value));
    await publishHome(
      deps,
      client,
      body.user.id,
      page.success ? page.data.filter : 'all',
      page.success ? page.data.page : 1,
      cloudOfValue(action.value),
    );
  });

  // The form reshapes itself when the operation changes (the select dispatches block_actions).
  app.action<BlockAction<StaticSelectAction>>(ACTIONS.formOperation, async ({ ack, body, action, client }) => {
    await ack();
    if (!body.view) return;
    const form = readFormContext(body.view.private_metadata);
    const operation = formOperation(action.selected_option.value).name;
    try {
      await client.views.update({
        view_id: body.view.id,
        hash: body.view.hash,
        view: namedForCloud(inCloud(root, form.cloud), formView(FORM_OPERATIONS, { ...form, operation })) as never,
      });
    } catch (error) {
      // hash_conflict: another update won; the person sees that one.
      deps.logger.info('form not reshaped', { error: slackError(error) });
    }
  });
}

/** The cloud a click acts on: the one its value carries (slack/clouds.ts), else the channel's. */
function clickCloud(root: SlackDeps, body: BlockAction, value: string | undefined): SlackDeps {
  const named = cloudOfValue(value);
  return inCloud(root, named && root.clouds?.names.includes(named) ? named : root.clouds?.bound(body.channel?.id));
}

/** Every change a list row offers (its entry has `row`): detach, release. */
const ROW_CHANGES: ReadonlyMap<string, ChangeOperation> = (() => {
  const changes = new Map<string, ChangeOperation>();
  for (const operation of OPERATIONS) if (operation.kind === 'change' && 'row' in operation) changes.set(operation.name, operation);
  return changes;
})();

/** A row's change (menu option or older button): a row that does not read is out of date, and said so. */
async function rowClick(
  deps: SlackDeps,
  client: WebClient,
  body: BlockAction,
  respond: RespondFn,
  operation: ChangeOperation,
  value: unknown,
): Promise<void> {
  const respondHere = inHome(body) ? undefined : respond;
  const row = rowActionSchema.safeParse(value);
  if (!row.success) {
    deps.logger.warn('malformed row action ignored', { user: body.user.id });
    return void (await tellActor(deps, client, actorOf(body), respondHere, staleButtonMessage()));
  }
  await guarded(deps, tellerFor(deps, client, body, respond), () => rowChange(deps, client, body, respondHere, operation, row.data));
}

/** A row's Attach…: the short form (the IP known, only the rest asked); a row value fipbot cannot read: the full form. */
async function attachFromRow(deps: SlackDeps, client: WebClient, body: BlockAction, respond: RespondFn, value: unknown): Promise<void> {
  const row = rowActionSchema.safeParse(value);
  const target = { via: inHome(body) ? ('home' as const) : ('button' as const), ...formTarget(body) };
  const opened =
    row.success && row.data.address
      ? await openAttachForm(deps, client, body.trigger_id, target, row.data.address)
      : await openForm(deps, client, body.trigger_id, { operation: DEFAULT_FORM_OPERATION, ...target });
  // Slack did not open it: without a word the person would wait for a form that never comes.
  if (!opened) await tellerFor(deps, client, body, respond)(formUnavailableMessage());
}

async function confirm(
  deps: SlackDeps,
  client: WebClient,
  respond: RespondFn,
  body: BlockAction,
  pending: PendingInteraction,
): Promise<void> {
  if (pending.actor.userId !== body.user.id)
    return void (await respond({
      replace_original: false,
      response_type: 'ephemeral',
      ...notAllowedMessage('This confirmation belongs to someone else.'),
    }));
  const operation = operationOf(pending.change);
  const decision = await authorizeOperation(deps, pending.actor, operation, { plan: pending.change.plan });
  if (!decision.allowed) return void (await respond({ replace_original: true, ...notAllowedMessage(decision.reason) }));
  // The policy wants a second person: the confirmation becomes the waiting line, the request goes in the channel.
  const need = approvalNeeded(deps, pending.change);
  if (need) {
    const asked = await requestApproval(deps, client, pending, need, {
      ...(body.response_url ? { responseUrl: body.response_url } : {}),
      replace: true,
    });
    return void (await respond({ replace_original: true, ...asked.message }));
  }
  // "Working…" and the change go out together: the click was the consent, and a Slack round trip no longer
  // waits in front of the OpenStack call. Whatever follows is posted after it, so it never hides the result.
  const working = respond({ replace_original: true, ...workingMessage(operation, pending.change.plan) }).then(
    () => undefined,
    (error: unknown) => deps.logger.warn('could not show "Working…"', { error: slackError(error) }),
  );
  const executed = await executeChange(deps, pending);
  await working;
  if (!executed.ok) return void (await respond({ replace_original: true, ...refusalMessage(executed.failure, operation.words) }));
  // The result is for everyone in the channel; the person's own confirmation then goes away.
  const posted = await respond({ response_type: 'in_channel', replace_original: false, ...executed.message }).then(
    () => true,
    () => false,
  );
  // After the change, a failed tidy-up is only logged: saying "something went wrong" now would read as "not done".
  const tidy = (what: string) => (error: unknown) => deps.logger.warn(`could not ${what}`, { error: slackError(error) });
  if (posted) await respond({ delete_original: true }).catch(tidy('remove the confirmation'));
  else {
    await postResult(
      { client, fetch: deps.fetch, logger: deps.logger },
      { userId: pending.actor.userId, ...(pending.actor.channelId ? { channelId: pending.actor.channelId } : {}) },
      executed.message,
    );
    await respond({ replace_original: true, ...executed.message }).catch(tidy('show the result in place of the confirmation'));
  }
}

/** Something for the person who clicked: ephemeral beside the message, or a direct message from Home. */
async function tellActor(
  deps: SlackDeps,
  client: WebClient,
  actor: Actor,
  respond: RespondFn | undefined,
  message: Message,
): Promise<void> {
  if (respond) await respond({ replace_original: false, response_type: 'ephemeral', ...message });
  else await postResult({ client, fetch: deps.fetch, logger: deps.logger }, { userId: actor.userId }, message);
}

/**
 * A change from a list row (detach, release): the policy first, then the claim (same IP, same revision,
 * same action: one intention, however often it arrives), then a plan guarded by the revision the person
 * saw. A claim whose work changed nothing is given back, so the button works again; every tap is answered.
 */
async function rowChange(
  deps: SlackDeps,
  client: WebClient,
  body: BlockAction,
  respond: RespondFn | undefined,
  operation: ChangeOperation,
  row: z.infer<typeof rowActionSchema>,
): Promise<void> {
  const actor: Actor = actorOf(body);
  const tell = (message: Message) => tellActor(deps, client, actor, respond, message);
  const request = operation.row!.request(row);
  const decision = await authorizeOperation(deps, actor, operation, { request });
  if (!decision.allowed) return tell(notAllowedMessage(decision.reason));

  const claim = `row:${operation.name}:${row.id}:${row.revision ?? row.portId ?? ''}`;
  if (!(await deps.store.claim(claim, deps.timing.interactions.rowClickClaimMs))) {
    deps.logger.info('duplicate row click ignored', { user: actor.userId, action: operation.name });
    return tell(alreadyHandledMessage());
  }
  const { filter, page } = row.list ?? { filter: 'all', page: 1 };
  // The page the row was on, as it is now (to whoever may see it); in a channel it replaces "Working…".
  const showListAgain = async (instead: Message) => {
    if (respond) await respond({ replace_original: true, ...(await listFor(deps, actor, filter, page, instead)) });
    else await publishHome(deps, client, actor.userId, filter, page);
  };
  let keepClaim = false;
  try {
    const prepared = await prepareChange(deps, actor, operation, request);
    if (!prepared.ok) return await tell(refusalMessage(prepared.failure, operation.words));
    const now = operation.row!.floatingIp(prepared.change.plan);
    if (row.revision !== undefined && now.revision !== undefined && now.revision !== row.revision) {
      // What the dialog promised is no longer what would happen.
      return await tell(refusalMessage(failure({ code: 'changed_concurrently', address: now.address }), operation.words));
    }
    if (row.revision !== undefined) now.revision = row.revision;

    const need = approvalNeeded(deps, prepared.change);
    if (need) {
      // The row's dialog was the requester's confirmation; the plan, guarded by the revision they saw, waits for the approver.
      const pending: PendingInteraction = { change: prepared.change, actor, via: respond ? 'button' : 'home' };
      const place = respond && body.response_url ? { responseUrl: body.response_url, replace: false } : {};
      return await tell((await requestApproval(deps, client, pending, need, place)).message);
    }
    if (respond) await respond({ replace_original: true, ...workingMessage(operation, prepared.change.plan) });
    const pending: PendingInteraction = {
      change: prepared.change,
      actor,
      via: respond ? 'button' : 'home',
      ...(deps.cloud ? { cloud: deps.cloud } : {}),
    };
    const executed = await executeChange(deps, pending);
    // Done, or perhaps done: a second tap must not send it again (its revision guard would refuse it anyway).
    keepClaim = executed.ok || executed.failure.changed === 'unknown';
    const outcome = executed.ok ? executed.message : refusalMessage(executed.failure, operation.words);
    if (!executed.ok) await tell(outcome);
    else {
      // The result for the channel; if its response_url refuses, posted by the Web API or sent to the person.
      const posted = respond
        ? await respond({ response_type: 'in_channel', replace_original: false, ...executed.message }).then(
            () => true,
            () => false,
          )
        : false;
      if (!posted)
        await postResult(
          { client, fetch: deps.fetch, logger: deps.logger },
          { userId: actor.userId, ...(actor.channelId ? { channelId: actor.channelId } : {}) },
          executed.message,
        );
    }
    // The list again, after the change: a failure to show it is logged, never reported as the change failing.
    await showListAgain(outcome).catch((error: unknown) => deps.logger.warn('could not show the list again', { error: slackError(error) }));
  } finally {
    if (!keepClaim)
      await deps.store.release(claim).catch((error: unknown) => deps.logger.warn('could not give a row claim back', { error }));
  }
}

/** A page of the list for `actor`, or why not (the policy); `instead` stands in for a list they may not see. */
export async function listFor(deps: SlackDeps, actor: Actor, filter: ListFilter, page: number, instead?: Message): Promise<Message> {
  const decision = await authorize(deps, actor, 'list');
  if (!decision.allowed) return instead ?? notAllowedMessage(decision.reason);
  const listed = await listWithProject(deps.service, filter);
  return listed.ok
    ? listMessage(listed.value.list, page, listed.value.projectName, deps.now())
    : refusalMessage(listed.failure, list.words);
}

/**
 * The Home tab for the person: their floating IPs when the policy lets them list, else why not. With several
 * clouds, one section per cloud they may list (`pagedCloud` shows `page`, the others their first page).
 */
export async function publishHome(
  root: SlackDeps,
  client: WebClient,
  userId: string,
  filter: ListFilter,
  page: number,
  pagedCloud?: string,
): Promise<void> {
  if (severalClouds(root)) return publishHomeOfClouds(root, client, userId, filter, page, pagedCloud);
  const deps = root;
  const decision = await authorize(deps, { userId, teamId: '' }, 'list');
  const [listed, room] = decision.allowed ? await Promise.all([listWithProject(deps.service, filter), deps.service.room()]) : [];
  const view = !decision.allowed
    ? homeNotAllowedView(decision.reason)
    : listed!.ok
      ? homeView(listed!.value.list, page, listed!.value.projectName, deps.now(), room?.ok ? room.value : undefined)
      : homeErrorView(listed!.failure, list.words);
  try {
    await client.views.publish({ user_id: userId, view: view as never });
  } catch (error) {
    deps.logger.warn('could not publish the Home tab', { user: userId, error: slackError(error) });
  }
}

/** Home's Block Kit allows 100 blocks: the clouds past it are left for the person to see with `/fip list --cloud`. */
const HOME_BLOCKS = 100;

async function publishHomeOfClouds(
  root: SlackDeps,
  client: WebClient,
  userId: string,
  filter: ListFilter,
  page: number,
  pagedCloud: string | undefined,
): Promise<void> {
  const visible = await usableClouds(root, { userId }, 'list');
  const sections = await Promise.all(
    visible.map(async (name) => {
      const deps = inCloud(root, name);
      const shown = name === pagedCloud ? page : 1;
      const [listed, room] = await Promise.all([listWithProject(deps.service, name === pagedCloud ? filter : 'all'), deps.service.room()]);
      const view = listed.ok
        ? homeView(listed.value.list, shown, listed.value.projectName, deps.now(), room.ok ? room.value : undefined)
        : homeErrorView(listed.failure, list.words);
      return namedForCloud(deps, view).blocks;
    }),
  );
  const blocks: unknown[] = [];
  for (const section of sections) {
    if (blocks.length + section.length + 1 > HOME_BLOCKS) break;
    // One primary button per view: the first cloud's section keeps it.
    blocks.push(...(blocks.length > 0 ? [{ type: 'divider' }, ...section.map(withoutPrimary)] : section));
  }
  const view =
    visible.length === 0
      ? homeNotAllowedView(`fipbot's policy lets you see none of the clouds (${root.clouds!.names.join(', ')}).`)
      : { type: 'home' as const, blocks };
  try {
    await client.views.publish({ user_id: userId, view: view as never });
  } catch (error) {
    root.logger.warn('could not publish the Home tab', { user: userId, error: slackError(error) });
  }
}

function withoutPrimary(block: unknown): unknown {
  const b = block as { elements?: unknown[] };
  if (!Array.isArray(b.elements)) return block;
  return {
    ...b,
    elements: b.elements.map((element) => {
      if (!element || typeof element !== 'object' || (element as { style?: string }).style !== 'primary') return element;
      const { style: _style, ...rest } = element as Record<string, unknown>;
      return rest;
    }),
  };
}

/** Runs a click's work; a bug becomes a plain message with a reference, never silence. */
async function guarded(deps: SlackDeps, tell: (message: Message) => Promise<void>, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const reference = randomUUID().slice(0, 8);
    deps.logger.error('button handling failed', { reference, error });
    await tell(internalErrorMessage(reference)).catch(() => undefined);
  }
}

/** Says something to the person who clicked: beside the message they clicked in, or (Home) directly. */
function tellerFor(
  deps: SlackDeps,
  client: WebClient,
  body: BlockAction,
  respond: RespondFn | undefined,
): (message: Message) => Promise<void> {
  return (message) => tellActor(deps, client, actorOf(body), inHome(body) ? undefined : respond, message);
}

function inHome(body: BlockAction): boolean {
  return body.container?.type === 'view' && body.view?.type === 'home';
}

/** Where the form's result goes: the channel of the message the button sat in, or (Home) the person. */
function formTarget(body: BlockAction): { channelId?: string; responseUrl?: string } {
  return {
    ...(body.channel?.id ? { channelId: body.channel.id } : {}),
    ...(body.response_url ? { responseUrl: body.response_url } : {}),
  };
}

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
