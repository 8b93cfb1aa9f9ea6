/**
 * The /fip form and the views it turns into: loading (opened at once, the
 * trigger lives 3 s), the form (reshaped when the operation changes),
 * the confirmation, the result and the refusal.
 */
import type { Failure } from '../../floating-ips/failures.js';
import type { PendingAction } from '../pending.js';
import { ACTIONS, BLOCKS, VIEWS } from './ids.js';
import { confirmLabel, describeChange, refusalMessage, summarise } from './messages.js';
import { clip, context, escape, plain, section } from './text.js';

export type FormOperation = 'attach' | 'detach' | 'create' | 'release' | 'explain';

export const FORM_OPERATIONS: Array<[FormOperation, string]> = [
  ['attach', 'Attach a floating IP'],
  ['detach', 'Detach a floating IP'],
  ['create', 'Allocate a new floating IP'],
  ['release', 'Release a floating IP'],
  ['explain', 'Explain an instance'],
];

/** Travels with the modal (private_metadata, <= 3000 chars): where results go. */
export interface FormContext {
  operation: FormOperation;
  channelId?: string;
  responseUrl?: string;
  via: 'command' | 'button' | 'home';
}

/** Preset values, e.g. the IP of the list row whose Attach… was tapped. */
export interface FormPreset {
  ip?: { value: string; label: string };
}

const TITLE = 'Floating IPs';

function option(value: string, text: string) {
  return { text: plain(text, 75), value };
}

export function loadingView(text = 'Loading…') {
  return {
    type: 'modal' as const,
    callback_id: VIEWS.info,
    title: plain(TITLE, 24),
    close: plain('Close', 24),
    blocks: [section(`:hourglass_flowing_sand: ${escape(text)}`)],
  };
}

function externalSelect(blockId: string, actionId: string, label: string, placeholder: string, optional: boolean, initial?: { value: string; label: string }) {
  return {
    type: 'input',
    block_id: blockId,
    optional,
    label: plain(label, 2000),
    element: {
      type: 'external_select',
      action_id: actionId,
      placeholder: plain(placeholder, 150),
      // Instance names are short ("db"), addresses are typed digit by digit: suggest from the first key.
      min_query_length: 0,
      ...(initial ? { initial_option: option(initial.value, initial.label) } : {}),
    },
  };
}

export function formView(form: FormContext, preset: FormPreset = {}) {
  const current = FORM_OPERATIONS.find(([op]) => op === form.operation)!;
  const blocks: unknown[] = [
    {
      type: 'input',
      block_id: BLOCKS.formOperation,
      dispatch_action: true,
      label: plain('What do you want to do?', 2000),
      element: {
        type: 'static_select',
        action_id: ACTIONS.formOperation,
        options: FORM_OPERATIONS.map(([value, text]) => option(value, text)),
        initial_option: option(current[0], current[1]),
      },
    },
  ];
  switch (form.operation) {
    case 'attach':
      blocks.push(
        externalSelect(BLOCKS.formIp, ACTIONS.ipSelect, 'Floating IP', 'Pick a free IP, or "New floating IP"', false, preset.ip),
        externalSelect(BLOCKS.formInstance, ACTIONS.instanceSelect, 'Instance', 'Type a name', false),
        {
          type: 'input',
          block_id: BLOCKS.formFixedIp,
          optional: true,
          label: plain('Fixed IP of the instance', 2000),
          hint: plain('Only when the instance has several addresses the IP could go to.', 2000),
          element: { type: 'plain_text_input', action_id: ACTIONS.fixedIpInput, max_length: 45, placeholder: plain('e.g. 10.0.0.12', 150) },
        },
        externalSelect(BLOCKS.formPool, ACTIONS.poolSelect, 'Pool (new floating IPs only)', 'The pool the instance can reach', true),
      );
      break;
    case 'detach':
      blocks.push(externalSelect(BLOCKS.formIp, ACTIONS.ipSelect, 'Floating IP', 'Pick an attached IP', false, preset.ip));
      break;
    case 'release':
      blocks.push(externalSelect(BLOCKS.formIp, ACTIONS.ipSelect, 'Floating IP', 'Pick the IP to give back', false, preset.ip));
      break;
    case 'create':
      blocks.push(externalSelect(BLOCKS.formPool, ACTIONS.poolSelect, 'Pool', 'Optional: the only pool, or the one your routers use', true));
      break;
    case 'explain':
      blocks.push(externalSelect(BLOCKS.formInstance, ACTIONS.instanceSelect, 'Instance', 'Type a name', false));
      break;
  }
  blocks.push(context('Nothing changes until you confirm on the next screen.'));
  return {
    type: 'modal' as const,
    callback_id: VIEWS.form,
    title: plain(TITLE, 24),
    submit: plain(form.operation === 'explain' ? 'Explain' : 'Next', 24),
    close: plain('Cancel', 24),
    private_metadata: clip(JSON.stringify(form), 3000),
    blocks,
  };
}

/** The plan in the modal: Confirm submits it. The token finds the plan in the interaction store. */
export function confirmView(action: PendingAction, token: string) {
  return {
    type: 'modal' as const,
    callback_id: VIEWS.confirm,
    title: plain('Confirm', 24),
    submit: plain(confirmLabel(action), 24),
    close: plain('Cancel', 24),
    private_metadata: token,
    blocks: [section(`*${escape(summarise(action))}?*`), section(describeChange(action).join('\n')), context('Nothing changes until you confirm.')],
  };
}

/** A read-only view showing a message's blocks (results, refusals, diagnoses). */
export function messageView(title: string, message: { blocks: unknown[] }) {
  return {
    type: 'modal' as const,
    callback_id: VIEWS.info,
    title: plain(title, 24),
    close: plain('Close', 24),
    blocks: message.blocks.slice(0, 100),
  };
}

export function refusalView(failure: Failure) {
  return messageView('Not done', refusalMessage(failure));
}
