/**
 * Block Kit's limits as zod schemas, for tests: every message, modal, Home
 * tab and options answer fipbot builds goes through `assertWithinLimits`,
 * which names each broken rule by its JSON path ("blocks[3].elements[1].text.text:
 * 81 > 75 characters"). The numbers are src/slack/blocks/limits.ts's.
 *
 * Besides the limits, one design rule: at most one primary button per
 * message, modal or Home tab.
 *
 * Scope: the blocks and elements fipbot uses. Any other `type` fails on
 * purpose (a typo such as "sectoin" must not reach Slack), and so does any
 * unknown key inside a block, element or composition object. Add a schema here
 * before using a new block or element.
 */
import { z } from 'zod';
import { LIMITS } from '../../../src/slack/blocks/limits.js';

// ---------------------------------------------------------------------------
// Messages for the issues, so a failure reads "path: 81 > 75 characters".

type IssueInput = { readonly input?: unknown };

function lengthOf(value: unknown): number {
  return typeof value === 'string' || Array.isArray(value) ? value.length : 0;
}

const tooManyChars = (max: number) => (iss: IssueInput) => `${lengthOf(iss.input)} > ${max} characters`;

function whenArray(payload: { value: unknown }): boolean {
  return Array.isArray(payload.value);
}

function whenObject(payload: { value: unknown }): boolean {
  return typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** A string of at most `max` characters; `nonEmpty` when Slack needs one character. */
function str(max: number, nonEmpty = false) {
  const base = nonEmpty ? z.string().min(1, { error: 'must not be empty' }) : z.string();
  return base.max(max, { error: tooManyChars(max) });
}

function integer(min: number, max?: number) {
  const base = z
    .number()
    .int({ error: 'must be a whole number' })
    .min(min, { error: (iss: IssueInput) => `${String(iss.input)} < ${min}` });
  return max === undefined ? base : base.max(max, { error: (iss: IssueInput) => `${String(iss.input)} > ${max}` });
}

/**
 * An array of at most `max` (and at least `min`) items. The counts are
 * refinements rather than `.max()` so that they are reported together with
 * the problems inside the items: zod stops at a failed `.max()` on an array.
 */
function items<T extends z.ZodType>(element: T, max: number, min = 0) {
  const capped = z.array(element).refine((list) => list.length <= max, {
    when: whenArray,
    error: (iss: IssueInput) => `${lengthOf(iss.input)} > ${max} items`,
  });
  if (min === 0) return capped;
  return capped.refine((list) => list.length >= min, {
    when: whenArray,
    error: (iss: IssueInput) => `${lengthOf(iss.input)} < ${min} items`,
  });
}

/** The message for a `type` no schema accepts here. */
function unknownType(what: string, allowed: readonly string[]) {
  return (iss: IssueInput & { code?: string }) => {
    if (iss.code !== 'invalid_union') return undefined;
    return `unknown ${what} type ${JSON.stringify(record(iss.input).type)} (allowed here: ${allowed.join(', ')})`;
  };
}

/** `duplicate <key> "x" in [0] and [3]`, for every repeated value of `key` in `list`. */
function duplicatesOf(list: unknown, key: 'block_id' | 'action_id'): string[] {
  if (!Array.isArray(list)) return [];
  const seen = new Map<string, number[]>();
  list.forEach((entry, index) => {
    const id = record(entry)[key];
    if (typeof id === 'string') seen.set(id, [...(seen.get(id) ?? []), index]);
  });
  return [...seen]
    .filter(([, at]) => at.length > 1)
    .map(([id, at]) => `duplicate ${key} ${JSON.stringify(id)} in ${at.map((i) => `[${i}]`).join(', ')} (Slack rejects duplicates)`);
}

function unique<T extends z.ZodType<unknown[]>>(list: T, key: 'block_id' | 'action_id') {
  return list.refine((value) => duplicatesOf(value, key).length === 0, {
    when: whenArray,
    error: (iss: IssueInput) => duplicatesOf(iss.input, key).join('; '),
  });
}

// ---------------------------------------------------------------------------
// Composition objects

const plainTextType = z.literal('plain_text', { error: 'must be a plain_text text object here' });

/** Text object (plain_text): 1..max characters; `emoji` is for plain_text only. */
function plainText(max: number) {
  return z.strictObject({
    type: plainTextType,
    text: str(max, true),
    emoji: z.boolean().optional(),
  });
}

/** Text object (mrkdwn): 1..max characters; `verbatim` is for mrkdwn only. */
function mrkdwnText(max: number) {
  return z.strictObject({
    type: z.literal('mrkdwn'),
    text: str(max, true),
    verbatim: z.boolean().optional(),
  });
}

/** A text object of either type. */
function textObject(max: number) {
  return z.discriminatedUnion('type', [plainText(max), mrkdwnText(max)], {
    error: unknownType('text object', ['plain_text', 'mrkdwn']),
  });
}

const blockId = str(LIMITS.id);
const actionId = str(LIMITS.id);
const style = z.enum(['primary', 'danger'], { error: 'must be "primary" or "danger" (leave it out for the default style)' });

/**
 * Confirmation dialog object. The current reference marks all four texts
 * required and `text` plain_text (@slack/types also allows mrkdwn and makes
 * title/confirm/deny optional): the reference wins.
 */
const confirmDialog = z.strictObject({
  title: plainText(LIMITS.confirmTitle),
  text: plainText(LIMITS.confirmText),
  confirm: plainText(LIMITS.confirmButton),
  deny: plainText(LIMITS.confirmButton),
  style: style.optional(),
});

/** Option object for select menus: plain_text only, no url. `value` is required. */
const selectOption = z.strictObject({
  text: plainText(LIMITS.optionText),
  value: str(LIMITS.optionValue),
  description: plainText(LIMITS.optionDescription).optional(),
});

/** Option object for overflow menus: `url` is "only available in overflow menus". */
const overflowOption = selectOption.extend({ url: str(LIMITS.url).optional() });

/** Option object for radio buttons: text and description may be mrkdwn. */
const radioOption = z.strictObject({
  text: textObject(LIMITS.optionText),
  value: str(LIMITS.optionValue),
  description: textObject(LIMITS.optionDescription).optional(),
});

const optionGroup = z.strictObject({
  label: plainText(LIMITS.optionGroupLabel),
  options: items(selectOption, LIMITS.selectOptions),
});

/** Slack image file object: `url` or `id`. */
const slackFile = z
  .strictObject({ url: z.string().optional(), id: z.string().optional() })
  .refine((file) => (file.url === undefined) !== (file.id === undefined), { error: 'needs exactly one of url or id' });

function oneImageSource(value: { image_url?: string | undefined; slack_file?: unknown }): boolean {
  return (value.image_url === undefined) !== (value.slack_file === undefined);
}

const imageSourceRule = { error: 'needs exactly one of image_url or slack_file', when: whenObject } as const;

// ---------------------------------------------------------------------------
// Block elements

const button = z.strictObject({
  type: z.literal('button'),
  text: plainText(LIMITS.buttonText),
  action_id: actionId.optional(),
  url: str(LIMITS.url).optional(),
  value: str(LIMITS.buttonValue).optional(),
  style: style.optional(),
  confirm: confirmDialog.optional(),
  accessibility_label: str(LIMITS.accessibilityLabel).optional(),
});

const overflow = z.strictObject({
  type: z.literal('overflow'),
  action_id: actionId.optional(),
  options: items(overflowOption, LIMITS.overflowOptions, LIMITS.overflowMinOptions),
  confirm: confirmDialog.optional(),
});

const staticSelect = z
  .strictObject({
    type: z.literal('static_select'),
    action_id: actionId.optional(),
    options: items(selectOption, LIMITS.selectOptions).optional(),
    option_groups: items(optionGroup, LIMITS.optionGroups).optional(),
    initial_option: selectOption.optional(),
    confirm: confirmDialog.optional(),
    focus_on_load: z.boolean().optional(),
    placeholder: plainText(LIMITS.placeholder).optional(),
  })
  .refine((select) => (select.options === undefined) !== (select.option_groups === undefined), {
    error: 'needs exactly one of options or option_groups',
    when: whenObject,
  });

/** `min_query_length` defaults to 3; fipbot sets 0 or 1 for short names. */
const externalSelect = z.strictObject({
  type: z.literal('external_select'),
  action_id: actionId.optional(),
  initial_option: selectOption.optional(),
  min_query_length: integer(0).optional(),
  confirm: confirmDialog.optional(),
  focus_on_load: z.boolean().optional(),
  placeholder: plainText(LIMITS.placeholder).optional(),
});

const radioButtons = z.strictObject({
  type: z.literal('radio_buttons'),
  action_id: actionId.optional(),
  options: items(radioOption, LIMITS.radioOptions),
  initial_option: radioOption.optional(),
  confirm: confirmDialog.optional(),
  focus_on_load: z.boolean().optional(),
});

/** Checkboxes: options as radio buttons' (mrkdwn allowed). */
const checkboxes = z.strictObject({
  type: z.literal('checkboxes'),
  action_id: actionId.optional(),
  options: items(radioOption, LIMITS.checkboxOptions),
  initial_options: items(radioOption, LIMITS.checkboxOptions).optional(),
  confirm: confirmDialog.optional(),
  focus_on_load: z.boolean().optional(),
});

const plainTextInput = z.strictObject({
  type: z.literal('plain_text_input'),
  action_id: actionId.optional(),
  initial_value: z.string().optional(),
  multiline: z.boolean().optional(),
  min_length: integer(0, LIMITS.inputLength).optional(),
  max_length: integer(1, LIMITS.inputLength).optional(),
  dispatch_action_config: z
    .strictObject({ trigger_actions_on: z.array(z.enum(['on_enter_pressed', 'on_character_entered'])).optional() })
    .optional(),
  focus_on_load: z.boolean().optional(),
  placeholder: plainText(LIMITS.placeholder).optional(),
});

/** Image element (section accessory, context). The reference gives no alt_text limit for the element. */
const imageElement = z
  .strictObject({
    type: z.literal('image'),
    alt_text: z.string(),
    image_url: str(LIMITS.url).optional(),
    slack_file: slackFile.optional(),
  })
  .refine(oneImageSource, imageSourceRule);

function elementUnion<const T extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(
  where: string,
  options: T,
  names: readonly string[],
) {
  return z.discriminatedUnion('type', options, { error: unknownType(where, names) });
}

const sectionAccessory = elementUnion(
  'accessory',
  [button, overflow, staticSelect, externalSelect, radioButtons, checkboxes, imageElement],
  ['button', 'overflow', 'static_select', 'external_select', 'radio_buttons', 'checkboxes', 'image'],
);

const actionsElement = elementUnion(
  'actions element',
  [button, overflow, staticSelect, externalSelect, radioButtons, checkboxes],
  ['button', 'overflow', 'static_select', 'external_select', 'radio_buttons', 'checkboxes'],
);

const inputElement = elementUnion(
  'input element',
  [plainTextInput, staticSelect, externalSelect, radioButtons, checkboxes],
  ['plain_text_input', 'static_select', 'external_select', 'radio_buttons', 'checkboxes'],
);

const contextElement = elementUnion(
  'context element',
  [imageElement, plainText(LIMITS.text), mrkdwnText(LIMITS.text)],
  ['image', 'plain_text', 'mrkdwn'],
);

// ---------------------------------------------------------------------------
// Blocks

const section = z
  .strictObject({
    type: z.literal('section'),
    block_id: blockId.optional(),
    text: textObject(LIMITS.text).optional(),
    fields: items(textObject(LIMITS.sectionFieldText), LIMITS.sectionFields).optional(),
    accessory: sectionAccessory.optional(),
    expand: z.boolean().optional(),
  })
  .refine((block) => block.text !== undefined || block.fields !== undefined, {
    error: 'needs text or fields',
    when: whenObject,
  });

const header = z.strictObject({
  type: z.literal('header'),
  block_id: blockId.optional(),
  text: plainText(LIMITS.headerText),
});

const context = z.strictObject({
  type: z.literal('context'),
  block_id: blockId.optional(),
  elements: items(contextElement, LIMITS.contextElements),
});

const divider = z.strictObject({
  type: z.literal('divider'),
  block_id: blockId.optional(),
});

const actions = z.strictObject({
  type: z.literal('actions'),
  block_id: blockId.optional(),
  elements: unique(items(actionsElement, LIMITS.actionsElements), 'action_id'),
});

const input = z.strictObject({
  type: z.literal('input'),
  block_id: blockId.optional(),
  label: plainText(LIMITS.inputLabel),
  element: inputElement,
  dispatch_action: z.boolean().optional(),
  hint: plainText(LIMITS.inputHint).optional(),
  optional: z.boolean().optional(),
});

const image = z
  .strictObject({
    type: z.literal('image'),
    block_id: blockId.optional(),
    alt_text: str(LIMITS.imageAltText),
    image_url: str(LIMITS.url).optional(),
    slack_file: slackFile.optional(),
    title: plainText(LIMITS.imageTitle).optional(),
  })
  .refine(oneImageSource, imageSourceRule);

const BLOCK_TYPES = ['section', 'header', 'context', 'divider', 'actions', 'input', 'image'] as const;

export const blockSchema = z.discriminatedUnion('type', [section, header, context, divider, actions, input, image], {
  error: unknownType('block', BLOCK_TYPES),
});

/** Buttons styled primary anywhere in `blocks`. */
function primaryButtons(blocks: unknown): number {
  let count = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    const node = record(value);
    if (node.type === 'button' && node.style === 'primary') count += 1;
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) visit(child);
  };
  visit(blocks);
  return count;
}

/**
 * Slack's design guidance rather than a limit, kept as one: one primary (green) button per message or view, the
 * next step; a second one makes both read as "the" next step.
 */
function blockList(max: number) {
  return unique(items(blockSchema, max), 'block_id').refine((blocks) => primaryButtons(blocks) <= 1, {
    when: whenArray,
    error: (iss: IssueInput) => `${primaryButtons(iss.input)} buttons styled primary (one at most: the next step)`,
  });
}

// ---------------------------------------------------------------------------
// Surfaces

/**
 * A message for chat.postMessage / chat.update / respond(). `text` is what
 * phone notifications show, so it is required beside blocks (except for a
 * bare `delete_original`, which shows nothing). Other top-level fields pass
 * through unchecked.
 */
export const messageSchema = z
  .looseObject({
    text: str(LIMITS.messageText, true).optional(),
    blocks: blockList(LIMITS.messageBlocks).optional(),
    response_type: z.enum(['in_channel', 'ephemeral']).optional(),
    replace_original: z.boolean().optional(),
    delete_original: z.boolean().optional(),
    thread_ts: z.string().optional(),
    channel: z.string().optional(),
  })
  .refine((message) => message.text !== undefined || message.delete_original === true, {
    path: ['text'],
    error: 'required: phone notifications show only the top-level text',
    when: whenObject,
  });

export const modalViewSchema = z
  .strictObject({
    type: z.literal('modal'),
    title: plainText(LIMITS.modalButtonText),
    blocks: blockList(LIMITS.viewBlocks),
    close: plainText(LIMITS.modalButtonText).optional(),
    submit: plainText(LIMITS.modalButtonText).optional(),
    private_metadata: str(LIMITS.privateMetadata).optional(),
    callback_id: str(LIMITS.viewId).optional(),
    external_id: str(LIMITS.viewId).optional(),
    clear_on_close: z.boolean().optional(),
    notify_on_close: z.boolean().optional(),
  })
  .refine((view) => view.submit !== undefined || !view.blocks.some((block) => record(block).type === 'input'), {
    path: ['submit'],
    error: 'required when the blocks contain an input block',
    when: (payload) => whenObject(payload) && Array.isArray(record(payload.value).blocks),
  });

export const homeViewSchema = z.strictObject({
  type: z.literal('home'),
  blocks: blockList(LIMITS.viewBlocks),
  private_metadata: str(LIMITS.privateMetadata).optional(),
  callback_id: str(LIMITS.viewId).optional(),
  external_id: str(LIMITS.viewId).optional(),
});

/** The answer to a block_suggestion (external_select) request. */
export const optionsResponseSchema = z
  .strictObject({
    options: items(selectOption, LIMITS.optionsResponse).optional(),
    option_groups: items(optionGroup, LIMITS.optionsResponse).optional(),
  })
  .refine((answer) => (answer.options === undefined) !== (answer.option_groups === undefined), {
    error: 'needs exactly one of options or option_groups',
    when: whenObject,
  });

export type Block = z.input<typeof blockSchema>;
export type MessagePayload = z.input<typeof messageSchema>;
export type ModalView = z.input<typeof modalViewSchema>;
export type HomeView = z.input<typeof homeViewSchema>;
export type OptionsResponse = z.input<typeof optionsResponseSchema>;

const SCHEMAS = {
  message: messageSchema,
  modal: modalViewSchema,
  home: homeViewSchema,
  options: optionsResponseSchema,
} as const;

export type PayloadKind = keyof typeof SCHEMAS;

/** `blocks[3].elements[1].text.text` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(payload)' : out;
}

/** Every broken rule, as "path: problem"; empty when the payload is within limits. */
export function limitViolations(kind: PayloadKind, payload: unknown): string[] {
  const result = SCHEMAS[kind].safeParse(payload);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

export class BlockKitLimitError extends Error {
  override readonly name = 'BlockKitLimitError';

  constructor(
    readonly kind: PayloadKind,
    readonly violations: readonly string[],
  ) {
    super(`Slack would reject this ${kind} payload:\n${violations.map((line) => `  - ${line}`).join('\n')}`);
  }
}

/** Throws a BlockKitLimitError listing every violation with its JSON path. */
export function assertWithinLimits(kind: PayloadKind, payload: unknown): void {
  const violations = limitViolations(kind, payload);
  if (violations.length > 0) throw new BlockKitLimitError(kind, violations);
}
