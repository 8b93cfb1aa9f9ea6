/**
 * The /fip form: open it (first call after the trigger), read its values,
 * and turn a submission into a plan, an inline field error, or an answer.
 * Which operations it offers and which fields each shows come from the
 * registry (an entry's `form`). Field errors are only possible in the ack
 * itself, so the submission waits for OpenStack up to a budget below
 * Slack's 3 s; past it, the modal shows "Checking…" and is updated when the
 * answer comes.
 */
import { isIP } from 'node:net';
import type { WebClient } from '@slack/web-api';
import type { Failure } from '../../floating-ips/failures.js';
import { OPERATIONS } from '../../operations/registry.js';
import type { AnyOperation, FormField, FormSpec, FormValues } from '../../operations/types.js';
import { BLOCKS } from '../blocks/ids.js';
import {
  type AttachChoice,
  attachIpView,
  confirmView,
  FIELD_IDS,
  formView,
  type FormContext,
  type FormOperations,
  messageView,
  refusalView,
} from '../blocks/modals.js';
import { namedForCloud } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { slackError } from '../deliver.js';
import type { Actor, PendingInteraction } from '../pending.js';
import { prepareChange } from './changes.js';

/** The operations with a form, in registry order. */
export const FORM_OPERATIONS: FormOperations = (OPERATIONS as readonly AnyOperation[]).filter(
  (operation): operation is FormOperations[number] => operation.form !== undefined,
);

/** What the bare /fip form opens on. */
export const DEFAULT_FORM_OPERATION = 'attach';

/** The form entry named, or the default one. */
export function formOperation(name: string | undefined): FormOperations[number] {
  return (
    FORM_OPERATIONS.find((operation) => operation.name === name) ??
    FORM_OPERATIONS.find((operation) => operation.name === DEFAULT_FORM_OPERATION)!
  );
}

/** Opens the form; false when Slack refused (the caller may still have a response_url to say so). */
export async function openForm(deps: SlackDeps, client: WebClient, triggerId: string, form: FormContext): Promise<boolean> {
  try {
    const inForm = deps.cloud ? { ...form, cloud: deps.cloud } : form;
    await client.views.open({ trigger_id: triggerId, view: namedForCloud(deps, formView(FORM_OPERATIONS, inForm)) as never });
    return true;
  } catch (error) {
    // expired_trigger_id: Slack took too long to deliver the click; nothing to show it in.
    deps.logger.warn('could not open the form', { error: slackError(error) });
    return false;
  }
}

/** Where the form was opened from and where its result goes (the list row's channel and response_url, or Home). */
export type FormTarget = Pick<FormContext, 'via' | 'channelId' | 'responseUrl'>;

/**
 * A list row's (or the Home tab's) Attach…: the short form, the IP given as text, asking only for the
 * instance (and the fixed IP when there is a choice). False when Slack refused to open it.
 */
export async function openAttachForm(
  deps: SlackDeps,
  client: WebClient,
  triggerId: string,
  target: FormTarget,
  ip: string,
): Promise<boolean> {
  const form = { ...target, operation: DEFAULT_FORM_OPERATION, ip, ...(deps.cloud ? { cloud: deps.cloud } : {}) };
  try {
    await client.views.open({
      trigger_id: triggerId,
      view: namedForCloud(deps, attachIpView(formOperation(form.operation), form)) as never,
    });
    return true;
  } catch (error) {
    deps.logger.warn('could not open the form', { error: slackError(error) });
    return false;
  }
}

/** The form's context from its private_metadata; an operation the form does not offer reads as the default. */
export function readFormContext(privateMetadata: string | undefined): FormContext {
  try {
    const parsed = JSON.parse(privateMetadata ?? '') as Partial<FormContext>;
    return {
      operation: formOperation(typeof parsed.operation === 'string' ? parsed.operation : undefined).name,
      via: parsed.via === 'home' || parsed.via === 'button' ? parsed.via : 'command',
      ...(typeof parsed.channelId === 'string' ? { channelId: parsed.channelId } : {}),
      // private_metadata comes back inside Slack's signed payload: it is what we put there.
      ...(typeof parsed.responseUrl === 'string' ? { responseUrl: parsed.responseUrl } : {}),
      ...(typeof parsed.cloud === 'string' && parsed.cloud.length <= 64 ? { cloud: parsed.cloud } : {}),
      ...(typeof parsed.ip === 'string' && parsed.ip !== '' && parsed.ip.length <= MAX_ADDRESS ? { ip: parsed.ip } : {}),
    };
  } catch {
    return { operation: DEFAULT_FORM_OPERATION, via: 'command' };
  }
}

/** The longest written IP address (an IPv4-mapped IPv6 one). */
const MAX_ADDRESS = 45;

type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

function valueOf(values: StateValues, field: FormField): string | undefined {
  const entry = values[FIELD_IDS[field].block]?.[FIELD_IDS[field].action];
  const value = entry?.selected_option?.value ?? entry?.value ?? undefined;
  return value === null || value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** What an empty required field says. */
const MISSING: Record<FormField, string> = {
  ip: 'Pick a floating IP.',
  instance: 'Pick an instance.',
  fixedIp: 'Type the fixed IP.',
  pool: 'Pick a pool.',
};

/** The values the form holds as text rather than fields (the short attach form's IP). */
export function givenValues(form: FormContext): FormValues {
  return form.ip ? { ip: form.ip } : {};
}

/**
 * The request the form's values make for `operation`, or the fields that are missing or wrong (block id ->
 * message). `given`: values the form shows as text, not as fields.
 */
export function readForm(
  operation: AnyOperation & { form: FormSpec<unknown> },
  state: StateValues,
  given: FormValues = {},
): { request: unknown } | { errors: Record<string, string> } {
  const values: FormValues = {};
  const errors: Partial<Record<FormField, string>> = {};
  for (const { field, required } of operation.form.fields) {
    const value = given[field] ?? valueOf(state, field);
    if (value !== undefined) values[field] = value;
    else if (required) errors[field] = MISSING[field];
  }
  if (values.fixedIp && isIP(values.fixedIp) === 0) errors.fixedIp = `"${values.fixedIp}" is not an IP address.`;
  // The operation's own checks run too, so that every wrong field is marked at once.
  const read = operation.form.read(values);
  const all = { ...errors, ...('errors' in read ? read.errors : {}) };
  if (Object.keys(all).length === 0 && 'request' in read) return read;
  return { errors: Object.fromEntries(Object.entries(all).map(([field, message]) => [FIELD_IDS[field as FormField].block, message])) };
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
      return {
        [BLOCKS.formFixedIp]: `${failure.fixedIp} is not an address of ${failure.instance.name} (it has ${failure.addresses.join(', ') || 'none'}).`,
      };
    default:
      return undefined;
  }
}

/** The addresses a floating IP could go to, when there are several (failure several_targets), else none. */
export function addressesOf(failure: Failure): string[] {
  return failure.code === 'several_targets' ? failure.targets.map((target) => target.address) : [];
}

/**
 * The short attach form after an instance is picked: asks for the fixed IP when the IP could go to several
 * of its addresses. The plan is read and dropped (nothing changes); the caller has asked the policy.
 */
export async function attachChoice(
  deps: SlackDeps,
  actor: Actor,
  form: FormContext & { ip: string },
  instance: { value: string; label: string },
): Promise<AttachChoice> {
  const operation = formOperation(form.operation);
  if (operation.kind !== 'change') return { instance };
  const read = operation.form.read({ ip: form.ip, instance: instance.value });
  if (!('request' in read)) return { instance };
  const prepared = await prepareChange(deps, actor, operation, read.request);
  return { instance, fixedIps: prepared.ok ? [] : addressesOf(prepared.failure) };
}

export type SubmissionAnswer = { response_action: 'errors'; errors: Record<string, string> } | { response_action: 'update'; view: unknown };

/** What the modal shows after a submission: the confirmation, a refusal, or the operation's answer. */
export async function answerSubmission(
  deps: SlackDeps,
  actor: Actor,
  form: FormContext,
  operation: AnyOperation,
  request: unknown,
): Promise<SubmissionAnswer> {
  const refused = (failure: Failure): SubmissionAnswer => {
    const errors = fieldErrorOf(failure);
    // The short attach form: the IP could go to several addresses, so it now asks which (the instance stays picked).
    if (form.ip && failure.code === 'several_targets') {
      const choice = { instance: { value: failure.instance.id, label: failure.instance.name }, fixedIps: addressesOf(failure) };
      return { response_action: 'update', view: attachIpView(formOperation(operation.name), { ...form, ip: form.ip }, choice) };
    }
    // An error can only be shown on a field the modal has; the short form's IP is text.
    const shown = errors && (!form.ip || !(BLOCKS.formIp in errors)) ? errors : undefined;
    return shown
      ? { response_action: 'errors', errors: shown }
      : { response_action: 'update', view: refusalView(failure, operation.words) };
  };
  if (operation.kind === 'read') {
    const outcome = await operation.run(deps.service, request);
    return outcome.ok
      ? { response_action: 'update', view: messageView(operation.answerTitle, operation.render(outcome.value, deps.now())) }
      : refused(outcome.failure);
  }
  const prepared = await prepareChange(deps, actor, operation, request);
  if (!prepared.ok) return refused(prepared.failure);
  // The message the slash command shows: it escapes names that come from the cloud ("<!channel>" is a valid server name).
  if (prepared.alreadyDone) return { response_action: 'update', view: messageView('Nothing to do', prepared.alreadyDone) };
  const pending: PendingInteraction = {
    change: prepared.change,
    actor,
    via: form.via === 'home' ? 'home' : 'modal',
    ...(form.responseUrl ? { responseUrl: form.responseUrl } : {}),
    ...(form.channelId ? { resultChannel: form.channelId } : {}),
    ...(deps.cloud ? { cloud: deps.cloud } : {}),
  };
  const token = await deps.store.put(pending, deps.timing.interactions.planTtlMs);
  return { response_action: 'update', view: confirmView(operation, prepared.change.plan, token) };
}
