import { describe, expect, it } from 'vitest';
import {
  BlockKitLimitError,
  assertWithinLimits,
  homeViewSchema,
  limitViolations,
  messageSchema,
  modalViewSchema,
  optionsResponseSchema,
  type PayloadKind,
} from './block-kit.js';

// Builders for payloads; every test varies one thing from a valid baseline.
const x = (n: number): string => 'x'.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });
const option = (text = '203.0.113.7', value = 'fip-1', extra: object = {}) => ({ text: plain(text), value, ...extra });
const options = (n: number) => Array.from({ length: n }, (_, i) => option(`203.0.113.${i}`, `fip-${i}`));
const group = (label: string, opts: unknown[]) => ({ label: plain(label), options: opts });
const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
const confirm = (extra: object = {}) => ({
  title: plain('Release 203.0.113.7?'),
  text: plain('The address goes back to the pool and may not come back.'),
  confirm: plain('Release'),
  deny: plain('Keep it'),
  ...extra,
});
const button = (extra: object = {}) => ({ type: 'button', text: plain('Release'), action_id: 'release', value: 'fip-1', ...extra });

const message = (...blocks: unknown[]) => ({ text: 'Floating IPs in project demo', blocks });
const modal = (...blocks: unknown[]) => ({
  type: 'modal',
  title: plain('Attach a floating IP'),
  submit: plain('Attach'),
  close: plain('Cancel'),
  blocks,
});
const home = (...blocks: unknown[]) => ({ type: 'home', blocks });
const withAccessory = (accessory: unknown) => message({ type: 'section', text: md('Pick one'), accessory });
const inActions = (...elements: unknown[]) => message({ type: 'actions', elements });
const inInput = (element: unknown, extra: object = {}) => modal({ type: 'input', label: plain('Server'), element, ...extra });

function violationsOf(kind: PayloadKind, payload: unknown): readonly string[] {
  try {
    assertWithinLimits(kind, payload);
    return [];
  } catch (error) {
    if (error instanceof BlockKitLimitError) return error.violations;
    throw error;
  }
}

describe('valid Block Kit payloads', () => {
  const examples: { what: string; kind: PayloadKind; payload: unknown }[] = [
    {
      what: 'A section with mrkdwn text, plain fields and a button accessory is accepted.',
      kind: 'message',
      payload: message({
        type: 'section',
        block_id: 'fip-1',
        text: md('*203.0.113.7* is attached to `web-1`'),
        fields: [plain('Pool: public'), md('*Status:* ACTIVE')],
        accessory: button({ style: 'danger', confirm: confirm({ style: 'danger' }), accessibility_label: 'Release 203.0.113.7' }),
        expand: true,
      }),
    },
    {
      what: 'A section whose accessory is an overflow menu with a link option is accepted.',
      kind: 'message',
      payload: withAccessory({
        type: 'overflow',
        action_id: 'fip-menu',
        options: [option('Detach', 'detach'), option('Open in Horizon', 'horizon', { url: 'https://cloud.example/horizon' })],
        confirm: confirm(),
      }),
    },
    {
      what: 'A section whose accessory is a static select with option groups and an initial option is accepted.',
      kind: 'message',
      payload: withAccessory({
        type: 'static_select',
        action_id: 'pool',
        placeholder: plain('Choose a pool'),
        option_groups: [group('Public', [option('public', 'public', { description: plain('Internet-facing') })])],
        initial_option: option('public', 'public'),
        focus_on_load: false,
      }),
    },
    {
      what: 'A section whose accessory is an external select with a short min_query_length is accepted.',
      kind: 'message',
      payload: withAccessory({
        type: 'external_select',
        action_id: 'server',
        placeholder: plain('Search servers'),
        min_query_length: 1,
        initial_option: option('web-1', 'srv-1'),
      }),
    },
    {
      what: 'A section whose accessory is an image from a URL is accepted, and so is one from a Slack file.',
      kind: 'message',
      payload: message(
        {
          type: 'section',
          text: md('Topology'),
          accessory: { type: 'image', image_url: 'https://cloud.example/t.png', alt_text: 'topology' },
        },
        { type: 'section', text: md('Upload'), accessory: { type: 'image', slack_file: { id: 'F0123' }, alt_text: 'upload' } },
      ),
    },
    {
      what: 'A section whose accessory is a radio button group with mrkdwn options is accepted.',
      kind: 'message',
      payload: withAccessory({
        type: 'radio_buttons',
        action_id: 'which',
        options: [{ text: md('*web-1*'), value: 'srv-1', description: md('_running_') }, option('db-1', 'srv-2')],
        initial_option: option('db-1', 'srv-2'),
      }),
    },
    {
      what: 'A header block with plain text is accepted.',
      kind: 'message',
      payload: message({ type: 'header', block_id: 'title', text: { type: 'plain_text', text: 'Floating IPs', emoji: true } }),
    },
    {
      what: 'A context block mixing an image and both kinds of text is accepted.',
      kind: 'message',
      payload: message({
        type: 'context',
        elements: [
          { type: 'image', image_url: 'https://cloud.example/icon.png', alt_text: 'cloud' },
          { type: 'mrkdwn', text: 'Requested by <@U123>', verbatim: true },
          plain('2 of 10 used'),
        ],
      }),
    },
    {
      what: 'A divider block, with or without a block_id, is accepted.',
      kind: 'message',
      payload: message({ type: 'divider' }, { type: 'divider', block_id: 'rule' }),
    },
    {
      what: 'An actions block holding every supported element is accepted.',
      kind: 'message',
      payload: inActions(
        button({ style: 'primary', action_id: 'attach' }),
        button({ action_id: 'docs', url: 'https://docs.example/fip' }),
        { type: 'overflow', action_id: 'more', options: [option('a', 'a'), option('b', 'b')] },
        { type: 'static_select', action_id: 'pool', options: options(3) },
        { type: 'external_select', action_id: 'server', min_query_length: 0 },
        { type: 'radio_buttons', action_id: 'mode', options: options(2) },
      ),
    },
    {
      what: 'An input block with a fully specified plain-text input is accepted in a modal.',
      kind: 'modal',
      payload: inInput(
        {
          type: 'plain_text_input',
          action_id: 'note',
          initial_value: 'for the demo',
          multiline: true,
          min_length: 0,
          max_length: 3000,
          dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
          focus_on_load: true,
          placeholder: plain('Why do you need it?'),
        },
        { block_id: 'note', hint: plain('Shown in the audit log'), optional: true, dispatch_action: true },
      ),
    },
    {
      what: 'Input blocks holding a static select, an external select and radio buttons are accepted in a modal.',
      kind: 'modal',
      payload: modal(
        {
          type: 'input',
          block_id: 'pool',
          label: plain('Pool'),
          element: { type: 'static_select', action_id: 'pool', options: options(2) },
        },
        {
          type: 'input',
          block_id: 'server',
          label: plain('Server'),
          element: { type: 'external_select', action_id: 'server', min_query_length: 1 },
        },
        {
          type: 'input',
          block_id: 'mode',
          label: plain('Mode'),
          element: { type: 'radio_buttons', action_id: 'mode', options: options(2) },
        },
      ),
    },
    {
      what: 'An image block with a title is accepted.',
      kind: 'message',
      payload: message({ type: 'image', image_url: 'https://cloud.example/graph.png', alt_text: 'usage graph', title: plain('Usage') }),
    },
    {
      what: 'A Home tab with metadata and several blocks is accepted.',
      kind: 'home',
      payload: {
        ...home(
          { type: 'header', text: plain('fipbot') },
          { type: 'section', text: md('3 floating IPs') },
          { type: 'actions', elements: [button()] },
        ),
        private_metadata: '{"project":"demo"}',
        callback_id: 'home',
        external_id: 'home-U123',
      },
    },
    {
      what: 'A modal with every optional view field is accepted, and one without input blocks may leave out submit.',
      kind: 'modal',
      payload: {
        type: 'modal',
        title: plain('Floating IPs'),
        blocks: [{ type: 'section', text: md('Nothing to fill in') }],
        private_metadata: '{"channel":"C1"}',
        callback_id: 'fip-list',
        external_id: 'fip-list-U1',
        clear_on_close: true,
        notify_on_close: true,
      },
    },
    {
      what: 'A message may carry response_url fields and other top-level fields beside text and blocks.',
      kind: 'message',
      payload: {
        ...message({ type: 'divider' }),
        response_type: 'in_channel',
        replace_original: true,
        thread_ts: '1.2',
        channel: 'C1',
        unfurl_links: false,
      },
    },
    {
      what: 'A bare delete_original needs no text, since it shows nothing.',
      kind: 'message',
      payload: { delete_original: true },
    },
    {
      what: 'An options answer with plain options is accepted.',
      kind: 'options',
      payload: { options: options(3) },
    },
    {
      what: 'An options answer with option groups is accepted.',
      kind: 'options',
      payload: { option_groups: [group('public', options(2)), group('private', options(1))] },
    },
  ];

  it.each(examples)('$what', ({ kind, payload }) => {
    expect(violationsOf(kind, payload)).toEqual([]);
  });

  it('exports schemas that parse the same payloads directly.', () => {
    expect(messageSchema.safeParse(message({ type: 'divider' })).success).toBe(true);
    expect(modalViewSchema.safeParse(modal({ type: 'divider' })).success).toBe(true);
    expect(homeViewSchema.safeParse(home({ type: 'divider' })).success).toBe(true);
    expect(optionsResponseSchema.safeParse({ options: options(1) }).success).toBe(true);
    expect(messageSchema.safeParse({ blocks: [] }).success).toBe(false);
  });
});

describe('limits at their boundary', () => {
  interface Boundary {
    rule: string;
    kind: PayloadKind;
    limit: number;
    unit: 'characters' | 'items' | '';
    path: string;
    build: (n: number) => unknown;
  }

  const boundaries: Boundary[] = [
    // Surfaces
    {
      rule: "A message's text may be 40,000 characters and no more.",
      kind: 'message',
      limit: 40_000,
      unit: 'characters',
      path: 'text',
      build: (n) => ({ text: x(n) }),
    },
    {
      rule: 'A message may hold 50 blocks and no more.',
      kind: 'message',
      limit: 50,
      unit: 'items',
      path: 'blocks',
      build: (n) => message(...dividers(n)),
    },
    {
      rule: 'A modal title may be 24 characters and no more.',
      kind: 'modal',
      limit: 24,
      unit: 'characters',
      path: 'title.text',
      build: (n) => ({ ...modal(), title: plain(x(n)) }),
    },
    {
      rule: 'A modal submit label may be 24 characters and no more.',
      kind: 'modal',
      limit: 24,
      unit: 'characters',
      path: 'submit.text',
      build: (n) => ({ ...modal(), submit: plain(x(n)) }),
    },
    {
      rule: 'A modal close label may be 24 characters and no more.',
      kind: 'modal',
      limit: 24,
      unit: 'characters',
      path: 'close.text',
      build: (n) => ({ ...modal(), close: plain(x(n)) }),
    },
    {
      rule: 'A modal may hold 100 blocks and no more.',
      kind: 'modal',
      limit: 100,
      unit: 'items',
      path: 'blocks',
      build: (n) => modal(...dividers(n)),
    },
    {
      rule: "A modal's private_metadata may be 3000 characters and no more.",
      kind: 'modal',
      limit: 3000,
      unit: 'characters',
      path: 'private_metadata',
      build: (n) => ({ ...modal(), private_metadata: x(n) }),
    },
    {
      rule: "A modal's callback_id may be 255 characters and no more.",
      kind: 'modal',
      limit: 255,
      unit: 'characters',
      path: 'callback_id',
      build: (n) => ({ ...modal(), callback_id: x(n) }),
    },
    {
      rule: "A modal's external_id may be 255 characters and no more.",
      kind: 'modal',
      limit: 255,
      unit: 'characters',
      path: 'external_id',
      build: (n) => ({ ...modal(), external_id: x(n) }),
    },
    {
      rule: 'A Home tab may hold 100 blocks and no more.',
      kind: 'home',
      limit: 100,
      unit: 'items',
      path: 'blocks',
      build: (n) => home(...dividers(n)),
    },
    {
      rule: "A Home tab's private_metadata may be 3000 characters and no more.",
      kind: 'home',
      limit: 3000,
      unit: 'characters',
      path: 'private_metadata',
      build: (n) => ({ ...home(), private_metadata: x(n) }),
    },
    {
      rule: "A Home tab's callback_id may be 255 characters and no more.",
      kind: 'home',
      limit: 255,
      unit: 'characters',
      path: 'callback_id',
      build: (n) => ({ ...home(), callback_id: x(n) }),
    },
    {
      rule: "A Home tab's external_id may be 255 characters and no more.",
      kind: 'home',
      limit: 255,
      unit: 'characters',
      path: 'external_id',
      build: (n) => ({ ...home(), external_id: x(n) }),
    },
    {
      rule: 'An options answer may hold 100 options and no more.',
      kind: 'options',
      limit: 100,
      unit: 'items',
      path: 'options',
      build: (n) => ({ options: options(n) }),
    },
    {
      rule: 'An options answer may hold 100 option groups and no more.',
      kind: 'options',
      limit: 100,
      unit: 'items',
      path: 'option_groups',
      build: (n) => ({ option_groups: Array.from({ length: n }, (_, i) => group(`g${i}`, options(1))) }),
    },
    {
      rule: "An options answer's option text may be 75 characters and no more.",
      kind: 'options',
      limit: 75,
      unit: 'characters',
      path: 'options[0].text.text',
      build: (n) => ({ options: [option(x(n))] }),
    },
    // Blocks
    {
      rule: 'A block_id may be 255 characters and no more.',
      kind: 'message',
      limit: 255,
      unit: 'characters',
      path: 'blocks[0].block_id',
      build: (n) => message({ type: 'divider', block_id: x(n) }),
    },
    {
      rule: 'A section text may be 3000 characters and no more.',
      kind: 'message',
      limit: 3000,
      unit: 'characters',
      path: 'blocks[0].text.text',
      build: (n) => message({ type: 'section', text: md(x(n)) }),
    },
    {
      rule: 'A section may have 10 fields and no more.',
      kind: 'message',
      limit: 10,
      unit: 'items',
      path: 'blocks[0].fields',
      build: (n) => message({ type: 'section', fields: Array.from({ length: n }, () => md('f')) }),
    },
    {
      rule: 'A section field may be 2000 characters and no more.',
      kind: 'message',
      limit: 2000,
      unit: 'characters',
      path: 'blocks[0].fields[1].text',
      build: (n) => message({ type: 'section', fields: [md('ok'), plain(x(n))] }),
    },
    {
      rule: 'A header may be 150 characters and no more.',
      kind: 'message',
      limit: 150,
      unit: 'characters',
      path: 'blocks[0].text.text',
      build: (n) => message({ type: 'header', text: plain(x(n)) }),
    },
    {
      rule: 'A context block may hold 10 elements and no more.',
      kind: 'message',
      limit: 10,
      unit: 'items',
      path: 'blocks[0].elements',
      build: (n) => message({ type: 'context', elements: Array.from({ length: n }, () => md('c')) }),
    },
    {
      rule: 'A context text may be 3000 characters and no more.',
      kind: 'message',
      limit: 3000,
      unit: 'characters',
      path: 'blocks[0].elements[0].text',
      build: (n) => message({ type: 'context', elements: [md(x(n))] }),
    },
    {
      rule: 'An actions block may hold 25 elements and no more.',
      kind: 'message',
      limit: 25,
      unit: 'items',
      path: 'blocks[0].elements',
      build: (n) => inActions(...Array.from({ length: n }, (_, i) => button({ action_id: `b${i}` }))),
    },
    {
      rule: "An image block's alt_text may be 2000 characters and no more.",
      kind: 'message',
      limit: 2000,
      unit: 'characters',
      path: 'blocks[0].alt_text',
      build: (n) => message({ type: 'image', image_url: 'https://i.example/a.png', alt_text: x(n) }),
    },
    {
      rule: "An image block's image_url may be 3000 characters and no more.",
      kind: 'message',
      limit: 3000,
      unit: 'characters',
      path: 'blocks[0].image_url',
      build: (n) => message({ type: 'image', image_url: x(n), alt_text: 'a' }),
    },
    {
      rule: "An image block's title may be 2000 characters and no more.",
      kind: 'message',
      limit: 2000,
      unit: 'characters',
      path: 'blocks[0].title.text',
      build: (n) => message({ type: 'image', image_url: 'https://i.example/a.png', alt_text: 'a', title: plain(x(n)) }),
    },
    {
      rule: "An image element's image_url may be 3000 characters and no more.",
      kind: 'message',
      limit: 3000,
      unit: 'characters',
      path: 'blocks[0].accessory.image_url',
      build: (n) => withAccessory({ type: 'image', image_url: x(n), alt_text: 'a' }),
    },
    {
      rule: 'An input label may be 2000 characters and no more.',
      kind: 'modal',
      limit: 2000,
      unit: 'characters',
      path: 'blocks[0].label.text',
      build: (n) => modal({ type: 'input', label: plain(x(n)), element: { type: 'plain_text_input' } }),
    },
    {
      rule: 'An input hint may be 2000 characters and no more.',
      kind: 'modal',
      limit: 2000,
      unit: 'characters',
      path: 'blocks[0].hint.text',
      build: (n) => inInput({ type: 'plain_text_input' }, { hint: plain(x(n)) }),
    },
    // Elements
    {
      rule: "A plain-text input's max_length may be 3000 and no more.",
      kind: 'modal',
      limit: 3000,
      unit: '',
      path: 'blocks[0].element.max_length',
      build: (n) => inInput({ type: 'plain_text_input', max_length: n }),
    },
    {
      rule: "A plain-text input's min_length may be 3000 and no more.",
      kind: 'modal',
      limit: 3000,
      unit: '',
      path: 'blocks[0].element.min_length',
      build: (n) => inInput({ type: 'plain_text_input', min_length: n }),
    },
    {
      rule: "A plain-text input's placeholder may be 150 characters and no more.",
      kind: 'modal',
      limit: 150,
      unit: 'characters',
      path: 'blocks[0].element.placeholder.text',
      build: (n) => inInput({ type: 'plain_text_input', placeholder: plain(x(n)) }),
    },
    {
      rule: 'A radio button group may hold 10 options and no more.',
      kind: 'modal',
      limit: 10,
      unit: 'items',
      path: 'blocks[0].element.options',
      build: (n) => inInput({ type: 'radio_buttons', options: options(n) }),
    },
    {
      rule: "A button's text may be 75 characters and no more.",
      kind: 'message',
      limit: 75,
      unit: 'characters',
      path: 'blocks[0].elements[0].text.text',
      build: (n) => inActions(button({ text: plain(x(n)) })),
    },
    {
      rule: "A button's value may be 2000 characters and no more.",
      kind: 'message',
      limit: 2000,
      unit: 'characters',
      path: 'blocks[0].elements[0].value',
      build: (n) => inActions(button({ value: x(n) })),
    },
    {
      rule: "A button's url may be 3000 characters and no more.",
      kind: 'message',
      limit: 3000,
      unit: 'characters',
      path: 'blocks[0].elements[0].url',
      build: (n) => inActions(button({ url: x(n) })),
    },
    {
      rule: "A button's action_id may be 255 characters and no more.",
      kind: 'message',
      limit: 255,
      unit: 'characters',
      path: 'blocks[0].elements[0].action_id',
      build: (n) => inActions(button({ action_id: x(n) })),
    },
    {
      rule: "A button's accessibility_label may be 75 characters and no more.",
      kind: 'message',
      limit: 75,
      unit: 'characters',
      path: 'blocks[0].elements[0].accessibility_label',
      build: (n) => inActions(button({ accessibility_label: x(n) })),
    },
    {
      rule: 'An overflow menu may hold 5 options and no more.',
      kind: 'message',
      limit: 5,
      unit: 'items',
      path: 'blocks[0].accessory.options',
      build: (n) => withAccessory({ type: 'overflow', options: options(n) }),
    },
    {
      rule: "An overflow option's url may be 3000 characters and no more.",
      kind: 'message',
      limit: 3000,
      unit: 'characters',
      path: 'blocks[0].accessory.options[1].url',
      build: (n) => withAccessory({ type: 'overflow', options: [option('a', 'a'), option('b', 'b', { url: x(n) })] }),
    },
    {
      rule: 'A static select may hold 100 options and no more.',
      kind: 'message',
      limit: 100,
      unit: 'items',
      path: 'blocks[0].accessory.options',
      build: (n) => withAccessory({ type: 'static_select', options: options(n) }),
    },
    {
      rule: 'A static select may hold 100 option groups and no more.',
      kind: 'message',
      limit: 100,
      unit: 'items',
      path: 'blocks[0].accessory.option_groups',
      build: (n) =>
        withAccessory({ type: 'static_select', option_groups: Array.from({ length: n }, (_, i) => group(`g${i}`, options(1))) }),
    },
    {
      rule: 'An option group may hold 100 options and no more.',
      kind: 'message',
      limit: 100,
      unit: 'items',
      path: 'blocks[0].accessory.option_groups[0].options',
      build: (n) => withAccessory({ type: 'static_select', option_groups: [group('g', options(n))] }),
    },
    {
      rule: "An option group's label may be 75 characters and no more.",
      kind: 'message',
      limit: 75,
      unit: 'characters',
      path: 'blocks[0].accessory.option_groups[0].label.text',
      build: (n) => withAccessory({ type: 'static_select', option_groups: [group(x(n), options(1))] }),
    },
    {
      rule: "A static select's placeholder may be 150 characters and no more.",
      kind: 'message',
      limit: 150,
      unit: 'characters',
      path: 'blocks[0].accessory.placeholder.text',
      build: (n) => withAccessory({ type: 'static_select', options: options(1), placeholder: plain(x(n)) }),
    },
    {
      rule: "An external select's placeholder may be 150 characters and no more.",
      kind: 'message',
      limit: 150,
      unit: 'characters',
      path: 'blocks[0].accessory.placeholder.text',
      build: (n) => withAccessory({ type: 'external_select', placeholder: plain(x(n)) }),
    },
    // Composition objects
    {
      rule: "An option's text may be 75 characters and no more.",
      kind: 'message',
      limit: 75,
      unit: 'characters',
      path: 'blocks[0].accessory.options[0].text.text',
      build: (n) => withAccessory({ type: 'static_select', options: [option(x(n))] }),
    },
    {
      rule: "An option's value may be 150 characters and no more.",
      kind: 'message',
      limit: 150,
      unit: 'characters',
      path: 'blocks[0].accessory.options[0].value',
      build: (n) => withAccessory({ type: 'static_select', options: [option('a', x(n))] }),
    },
    {
      rule: "An option's description may be 75 characters and no more.",
      kind: 'message',
      limit: 75,
      unit: 'characters',
      path: 'blocks[0].accessory.options[0].description.text',
      build: (n) => withAccessory({ type: 'static_select', options: [option('a', 'a', { description: plain(x(n)) })] }),
    },
    {
      rule: "A confirm dialog's title may be 100 characters and no more.",
      kind: 'message',
      limit: 100,
      unit: 'characters',
      path: 'blocks[0].elements[0].confirm.title.text',
      build: (n) => inActions(button({ confirm: confirm({ title: plain(x(n)) }) })),
    },
    {
      rule: "A confirm dialog's text may be 300 characters and no more.",
      kind: 'message',
      limit: 300,
      unit: 'characters',
      path: 'blocks[0].elements[0].confirm.text.text',
      build: (n) => inActions(button({ confirm: confirm({ text: plain(x(n)) }) })),
    },
    {
      rule: "A confirm dialog's confirm label may be 30 characters and no more.",
      kind: 'message',
      limit: 30,
      unit: 'characters',
      path: 'blocks[0].elements[0].confirm.confirm.text',
      build: (n) => inActions(button({ confirm: confirm({ confirm: plain(x(n)) }) })),
    },
    {
      rule: "A confirm dialog's deny label may be 30 characters and no more.",
      kind: 'message',
      limit: 30,
      unit: 'characters',
      path: 'blocks[0].elements[0].confirm.deny.text',
      build: (n) => inActions(button({ confirm: confirm({ deny: plain(x(n)) }) })),
    },
  ];

  it.each(boundaries)('$rule', ({ kind, limit, unit, path, build }) => {
    expect(violationsOf(kind, build(limit))).toEqual([]);
    expect(violationsOf(kind, build(limit + 1))).toEqual([`${path}: ${limit + 1} > ${limit}${unit === '' ? '' : ` ${unit}`}`]);
  });

  it('reports the over-long button text of the fourth block with its full path.', () => {
    const payload = message(
      { type: 'header', text: plain('Floating IPs') },
      { type: 'divider' },
      { type: 'section', text: md('One free address') },
      { type: 'actions', elements: [button({ action_id: 'attach' }), button({ action_id: 'release', text: plain(x(81)) })] },
    );
    expect(() => assertWithinLimits('message', payload)).toThrow('blocks[3].elements[1].text.text: 81 > 75 characters');
  });

  it('needs at least two options in an overflow menu.', () => {
    expect(violationsOf('message', withAccessory({ type: 'overflow', options: options(2) }))).toEqual([]);
    expect(violationsOf('message', withAccessory({ type: 'overflow', options: options(1) }))).toEqual([
      'blocks[0].accessory.options: 1 < 2 items',
    ]);
  });

  it('accepts a min_query_length of zero but not a negative or fractional one.', () => {
    expect(violationsOf('message', withAccessory({ type: 'external_select', min_query_length: 0 }))).toEqual([]);
    expect(violationsOf('message', withAccessory({ type: 'external_select', min_query_length: -1 }))).toEqual([
      'blocks[0].accessory.min_query_length: -1 < 0',
    ]);
    expect(violationsOf('message', withAccessory({ type: 'external_select', min_query_length: 1.5 }))).toEqual([
      'blocks[0].accessory.min_query_length: must be a whole number',
    ]);
  });

  it('accepts a plain-text input max_length of one but not zero, and a min_length of zero.', () => {
    expect(violationsOf('modal', inInput({ type: 'plain_text_input', min_length: 0, max_length: 1 }))).toEqual([]);
    expect(violationsOf('modal', inInput({ type: 'plain_text_input', max_length: 0 }))).toEqual(['blocks[0].element.max_length: 0 < 1']);
  });

  it('refuses an empty text object, since Slack needs at least one character.', () => {
    expect(violationsOf('message', message({ type: 'section', text: md('') }))).toEqual(['blocks[0].text.text: must not be empty']);
    expect(violationsOf('message', inActions(button({ text: plain('') })))).toEqual(['blocks[0].elements[0].text.text: must not be empty']);
  });
});

describe('identifiers', () => {
  it('refuses two blocks with the same block_id in a message.', () => {
    const payload = message(
      { type: 'section', block_id: 'fip', text: md('a') },
      { type: 'divider' },
      { type: 'header', block_id: 'fip', text: plain('b') },
    );
    expect(violationsOf('message', payload)).toEqual(['blocks: duplicate block_id "fip" in [0], [2] (Slack rejects duplicates)']);
  });

  it('refuses two blocks with the same block_id in a modal and in a Home tab.', () => {
    const twice = [
      { type: 'divider', block_id: 'same' },
      { type: 'divider', block_id: 'same' },
    ];
    expect(violationsOf('modal', modal(...twice))).toEqual(['blocks: duplicate block_id "same" in [0], [1] (Slack rejects duplicates)']);
    expect(violationsOf('home', home(...twice))).toEqual(['blocks: duplicate block_id "same" in [0], [1] (Slack rejects duplicates)']);
  });

  it('refuses two elements with the same action_id in one actions block.', () => {
    const payload = inActions(button({ action_id: 'go' }), { type: 'overflow', action_id: 'go', options: options(2) });
    expect(violationsOf('message', payload)).toEqual([
      'blocks[0].elements: duplicate action_id "go" in [0], [1] (Slack rejects duplicates)',
    ]);
  });

  it('allows the same action_id in different blocks, since uniqueness is per block.', () => {
    const payload = message(
      { type: 'actions', elements: [button()] },
      { type: 'actions', elements: [button()] },
      { type: 'section', text: md('x'), accessory: button() },
    );
    expect(violationsOf('message', payload)).toEqual([]);
  });

  it('still reports duplicate block_ids when another block is invalid.', () => {
    const payload = message({ type: 'divider', block_id: 'a' }, { type: 'sectoin' }, { type: 'divider', block_id: 'a' });
    expect(violationsOf('message', payload)).toContain('blocks: duplicate block_id "a" in [0], [2] (Slack rejects duplicates)');
  });
});

describe('one primary button', () => {
  it('refuses two primary buttons in a message, a modal or a Home tab, wherever they sit.', () => {
    const primary = () => button({ style: 'primary' });
    const blocks = [
      { type: 'actions', elements: [primary()] },
      { type: 'section', text: md('x'), accessory: primary() },
    ];
    const problem = ['blocks: 2 buttons styled primary (one at most: the next step)'];
    expect(violationsOf('message', message(...blocks))).toEqual(problem);
    expect(violationsOf('modal', modal(...blocks))).toEqual(problem);
    expect(violationsOf('home', home(...blocks))).toEqual(problem);
  });

  it('accepts one primary button beside danger and default ones.', () => {
    const payload = inActions(button({ style: 'primary' }), button({ style: 'danger', action_id: 'b' }), button({ action_id: 'c' }));
    expect(violationsOf('message', payload)).toEqual([]);
  });
});

describe('required and forbidden fields', () => {
  it('refuses a message without top-level text, even when it has blocks.', () => {
    expect(violationsOf('message', { blocks: [{ type: 'divider' }] })).toEqual([
      'text: required: phone notifications show only the top-level text',
    ]);
  });

  it('refuses a message whose text is empty.', () => {
    expect(violationsOf('message', { text: '', blocks: [] })).toEqual(['text: must not be empty']);
  });

  it('refuses a modal with an input block but no submit button.', () => {
    const { submit: _submit, ...noSubmit } = inInput({ type: 'plain_text_input' });
    expect(violationsOf('modal', noSubmit)).toEqual(['submit: required when the blocks contain an input block']);
  });

  it('refuses a section with neither text nor fields.', () => {
    expect(violationsOf('message', message({ type: 'section', accessory: button() }))).toEqual(['blocks[0]: needs text or fields']);
  });

  it('refuses a static select with both options and option groups, or with neither.', () => {
    const both = withAccessory({ type: 'static_select', options: options(1), option_groups: [group('g', options(1))] });
    const neither = withAccessory({ type: 'static_select' });
    expect(violationsOf('message', both)).toEqual(['blocks[0].accessory: needs exactly one of options or option_groups']);
    expect(violationsOf('message', neither)).toEqual(['blocks[0].accessory: needs exactly one of options or option_groups']);
  });

  it('refuses an options answer with both options and option groups, or with neither.', () => {
    expect(violationsOf('options', { options: options(1), option_groups: [group('g', options(1))] })).toEqual([
      '(payload): needs exactly one of options or option_groups',
    ]);
    expect(violationsOf('options', {})).toEqual(['(payload): needs exactly one of options or option_groups']);
  });

  it('refuses an image without a source, or with both a URL and a Slack file.', () => {
    expect(violationsOf('message', message({ type: 'image', alt_text: 'graph' }))).toEqual([
      'blocks[0]: needs exactly one of image_url or slack_file',
    ]);
    expect(
      violationsOf(
        'message',
        withAccessory({ type: 'image', alt_text: 'g', image_url: 'https://i.example/g.png', slack_file: { id: 'F1' } }),
      ),
    ).toEqual(['blocks[0].accessory: needs exactly one of image_url or slack_file']);
  });

  it('refuses an option without a value.', () => {
    expect(violationsOf('message', withAccessory({ type: 'static_select', options: [{ text: plain('a') }] }))).toEqual([
      'blocks[0].accessory.options[0].value: Invalid input: expected string, received undefined',
    ]);
  });

  it('refuses a confirm dialog without a deny label or with mrkdwn text.', () => {
    const { deny: _deny, ...noDeny } = confirm();
    expect(violationsOf('message', inActions(button({ confirm: noDeny })))).toEqual([
      'blocks[0].elements[0].confirm.deny: Invalid input: expected object, received undefined',
    ]);
    expect(violationsOf('message', inActions(button({ confirm: confirm({ text: md('*sure?*') }) })))).toEqual([
      'blocks[0].elements[0].confirm.text.type: must be a plain_text text object here',
    ]);
  });

  it('refuses mrkdwn where Slack wants plain_text: headers, button text, select options.', () => {
    expect(violationsOf('message', message({ type: 'header', text: md('*bold*') }))).toEqual([
      'blocks[0].text.type: must be a plain_text text object here',
    ]);
    expect(violationsOf('message', inActions(button({ text: md('Go') })))).toEqual([
      'blocks[0].elements[0].text.type: must be a plain_text text object here',
    ]);
    expect(violationsOf('message', withAccessory({ type: 'static_select', options: [{ text: md('a'), value: 'a' }] }))).toEqual([
      'blocks[0].accessory.options[0].text.type: must be a plain_text text object here',
    ]);
  });

  it('allows a url on overflow options only.', () => {
    expect(
      violationsOf('message', withAccessory({ type: 'static_select', options: [option('a', 'a', { url: 'https://x.example' })] })),
    ).toEqual(['blocks[0].accessory.options[0]: Unrecognized key: "url"']);
  });

  it('refuses emoji on mrkdwn and verbatim on plain_text.', () => {
    expect(violationsOf('message', message({ type: 'section', text: { type: 'mrkdwn', text: 'a', emoji: true } }))).toEqual([
      'blocks[0].text: Unrecognized key: "emoji"',
    ]);
    expect(violationsOf('message', message({ type: 'section', text: { type: 'plain_text', text: 'a', verbatim: true } }))).toEqual([
      'blocks[0].text: Unrecognized key: "verbatim"',
    ]);
  });

  it('refuses a button style other than primary or danger.', () => {
    expect(violationsOf('message', inActions(button({ style: 'default' })))).toEqual([
      'blocks[0].elements[0].style: must be "primary" or "danger" (leave it out for the default style)',
    ]);
  });

  it('refuses a misspelt key instead of letting Slack drop or reject it.', () => {
    expect(violationsOf('message', message({ type: 'section', text: md('a'), acessory: button() }))).toEqual([
      'blocks[0]: Unrecognized key: "acessory"',
    ]);
  });

  it('refuses a view of the wrong type.', () => {
    expect(violationsOf('modal', { ...modal(), type: 'home' })).toEqual(['type: Invalid input: expected "modal"']);
    expect(violationsOf('home', { ...home(), type: 'modal' })).toEqual(['type: Invalid input: expected "home"']);
  });
});

describe('unknown types', () => {
  it('refuses a misspelt block type and names the types allowed.', () => {
    expect(violationsOf('message', message({ type: 'sectoin', text: md('a') }))).toEqual([
      'blocks[0].type: unknown block type "sectoin" (allowed here: section, header, context, divider, actions, input, image)',
    ]);
  });

  it('refuses an element type the actions block does not take.', () => {
    expect(violationsOf('message', inActions({ type: 'datepicker', action_id: 'when' }))).toEqual([
      'blocks[0].elements[0].type: unknown actions element type "datepicker" (allowed here: button, overflow, static_select, external_select, radio_buttons, checkboxes)',
    ]);
  });

  it('refuses an input element in a section accessory.', () => {
    expect(violationsOf('message', withAccessory({ type: 'plain_text_input' }))).toEqual([
      'blocks[0].accessory.type: unknown accessory type "plain_text_input" (allowed here: button, overflow, static_select, external_select, radio_buttons, checkboxes, image)',
    ]);
  });

  it('refuses a button as the element of an input block.', () => {
    expect(violationsOf('modal', inInput(button()))).toEqual([
      'blocks[0].element.type: unknown input element type "button" (allowed here: plain_text_input, static_select, external_select, radio_buttons, checkboxes)',
    ]);
  });

  it('refuses a button inside a context block.', () => {
    expect(violationsOf('message', message({ type: 'context', elements: [button()] }))).toEqual([
      'blocks[0].elements[0].type: unknown context element type "button" (allowed here: image, plain_text, mrkdwn)',
    ]);
  });

  it('refuses a text object of an unknown type.', () => {
    expect(violationsOf('message', message({ type: 'section', text: { type: 'markdown', text: 'a' } }))).toEqual([
      'blocks[0].text.type: unknown text object type "markdown" (allowed here: plain_text, mrkdwn)',
    ]);
  });
});

describe('assertWithinLimits', () => {
  it('throws a BlockKitLimitError that lists every violation on its own line.', () => {
    const payload = message({ type: 'header', text: plain(x(151)) }, { type: 'actions', elements: [button({ value: x(2001) })] });
    let thrown: unknown;
    try {
      assertWithinLimits('message', payload);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BlockKitLimitError);
    const error = thrown as BlockKitLimitError;
    expect(error.kind).toBe('message');
    expect(error.violations).toEqual(['blocks[0].text.text: 151 > 150 characters', 'blocks[1].elements[0].value: 2001 > 2000 characters']);
    expect(error.message).toBe(
      'Slack would reject this message payload:\n  - blocks[0].text.text: 151 > 150 characters\n  - blocks[1].elements[0].value: 2001 > 2000 characters',
    );
  });

  it('reports problems inside the blocks together with too many blocks.', () => {
    const payload = message(...dividers(50), { type: 'divider', block_id: x(256) });
    expect(violationsOf('message', payload)).toEqual(['blocks[50].block_id: 256 > 255 characters', 'blocks: 51 > 50 items']);
  });

  it('returns quietly for a payload within limits.', () => {
    expect(() => assertWithinLimits('message', message({ type: 'section', text: md('ok') }))).not.toThrow();
    expect(limitViolations('message', message({ type: 'section', text: md('ok') }))).toEqual([]);
  });

  it('names the payload itself when it is not an object.', () => {
    expect(violationsOf('message', 'hello')).toEqual(['(payload): Invalid input: expected object, received string']);
  });
});
