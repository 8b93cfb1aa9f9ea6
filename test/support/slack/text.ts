/**
 * Flattens a message, a view or a list of blocks into the text a person
 * would read, one line per visible piece: headers, sections and their
 * fields, context, inputs, and interactive elements as `[Button text]`.
 * For assertions (`toContain('[Release]')`) and for transcripts.
 */
import { asBlocks, elementsOf, isJson, optionsOf, str, textOf, type Json } from './blocks.js';

export type Renderable = Json[] | { blocks?: unknown; text?: unknown; title?: unknown; submit?: unknown; close?: unknown };

function element(el: Json): string {
  const label = textOf(el.text) ?? textOf(el.placeholder);
  switch (el.type) {
    case 'button':
      return `[${label ?? ''}]`;
    case 'overflow':
      return `[⋯ ${optionsOf(el)
        .map((o) => textOf(o.text) ?? '')
        .join(' | ')}]`;
    case 'image':
      return `(image: ${str(el.alt_text) ?? ''})`;
    case 'radio_buttons':
    case 'checkboxes':
      return optionsOf(el)
        .map((o) => `( ) ${textOf(o.text) ?? ''}`)
        .join('  ');
    default: {
      const initial = str(el.initial_value) ?? textOf(isJson(el.initial_option) ? el.initial_option.text : undefined);
      if (String(el.type).endsWith('_input')) return `[${initial ?? label ?? '____'}]`;
      return `[${label ?? String(el.type)}${initial ? `: ${initial}` : ''} ▾]`;
    }
  }
}

function richText(value: unknown): string {
  if (Array.isArray(value)) return value.map(richText).join('');
  if (!isJson(value)) return '';
  if (typeof value.text === 'string') return value.text;
  if (value.type === 'user') return `<@${String(value.user_id)}>`;
  if (value.type === 'channel') return `<#${String(value.channel_id)}>`;
  if (value.type === 'link') return str(value.text) ?? String(value.url);
  const inner = richText(value.elements);
  return value.type === 'rich_text_list' || value.type === 'rich_text_section' ? `${inner}\n` : inner;
}

function block(b: Json): string[] {
  const controls = elementsOf(b).map(element);
  switch (b.type) {
    case 'header':
      return [`# ${textOf(b.text) ?? ''}`];
    case 'section':
      return [textOf(b.text), ...asBlocks(b.fields).map((f) => textOf(f)), ...controls].filter((line): line is string => !!line);
    case 'context':
      return [
        asBlocks(b.elements)
          .map((e) => (e.type === 'image' ? element(e) : (textOf(e) ?? '')))
          .join(' '),
      ];
    case 'actions':
      return [controls.join(' ')];
    case 'input':
      return [`${textOf(b.label) ?? ''}${b.optional === true ? ' (optional)' : ''}: ${controls.join(' ')}`];
    case 'divider':
      return ['---'];
    case 'image':
      return [element(b)];
    case 'rich_text':
      return richText(b.elements).trimEnd().split('\n');
    default:
      return textOf(b.text) ? [textOf(b.text)!] : [];
  }
}

/** Readable text of blocks, a message ({text, blocks}) or a view ({title, blocks, submit, close}). */
export function renderText(source: Renderable): string {
  if (Array.isArray(source)) return source.flatMap(block).join('\n');
  const blocks = asBlocks(source.blocks);
  const lines: string[] = [];
  const title = textOf(source.title);
  if (title) lines.push(`== ${title} ==`);
  // Slack shows blocks when there are any; `text` is then only the notification fallback.
  if (blocks.length > 0) lines.push(...blocks.flatMap(block));
  else if (typeof source.text === 'string') lines.push(source.text);
  const buttons = [textOf(source.close), textOf(source.submit)].filter(Boolean).map((t) => `[${t}]`);
  if (buttons.length > 0) lines.push(buttons.join(' '));
  return lines.join('\n');
}
