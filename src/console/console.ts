/**
 * The local console: type the same `/fip ...` commands as in Slack and see
 * the same messages, rendered as text; buttons are numbered choices, modals
 * become short prompts. Everything goes through the real Slack layer (see
 * loopback-slack.ts), so what works here works in Slack.
 */
import type { LoopbackSlack } from './loopback-slack.js';
import { type ConsoleMessage, type ConsoleView, type Json, str } from './loopback-slack.js';
import { OPERATIONS } from '../operations/registry.js';
import { printable } from '../terminal-text.js';
import { type Choice, plainText, renderBlocks } from './render.js';

export interface ConsoleIO {
  /** The next line the person typed, or undefined at end of input. */
  ask(prompt: string): Promise<string | undefined>;
  write(text: string): void;
}

// The commands as the registry words them, a few to a line.
const COMMANDS = [...OPERATIONS.map((operation) => operation.usage.replace(/^\/fip /, '')), 'help'];
const BANNER = [
  'fipbot console: the /fip commands of Slack, here.',
  ...Array.from({ length: Math.ceil(COMMANDS.length / 4) }, (_, i) => `  ${COMMANDS.slice(i * 4, i * 4 + 4).join(' | ')}`),
  '  (the leading "/fip" is optional)   home: the App Home tab   a number: press that button   quit',
  '',
];

export class ConsoleSession {
  private choices: Choice[] = [];
  private readonly names: ReadonlyMap<string, string>;
  private surfaces = new Map<number, { message: ConsoleMessage } | { view: ConsoleView }>();
  /** The one way out to the terminal: names and messages from the cloud or Slack are printed, never obeyed. */
  private readonly io: ConsoleIO;

  constructor(
    private readonly slack: LoopbackSlack,
    io: ConsoleIO,
  ) {
    this.io = { ask: (prompt) => io.ask(printable(prompt)), write: (text) => io.write(printable(text)) };
    this.names = new Map([[slack.user.id, slack.user.name]]);
    slack.onEvent((event) => {
      if (event.type === 'message') this.showMessage(event.message, event.replaced);
      if (event.type === 'view' && event.view.type === 'home')
        this.showBlocks('Home', (event.view.definition.blocks as Json[]) ?? [], { view: event.view });
    });
  }

  async run(): Promise<void> {
    this.io.write(BANNER.join('\n'));
    for (;;) {
      const line = await this.io.ask('fip> ');
      if (line === undefined) return;
      const text = line.trim();
      if (text === 'quit' || text === 'exit') return;
      if (text === '') continue;
      try {
        await this.handle(text);
      } catch (error) {
        this.io.write(`(console error: ${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }

  private async handle(text: string): Promise<void> {
    if (/^\d+$/.test(text)) return this.press(Number(text));
    if (text === 'home') {
      this.resetChoices();
      await this.slack.openHome();
      return;
    }
    this.resetChoices();
    await this.slack.command(text.replace(/^\/?fip\b\s*/, ''));
    await this.runOpenModal();
  }

  private async press(number: number): Promise<void> {
    const choice = this.choices.find((candidate) => candidate.number === number);
    const surface = this.surfaces.get(number);
    if (!choice || !surface) return this.io.write(`(no button ${number} on screen)`);
    if (choice.confirm) {
      this.io.write(`${choice.confirm.title}\n${choice.confirm.text}`);
      const answer = await this.io.ask(`${choice.confirm.confirm}? [y/N] `);
      if (!/^y(es)?$/i.test(answer?.trim() ?? '')) return this.io.write(`(${choice.confirm.deny})`);
    }
    this.resetChoices();
    await this.slack.act(surface, choice.element, choice.blockId, choice.selected);
    await this.runOpenModal();
  }

  // ---- messages ----

  private showMessage(message: ConsoleMessage, replaced: boolean): void {
    const who = message.ephemeral ? 'only you' : '#console';
    this.showBlocks(
      `${replaced ? 'updated, ' : ''}${who}`,
      message.blocks.length ? message.blocks : [{ type: 'section', text: { type: 'mrkdwn', text: message.text } }],
      { message },
    );
  }

  private showBlocks(label: string, blocks: Json[], surface: { message: ConsoleMessage } | { view: ConsoleView }): void {
    const { lines, choices } = renderBlocks(blocks, this.choices.length + 1, this.names);
    for (const choice of choices) this.surfaces.set(choice.number, surface);
    this.choices.push(...choices);
    this.io.write(`\n[${label}]\n${lines.join('\n')}`);
  }

  private resetChoices(): void {
    this.choices = [];
    this.surfaces.clear();
  }

  // ---- modals ----

  private openModal(): ConsoleView | undefined {
    return [...this.slack.views.values()].filter((view) => view.type === 'modal' && view.open).at(-1);
  }

  /** Walks the open modal: one prompt per input, then submit or close, until it closes. */
  private async runOpenModal(): Promise<void> {
    for (let view = this.openModal(); view; view = this.openModal()) {
      const definition = view.definition;
      this.io.write(`\n[form] ${plainText(str((definition.title as Json | undefined)?.text))}`);
      const blocks = (definition.blocks as Json[]) ?? [];
      const { lines } = renderBlocks(
        blocks.filter((block) => block.type !== 'input'),
        1,
        this.names,
      );
      if (lines.length) this.io.write(lines.join('\n'));

      const values: Record<string, Record<string, unknown>> = {};
      let reshaped = false;
      for (const block of blocks.filter((b) => b.type === 'input')) {
        const outcome = await this.askInput(view, block, values);
        if (outcome === 'reshaped') {
          reshaped = true;
          break;
        }
        if (outcome === 'cancelled') {
          this.slack.close(view);
          return this.io.write('(form closed, nothing changed)');
        }
      }
      if (reshaped) continue;

      const submit = (definition.submit as Json | undefined)?.text as string | undefined;
      const close = ((definition.close as Json | undefined)?.text as string | undefined) ?? 'Close';
      if (!submit) {
        await this.io.ask(`[Enter] ${close} `);
        this.slack.close(view);
        return;
      }
      const answer = await this.io.ask(`[1] ${submit}   [2] ${close}  > `);
      if (answer?.trim() !== '1') {
        this.slack.close(view);
        return this.io.write('(form closed, nothing changed)');
      }
      const ack = (await this.slack.submit(view, values)) as { response_action?: string; errors?: Record<string, string> } | undefined;
      if (ack?.response_action === 'errors') {
        for (const message of Object.values(ack.errors ?? {})) this.io.write(`  ✗ ${message}`);
        continue;
      }
    }
  }

  /** Asks for one input block's value; records it in Slack's state.values shape. */
  private async askInput(
    view: ConsoleView,
    block: Json,
    values: Record<string, Record<string, unknown>>,
  ): Promise<'ok' | 'reshaped' | 'cancelled'> {
    const element = block.element as Json;
    const blockId = String(block.block_id);
    const actionId = String(element.action_id);
    const label = plainText(str((block.label as Json | undefined)?.text));
    const optional = block.optional === true;
    const initial = element.initial_option as Json | undefined;
    const set = (value: unknown) => {
      values[blockId] = { [actionId]: value };
    };

    if (element.type === 'static_select') {
      const options = (element.options as Json[]) ?? [];
      options.forEach((option, index) => this.io.write(`  ${index + 1}. ${plainText(str((option.text as Json | undefined)?.text))}`));
      const answer = (
        await this.io.ask(`${label}${initial ? ` [Enter: ${plainText(str((initial.text as Json | undefined)?.text))}]` : ''} > `)
      )?.trim();
      if (answer === undefined) return 'cancelled';
      const picked = answer === '' && initial ? initial : options[Number(answer) - 1];
      if (!picked) return this.askInput(view, block, values);
      set({ type: 'static_select', selected_option: picked });
      if (block.dispatch_action === true && picked.value !== initial?.value) {
        await this.slack.act({ view }, element, blockId, picked);
        return 'reshaped';
      }
      return 'ok';
    }

    if (element.type === 'external_select') {
      for (;;) {
        const hint = initial ? ` [Enter: ${plainText(str((initial.text as Json | undefined)?.text))}]` : optional ? ' [Enter: skip]' : '';
        const typed = await this.io.ask(`${label} (type part of it, then pick)${hint} > `);
        if (typed === undefined) return 'cancelled';
        if (typed.trim() === '' && initial) return (set({ type: 'external_select', selected_option: initial }), 'ok');
        if (typed.trim() === '' && optional) return (set({ type: 'external_select', selected_option: null }), 'ok');
        const suggestions =
          ((await this.slack.suggest(view, blockId, actionId, typed.trim())) as { options?: Json[] } | undefined)?.options ?? [];
        if (suggestions.length === 0) {
          this.io.write('  (no match)');
          continue;
        }
        suggestions
          .slice(0, 20)
          .forEach((option, index) => this.io.write(`  ${index + 1}. ${plainText(str((option.text as Json | undefined)?.text))}`));
        const pick = await this.io.ask('  number > ');
        const chosen = suggestions[Number(pick?.trim()) - 1];
        if (chosen) return (set({ type: 'external_select', selected_option: chosen }), 'ok');
      }
    }

    // plain_text_input and anything simpler
    const typed = await this.io.ask(`${label}${optional ? ' [Enter: skip]' : ''} > `);
    if (typed === undefined) return 'cancelled';
    set({ type: 'plain_text_input', value: typed.trim() === '' ? null : typed.trim() });
    return 'ok';
  }
}
