/**
 * Buttons. Every click is acknowledged first; a change-making click claims
 * its key before anything else, so a double tap, a replayed payload or the
 * same click reaching another replica runs the operation once. The buttons
 * give way to "Working…" at once, and the result follows.
 */
import type { App, BlockAction, ButtonAction, RespondFn, StaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { failure } from '../../floating-ips/failures.js';
import { LIST_FILTERS, type ListFilter } from '../../floating-ips/views.js';
import { list, listWithProject } from '../../operations/list/index.js';
import { type ChangeName, OPERATIONS } from '../../operations/registry.js';
import type { ChangeOperation } from '../../operations/types.js';
import { homeErrorView, homeView } from '../blocks/home.js';
import { ACTIONS, rowActionId } from '../blocks/ids.js';
import { listMessage } from '../blocks/list.js';
import {
  alreadyHandledMessage,
  cancelledMessage,
  expiredMessage,
  internalErrorMessage,
  type Message,
  notAllowedMessage,
  refusalMessage,
  workingMessage,
} from '../blocks/messages.js';
import { formView } from '../blocks/modals.js';
import type { SlackDeps } from '../deps.js';
import { postResult, slackError } from '../deliver.js';
import { authorize, executeChange, operationOf, prepareChange, takeOnce } from '../flows/changes.js';
import { FORM_OPERATIONS, formOperation, openForm, readFormContext } from '../flows/form.js';
import type { Actor, PendingInteraction } from '../pending.js';
import { actorOf } from './actor.js';

const rowActionSchema = z.object({
  id: z.string().min(1).max(64),
  address: z.string().max(64),
  revision: z.number().int().optional(),
  portId: z.string().max(64).optional(),
});
const pageSchema = z.object({ filter: z.enum(LIST_FILTERS), page: z.number().int().min(1).max(10_000) });

export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.confirm, async ({ ack, body, action, respond, client }) => {
    await ack();
    await guarded(deps, respond, async () => {
      // Ephemeral confirmations reach only the person who asked; a click claiming another user is forged or
      // misrouted, and must not use up the real one.
      const peeked = await deps.store.peek<PendingInteraction>(action.value ?? '');
      if (peeked && peeked.actor.userId !== body.user.id) {
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
      await confirm(deps, client, respond, body, taken);
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.cancel, async ({ ack, body, action, respond }) => {
    await ack();
    await guarded(deps, respond, async () => {
      // As for Confirm: only the person who asked may use up the confirmation.
      const peeked = await deps.store.peek<PendingInteraction>(action.value ?? '');
      if (peeked && peeked.actor.userId !== body.user.id) {
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

  // Every change a list row offers (its entry has `row`): detach, release.
  for (const operation of OPERATIONS) {
    if (operation.kind !== 'change' || !('row' in operation)) continue;
    const kind = operation.name;
    app.action<BlockAction<ButtonAction>>(rowActionId(kind), async ({ ack, body, action, respond, client }) => {
      await ack();
      const row = rowActionSchema.safeParse(parseJson(action.value));
      if (!row.success) return deps.logger.warn('malformed row action ignored', { user: body.user.id });
      // Same IP, same revision, same action: the same intention, however many times it arrives.
      if (
        !(await deps.store.claim(
          `row:${kind}:${row.data.id}:${row.data.revision ?? row.data.portId ?? ''}`,
          deps.timing.interactions.rowClickClaimMs,
        ))
      ) {
        return deps.logger.info('duplicate row click ignored', { user: body.user.id, action: kind });
      }
      const respondHere = inHome(body) ? undefined : respond;
      await guarded(deps, respondHere, () => rowChange(deps, client, body, respondHere, operation, row.data));
    });
  }

  app.action<BlockAction<ButtonAction>>(ACTIONS.rowAttach, async ({ ack, body, action, client }) => {
    await ack();
    const row = rowActionSchema.safeParse(parseJson(action.value));
    await openForm(
      deps,
      client,
      body.trigger_id,
      { operation: 'attach', via: inHome(body) ? 'home' : 'button', ...formTarget(body) },
      row.success ? { ip: { value: row.data.address, label: row.data.address } } : {},
    );
  });

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.openForm}:`), async ({ ack, body, action, client }) => {
    await ack();
    await openForm(deps, client, body.trigger_id, {
      operation: formOperation(action.value).name,
      via: inHome(body) ? 'home' : 'button',
      ...formTarget(body),
    });
  });

  // `fip_list_page:previous` / `:next` (and the bare id of lists posted before the two were told apart).
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.listPage}(?::|$)`), async ({ ack, body, action, respond, client }) => {
    await ack();
    const page = pageSchema.safeParse(parseJson(action.value));
    if (!page.success) return;
    if (inHome(body)) return publishHome(deps, client, body.user.id, page.data.filter, page.data.page);
    await guarded(deps, respond, async () =>
      respond({ replace_original: true, ...(await listFor(deps, page.data.filter, page.data.page)) }),
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.homeRefresh, async ({ ack, body, action, client }) => {
    await ack();
    const page = pageSchema.safeParse(parseJson(action.value));
    await publishHome(deps, client, body.user.id, page.success ? page.data.filter : 'all', page.success ? page.data.page : 1);
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
        view: formView(FORM_OPERATIONS, { ...form, operation }) as never,
      });
    } catch (error) {
      // hash_conflict: another update won; the person sees that one.
      deps.logger.info('form not reshaped', { error: slackError(error) });
    }
  });
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
  const decision = await authorize(deps, pending.actor, pending.change.operation);
  if (!decision.allowed) return void (await respond({ replace_original: true, ...notAllowedMessage(decision.reason) }));
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
  if (posted) await respond({ delete_original: true });
  else {
    await postResult(
      { client, fetch: deps.fetch, logger: deps.logger },
      { userId: pending.actor.userId, ...(pending.actor.channelId ? { channelId: pending.actor.channelId } : {}) },
      executed.message,
    );
    await respond({ replace_original: true, ...executed.message });
  }
}

/** A change from a list row (detach, release): plan now, but guarded by the revision the person saw. */
async function rowChange(
  deps: SlackDeps,
  client: WebClient,
  body: BlockAction,
  respond: RespondFn | undefined,
  operation: ChangeOperation,
  row: z.infer<typeof rowActionSchema>,
): Promise<void> {
  const actor: Actor = actorOf(body);
  const decision = await authorize(deps, actor, operation.name as ChangeName);
  const tell = async (message: Message) =>
    respond
      ? void (await respond({ replace_original: false, response_type: 'ephemeral', ...message }))
      : postResult({ client, fetch: deps.fetch, logger: deps.logger }, { userId: actor.userId }, message);
  if (!decision.allowed) return tell(notAllowedMessage(decision.reason));

  const prepared = await prepareChange(deps, actor, operation, operation.row!.request(row));
  if (!prepared.ok) return tell(refusalMessage(prepared.failure, operation.words));
  const now = operation.row!.floatingIp(prepared.change.plan);
  if (row.revision !== undefined && now.revision !== undefined && now.revision !== row.revision) {
    // What the dialog promised is no longer what would happen.
    return tell(refusalMessage(failure({ code: 'changed_concurrently', address: now.address }), operation.words));
  }
  if (row.revision !== undefined) now.revision = row.revision;

  if (respond) await respond({ replace_original: true, ...workingMessage(operation, prepared.change.plan) });
  const pending: PendingInteraction = { change: prepared.change, actor, via: respond ? 'button' : 'home' };
  const executed = await executeChange(deps, pending);
  if (!executed.ok) await tell(refusalMessage(executed.failure, operation.words));
  else if (respond) await respond({ response_type: 'in_channel', replace_original: false, ...executed.message });
  else await postResult({ client, fetch: deps.fetch, logger: deps.logger }, { userId: actor.userId }, executed.message);

  // Show the list as it is now.
  if (respond) await respond({ replace_original: true, ...(await listFor(deps, 'all', 1)) });
  else await publishHome(deps, client, actor.userId, 'all', 1);
}

export async function listFor(deps: SlackDeps, filter: ListFilter, page: number): Promise<Message> {
  const listed = await listWithProject(deps.service, filter);
  return listed.ok ? listMessage(listed.value.list, page, listed.value.projectName) : refusalMessage(listed.failure, list.words);
}

export async function publishHome(deps: SlackDeps, client: WebClient, userId: string, filter: ListFilter, page: number): Promise<void> {
  const listed = await listWithProject(deps.service, filter);
  try {
    await client.views.publish({
      user_id: userId,
      view: (listed.ok ? homeView(listed.value.list, page, listed.value.projectName) : homeErrorView(listed.failure, list.words)) as never,
    });
  } catch (error) {
    deps.logger.warn('could not publish the Home tab', { user: userId, error: slackError(error) });
  }
}

/** Runs a click's work; a bug becomes a plain message with a reference, never silence. */
async function guarded(deps: SlackDeps, respond: RespondFn | undefined, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const reference = randomUUID().slice(0, 8);
    deps.logger.error('button handling failed', { reference, error });
    if (respond)
      await respond({ replace_original: false, response_type: 'ephemeral', ...internalErrorMessage(reference) }).catch(() => undefined);
  }
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
