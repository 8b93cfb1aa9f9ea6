/**
 * The /fip form: open it (first call after the trigger), read its values,
 * and turn a submission into a plan, an inline field error, or an
 * explanation. Field errors are only possible in the ack itself, so the
 * submission waits for OpenStack up to a budget below Slack's 3 s; past it,
 * the modal shows "Checking…" and is updated when the answer comes.
 */
import { isIP } from 'node:net';
import type { WebClient } from '@slack/web-api';
import type { Failure } from '../../floating-ips/failures.js';
import { BLOCKS, ACTIONS } from '../blocks/ids.js';
import { alreadyAttachedMessage, diagnosisMessage } from '../blocks/messages.js';
import { confirmView, formView, type FormContext, type FormOperation, type FormPreset, messageView, refusalView } from '../blocks/modals.js';
import type { SlackDeps } from '../deps.js';
import { slackError } from '../deliver.js';
import type { Actor, PendingInteraction } from '../pending.js';
import { type ChangeRequest, prepareChange } from './changes.js';

/** Opens the form; false when Slack refused (the caller may still have a response_url to say so). */
export async function openForm(deps: SlackDeps, client: WebClient, triggerId: string, form: FormContext, preset: FormPreset = {}): Promise<boolean> {
  try {
    await client.views.open({ trigger_id: triggerId, view: formView(form, preset) as never });
    return true;
  } catch (error) {
    // expired_trigger_id: Slack took too long to deliver the click; nothing to show it in.
    deps.logger.warn('could not open the form', { error: slackError(error) });
    return false;
  }
}

export function readFormContext(privateMetadata: string | undefined): FormContext {
  try {
    const parsed = JSON.parse(privateMetadata ?? '') as Partial<FormContext>;
    const operation = (['attach', 'detach', 'create', 'release', 'explain'] as const).find((op) => op === parsed.operation) ?? 'attach';
    return {
      operation,
      via: parsed.via === 'home' || parsed.via === 'button' ? parsed.via : 'command',
      ...(typeof parsed.channelId === 'string' ? { channelId: parsed.channelId } : {}),
      // private_metadata comes back inside Slack's signed payload: it is what we put there.
      ...(typeof parsed.responseUrl === 'string' ? { responseUrl: parsed.responseUrl } : {}),
    };
  } catch {
    return { operation: 'attach', via: 'command' };
  }
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

function valueOf(values: StateValues, block: string, action: string): string | undefined {
  const entry = values[block]?.[action];
  const value = entry?.selected_option?.value ?? entry?.value ?? undefined;
  return value === null || value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The operation the form shows, and the request its values make (or the field that is missing). */
export function readForm(operation: FormOperation, values: StateValues): { request: ChangeRequest | { kind: 'explain'; instance: string } } | { errors: Record<string, string> } {
  const ip = valueOf(values, BLOCKS.formIp, ACTIONS.ipSelect);
  const instance = valueOf(values, BLOCKS.formInstance, ACTIONS.instanceSelect);
  const pool = valueOf(values, BLOCKS.formPool, ACTIONS.poolSelect);
  const fixedIp = valueOf(values, BLOCKS.formFixedIp, ACTIONS.fixedIpInput);
  const errors: Record<string, string> = {};
  if ((operation === 'attach' || operation === 'detach' || operation === 'release') && !ip) errors[BLOCKS.formIp] = 'Pick a floating IP.';
  if ((operation === 'attach' || operation === 'explain') && !instance) errors[BLOCKS.formInstance] = 'Pick an instance.';
  if (fixedIp && isIP(fixedIp) === 0) errors[BLOCKS.formFixedIp] = `"${fixedIp}" is not an IP address.`;
  if (operation === 'attach' && pool && ip !== 'new') errors[BLOCKS.formPool] = 'Only a new floating IP takes a pool: an existing one already belongs to its pool.';
  if (Object.keys(errors).length) return { errors };
  switch (operation) {
    case 'attach':
      return { request: { kind: 'attach', ip: ip!, instance: instance!, ...(fixedIp ? { fixedIp } : {}), ...(pool ? { pool } : {}) } };
    case 'detach':
      return { request: { kind: 'detach', ip: ip! } };
    case 'release':
      return { request: { kind: 'release', ip: ip! } };
    case 'create':
      return { request: { kind: 'allocate', ...(pool ? { pool } : {}) } };
    case 'explain':
      return { request: { kind: 'explain', instance: instance! } };
  }
}

/** Failures that belong to one field of the form: shown on it, inline. */
export function fieldErrorOf(failure: Failure): Record<string, string> | undefined {
  switch (failure.code) {
    case 'instance_not_found':
      return { [BLOCKS.formInstance]: `No instance called "${failure.query}" in this project.` };
    case 'instance_ambiguous':
      return { [BLOCKS.formInstance]: `${failure.matches.length} instances are called "${failure.query}": use one's ID.` };
    case 'invalid_address':
      return { [BLOCKS.formIp]: `"${failure.input}" is not a floating IP address.` };
    case 'floating_ip_not_found':
      return { [BLOCKS.formIp]: `${failure.address || 'That IP'} is not a floating IP of this project (released already?).` };
    case 'pool_not_found':
      return { [BLOCKS.formPool]: `No pool called "${failure.query}".` };
    case 'not_a_pool':
      return { [BLOCKS.formPool]: `"${failure.network.name}" is a network, not a floating-IP pool.` };
    case 'fixed_ip_not_on_instance':
      return { [BLOCKS.formFixedIp]: `${failure.fixedIp} is not an address of ${failure.instance.name} (it has ${failure.addresses.join(', ') || 'none'}).` };
    default:
      return undefined;
  }
}

export type SubmissionAnswer =
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: unknown };

/** What the modal shows after a submission: the confirmation, a refusal, or a diagnosis. */
export async function answerSubmission(deps: SlackDeps, actor: Actor, form: FormContext, request: ChangeRequest | { kind: 'explain'; instance: string }): Promise<SubmissionAnswer> {
  if (request.kind === 'explain') {
    const diagnosis = await deps.service.diagnose(request.instance);
    if (!diagnosis.ok) return fieldErrorOf(diagnosis.failure) ? { response_action: 'errors', errors: fieldErrorOf(diagnosis.failure)! } : { response_action: 'update', view: refusalView(diagnosis.failure) };
    return { response_action: 'update', view: messageView('Explanation', diagnosisMessage(diagnosis.value)) };
  }
  const prepared = await prepareChange(deps, actor, request);
  if (!prepared.ok) {
    const errors = fieldErrorOf(prepared.failure);
    return errors ? { response_action: 'errors', errors } : { response_action: 'update', view: refusalView(prepared.failure) };
  }
  if (prepared.alreadyDone && prepared.action.kind === 'attach') {
    // The message the slash command shows: it escapes the instance name, which comes from the cloud ("<!channel>" is a valid server name).
    return { response_action: 'update', view: messageView('Nothing to do', alreadyAttachedMessage(prepared.action)) };
  }
  const pending: PendingInteraction = {
    action: prepared.action,
    actor,
    via: form.via === 'home' ? 'home' : 'modal',
    ...(form.responseUrl ? { responseUrl: form.responseUrl } : {}),
    ...(form.channelId ? { resultChannel: form.channelId } : {}),
  };
  const token = await deps.store.put(pending, deps.timing.interactions.planTtlMs);
  return { response_action: 'update', view: confirmView(prepared.action, token) };
}
