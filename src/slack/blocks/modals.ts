/**
 * The /fip form and the views it turns into: loading (opened at once, the
 * trigger lives 3 s), the form (reshaped when the operation changes),
 * the confirmation, the result and the refusal.
 */
import type { OperationWords } from '../../floating-ips/explain.js';
import type { Failure } from '../../floating-ips/failures.js';
import type { AnyOperation, ChangeOperation, FormField, FormSpec } from '../../operations/types.js';
import { ACTIONS, BLOCKS, VIEWS } from './ids.js';
import { LIMITS } from './limits.js';
import { refusalMessage } from './messages.js';
import { clip, code, context, escape, escapeName, plain, section, strong } from './text.js';

/** An operation the form offers (one with a `form` in its registry entry), by name. */
export type FormOperation = string;

/** The form's block and action ids of each field. */
export const FIELD_IDS: Readonly<Record<FormField, { block: string; action: string }>> = {
  ip: { block: BLOCKS.formIp, action: ACTIONS.ipSelect },
  instance: { block: BLOCKS.formInstance, action: ACTIONS.instanceSelect },
  fixedIp: { block: BLOCKS.formFixedIp, action: ACTIONS.fixedIpInput },
  pool: { block: BLOCKS.formPool, action: ACTIONS.poolSelect },
};

/** The operations the form offers, in the order the select lists them. */
export type FormOperations = ReadonlyArray<AnyOperation & { form: FormSpec<unknown> }>;

/** Travels with the modal (private_metadata): the operation shown, and where results go. */
export interface FormContext {
  operation: FormOperation;
  channelId?: string;
  responseUrl?: string;
  via: 'command' | 'button' | 'home';
  /** The cloud the form acts on (several clouds): its typeahead, submission and confirmation use it. */
  cloud?: string;
  /** The floating IP a list row's Attach… chose: the form shows it as text and asks only for the rest. */
  ip?: string;
}

/** What the short attach form knows once an instance is picked: the pick, and its addresses when there is a choice. */
export interface AttachChoice {
  instance?: { value: string; label: string };
  fixedIps?: readonly string[];
}

const TITLE = 'Floating IPs';

function option(value: string, text: string) {
  return { text: plain(text, LIMITS.optionText), value };
}

export function loadingView(text = 'Loading…') {
  return {
    type: 'modal' as const,
    callback_id: VIEWS.info,
    title: plain(TITLE, LIMITS.modalButtonText),
    close: plain('Close', LIMITS.modalButtonText),
    blocks: [section(`:hourglass_flowing_sand: ${escape(text)}`)],
  };
}

function externalSelect(
  blockId: string,
  actionId: string,
  label: string,
  placeholder: string,
  optional: boolean,
  initial?: { value: string; label: string },
  dispatch = false,
) {
  return {
    type: 'input',
    block_id: blockId,
    optional,
    ...(dispatch ? { dispatch_action: true } : {}),
    label: plain(label, LIMITS.inputLabel),
    element: {
      type: 'external_select',
      action_id: actionId,
      placeholder: plain(placeholder, LIMITS.placeholder),
      // Instance names are short ("db"), addresses are typed digit by digit: suggest from the first key.
      min_query_length: 0,
      ...(initial ? { initial_option: option(initial.value, initial.label) } : {}),
    },
  };
}

function fieldBlock(spec: FormSpec<unknown>['fields'][number]) {
  const ids = FIELD_IDS[spec.field];
  if (spec.field === 'fixedIp') {
    return {
      type: 'input',
      block_id: ids.block,
      optional: !spec.required,
      label: plain(spec.label, LIMITS.inputLabel),
      ...(spec.hint ? { hint: plain(spec.hint, LIMITS.inputHint) } : {}),
      // 45: the longest written IPv6 address (an IPv4-mapped one).
      element: {
        type: 'plain_text_input',
        action_id: ids.action,
        max_length: 45,
        placeholder: plain(spec.placeholder, LIMITS.placeholder),
      },
    };
  }
  return externalSelect(ids.block, ids.action, spec.label, spec.placeholder, !spec.required);
}

/** The form showing `form.operation` (one of `operations`), its fields, and the select that reshapes it. */
export function formView(operations: FormOperations, form: FormContext) {
  const current = operations.find((operation) => operation.name === form.operation) ?? operations[0]!;
  const blocks: unknown[] = [
    {
      type: 'input',
      block_id: BLOCKS.formOperation,
      dispatch_action: true,
      label: plain('What do you want to do?', LIMITS.inputLabel),
      element: {
        type: 'static_select',
        action_id: ACTIONS.formOperation,
        options: operations.map((operation) => option(operation.name, operation.form.label)),
        initial_option: option(current.name, current.form.label),
      },
    },
    ...current.form.fields.map((field) => fieldBlock(field)),
    ...noteOf(current),
  ];
  return {
    type: 'modal' as const,
    callback_id: VIEWS.form,
    title: plain(TITLE, LIMITS.modalButtonText),
    submit: plain(current.form.submit, LIMITS.modalButtonText),
    close: plain('Cancel', LIMITS.modalButtonText),
    private_metadata: clip(JSON.stringify({ ...form, operation: current.name }), LIMITS.privateMetadata),
    blocks,
  };
}

/** A change's form promises the confirmation; any other says what it does itself (explain only looks). */
function noteOf(operation: FormOperations[number]) {
  const note = operation.form.note ?? (operation.kind === 'change' ? 'Nothing changes until you confirm on the next screen.' : undefined);
  return note ? [context(escape(note))] : [];
}

/**
 * The form a list row's Attach… opens: the IP is already chosen, so it is
 * text, and the form asks for the instance; picking one dispatches an action
 * (fipbot then looks at its addresses), and only when the IP could go to
 * several of them does the form ask which. Submitting it is the full form's
 * submission, with the IP from private_metadata.
 */
export function attachIpView(operation: FormOperations[number], form: FormContext & { ip: string }, choice: AttachChoice = {}) {
  const field = (name: FormField) => operation.form.fields.find((spec) => spec.field === name);
  const instance = field('instance')!;
  const fixedIp = field('fixedIp');
  const ids = FIELD_IDS.fixedIp;
  const blocks: unknown[] = [
    section(`*${escape(operation.form.label)}:* ${code(form.ip)}`),
    externalSelect(FIELD_IDS.instance.block, FIELD_IDS.instance.action, instance.label, instance.placeholder, false, choice.instance, true),
    ...(choice.fixedIps && choice.fixedIps.length > 1
      ? [
          {
            type: 'input',
            block_id: ids.block,
            label: plain(fixedIp?.label ?? 'Fixed IP', LIMITS.inputLabel),
            hint: plain('The instance has several addresses the floating IP could go to.', LIMITS.inputHint),
            element: {
              type: 'static_select',
              action_id: ids.action,
              placeholder: plain('Pick one of its addresses', LIMITS.placeholder),
              options: choice.fixedIps.slice(0, LIMITS.selectOptions).map((address) => option(address, address)),
            },
          },
        ]
      : []),
    ...noteOf(operation),
  ];
  return {
    type: 'modal' as const,
    callback_id: VIEWS.form,
    title: plain(TITLE, LIMITS.modalButtonText),
    submit: plain(operation.form.submit, LIMITS.modalButtonText),
    close: plain('Cancel', LIMITS.modalButtonText),
    private_metadata: clip(JSON.stringify({ ...form, operation: operation.name }), LIMITS.privateMetadata),
    blocks,
  };
}

/** The plan in the modal: Confirm submits it. The token finds the plan in the interaction store. */
export function confirmView(operation: ChangeOperation, plan: unknown, token: string) {
  return {
    type: 'modal' as const,
    callback_id: VIEWS.confirm,
    title: plain('Confirm', LIMITS.modalButtonText),
    submit: plain(operation.confirmLabel(plan), LIMITS.modalButtonText),
    close: plain('Cancel', LIMITS.modalButtonText),
    private_metadata: token,
    blocks: [
      section(strong(`${escapeName(operation.summary(plan))}?`)),
      section(operation.changes(plan).join('\n')),
      context('Nothing changes until you confirm.'),
    ],
  };
}

/** A read-only view showing a message's blocks (results, refusals, diagnoses). */
export function messageView(title: string, message: { blocks: unknown[] }) {
  return {
    type: 'modal' as const,
    callback_id: VIEWS.info,
    title: plain(title, LIMITS.modalButtonText),
    close: plain('Close', LIMITS.modalButtonText),
    blocks: message.blocks.slice(0, LIMITS.viewBlocks),
  };
}

export function refusalView(failure: Failure, operation: OperationWords) {
  return messageView('Not done', refusalMessage(failure, operation, { steps: false }));
}
