/**
 * `view.state.values` exactly as Slack builds it on submission: one entry per
 * stateful element, keyed block_id then action_id, shaped by element type
 * (plain_text_input -> {type, value}; static/external select and radio ->
 * {type, selected_option}; multi-selects and checkboxes -> selected_options;
 * pickers -> selected_user / selected_conversation / selected_date ...).
 * Elements the user left alone carry their initial value, or null.
 * Shapes: "Reference: view_submission payloads" and the 2020-09 changelog
 * "A full state on view submission and block actions" (docs.slack.dev).
 */
import { findOption, isJson, placedElements, str, textOf, type Json, type PlacedElement } from './blocks.js';

/** What a test types or picks: text, an option (value or visible text), several, an external option, or null to clear. */
export type InputValue = string | string[] | { text: string; value: string } | null;

/** Keys may be "block_id.action_id", a block_id or an action_id. */
export type InputValues = Record<string, InputValue>;

const TEXT_INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_input']);
const SINGLE_PICKS: Record<string, string> = {
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
};
const MULTI_PICKS: Record<string, string> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};

export interface ViewState {
  values: Record<string, Record<string, Json>>;
  /** Required inputs left empty: Slack's client would not submit. */
  missing: string[];
}

function lookup(values: InputValues, placed: PlacedElement, used: Set<string>): InputValue | undefined {
  for (const key of [`${placed.blockId}.${placed.actionId}`, placed.blockId, placed.actionId]) {
    if (key in values) {
      used.add(key);
      return values[key];
    }
  }
  return undefined;
}

function externalOption(value: string | { text: string; value: string }): Json {
  const { text, value: v } = typeof value === 'string' ? { text: value, value } : value;
  return { text: { type: 'plain_text', text, emoji: true }, value: v };
}

function pickOption(element: Json, value: InputValue): Json | null {
  if (value === null || Array.isArray(value)) return null;
  if (element.type === 'external_select') return externalOption(value);
  return structuredClone(findOption(element, typeof value === 'string' ? value : value.value));
}

/** The state entry for one element, or undefined when the element holds no state (buttons, overflow). */
function entry(element: Json, given: InputValue | undefined): Json | undefined {
  const type = String(element.type);
  if (TEXT_INPUTS.has(type)) {
    return { type, value: typeof given === 'string' ? given : given === null ? null : (str(element.initial_value) ?? null) };
  }
  if (type === 'static_select' || type === 'external_select' || type === 'radio_buttons') {
    const initial = isJson(element.initial_option) ? element.initial_option : null;
    return { type, selected_option: given === undefined ? initial : pickOption(element, given) };
  }
  if (type === 'multi_static_select' || type === 'checkboxes' || type === 'multi_external_select') {
    const initial = Array.isArray(element.initial_options) ? element.initial_options : [];
    const picked =
      given === undefined
        ? initial
        : [given ?? []]
            .flat()
            .map((v) => (type === 'multi_external_select' ? externalOption(v) : findOption(element, typeof v === 'string' ? v : v.value)));
    return { type, selected_options: picked };
  }
  const single = SINGLE_PICKS[type];
  if (single !== undefined) {
    const initial = element[`initial_${single.replace('selected_', '')}`] ?? null;
    return { type, [single]: given === undefined ? initial : typeof given === 'string' ? given : null };
  }
  const multi = MULTI_PICKS[type];
  if (multi !== undefined) {
    const initial = element[`initial_${multi.replace('selected_', '')}`] ?? [];
    return { type, [multi]: given === undefined ? initial : [given ?? []].flat() };
  }
  return undefined;
}

function isEmpty(state: Json): boolean {
  return Object.entries(state).every(([key, v]) => key === 'type' || v === null || v === '' || (Array.isArray(v) && v.length === 0));
}

/** Builds state.values from the view's blocks and what the user entered; throws on a key that names no element. */
export function viewState(blocks: Json[], values: InputValues): ViewState {
  const used = new Set<string>();
  const state: ViewState = { values: {}, missing: [] };
  for (const placed of placedElements(blocks)) {
    const value = entry(placed.element, lookup(values, placed, used));
    if (value === undefined) continue;
    (state.values[placed.blockId] ??= {})[placed.actionId] = value;
    if (placed.block.type === 'input' && placed.block.optional !== true && isEmpty(value)) {
      state.missing.push(`${placed.blockId} ("${textOf(placed.block.label) ?? ''}")`);
    }
  }
  const unknown = Object.keys(values).filter((key) => !used.has(key));
  if (unknown.length > 0) throw new Error(`No input in this view for ${unknown.join(', ')}`);
  return state;
}
