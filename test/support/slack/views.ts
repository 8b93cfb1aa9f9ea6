/**
 * Modals and Home tabs as Slack keeps them: per-user stacks of at most 3
 * modals, a hash that changes with every update (views.update with an old
 * hash is refused with hash_conflict), one Home view per user, and what a
 * view_submission ack does to the stack (errors / update / push / clear /
 * close).
 */
import { withSlackIds, isJson, str, type Json } from './blocks.js';
import type { Ids } from './ids.js';
import type { Workspace } from './workspace.js';

export const MAX_MODAL_STACK = 3;

export interface SimView {
  id: string;
  type: string;
  user: string;
  title: Json | null;
  submit: Json | null;
  close: Json | null;
  blocks: Json[];
  callbackId: string;
  privateMetadata: string;
  externalId: string;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  clearOnClose: boolean;
  notifyOnClose: boolean;
  /** False once closed by the user or by a submission. */
  open: boolean;
  /** Every definition the bot gave this view, oldest first; the last is the current one. */
  definitions: Json[];
}

export type ViewResult = { ok: true; view: SimView } | { ok: false; error: string };

export class ViewStore {
  private readonly list: SimView[] = [];

  constructor(
    private readonly ids: Ids,
    private readonly workspace: Workspace,
  ) {}

  all(): SimView[] {
    return [...this.list];
  }

  get(id: string): SimView | undefined {
    return this.list.find((v) => v.id === id);
  }

  /** The open modals of one stack, bottom first. */
  stack(rootViewId: string): SimView[] {
    return this.list.filter((v) => v.rootViewId === rootViewId && v.open && v.type === 'modal');
  }

  /** The modal on top of a user's most recently opened stack. */
  topModalOf(user: string): SimView | undefined {
    return this.list.filter((v) => v.user === user && v.open && v.type === 'modal').at(-1);
  }

  homeOf(user: string): SimView | undefined {
    return this.list.find((v) => v.user === user && v.type === 'home');
  }

  open(definition: unknown, user: string): ViewResult {
    const checked = this.check(definition);
    if (!checked.ok) return checked;
    const id = this.ids.next('V');
    return this.add(checked.definition, { id, user, rootViewId: id, previousViewId: null });
  }

  push(definition: unknown, user: string, rootViewId: string | undefined): ViewResult {
    const checked = this.check(definition);
    if (!checked.ok) return checked;
    const root = rootViewId ?? this.topModalOf(user)?.rootViewId;
    const stack = root === undefined ? [] : this.stack(root);
    if (root === undefined || stack.length === 0) return { ok: false, error: 'not_found' };
    if (stack.length >= MAX_MODAL_STACK) return { ok: false, error: 'push_limit_reached' };
    return this.add(checked.definition, { id: this.ids.next('V'), user, rootViewId: root, previousViewId: stack.at(-1)!.id });
  }

  update(args: Json): ViewResult {
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    if ((viewId === undefined) === (externalId === undefined)) return { ok: false, error: 'invalid_arguments' };
    const view = viewId !== undefined ? this.get(viewId) : this.list.find((v) => v.externalId === externalId);
    if (view === undefined) return { ok: false, error: 'not_found' };
    const checked = this.check(args.view, view.id);
    if (!checked.ok) return checked;
    const hash = str(args.hash);
    if (hash !== undefined && hash !== view.hash) return { ok: false, error: 'hash_conflict' };
    this.redefine(view, checked.definition);
    return { ok: true, view };
  }

  publish(args: Json): ViewResult {
    const user = str(args.user_id);
    if (user === undefined) return { ok: false, error: 'invalid_arguments' };
    const existing = this.homeOf(user);
    const checked = this.check(args.view, existing?.id);
    if (!checked.ok) return checked;
    if (checked.definition.type !== 'home') return { ok: false, error: 'invalid_arguments' };
    if (existing === undefined) {
      const id = this.ids.next('V');
      return this.add(checked.definition, { id, user, rootViewId: id, previousViewId: null });
    }
    const hash = str(args.hash);
    if (hash !== undefined && hash !== existing.hash) return { ok: false, error: 'hash_conflict' };
    this.redefine(existing, checked.definition);
    return { ok: true, view: existing };
  }

  /** What Slack does with the modal after the app acks a view_submission with `ack`. */
  applySubmissionAck(view: SimView, ack: unknown): void {
    const action = isJson(ack) ? str(ack.response_action) : undefined;
    if (action === 'errors') return;
    if (action === 'update' && isJson(ack)) {
      const checked = this.check(ack.view, view.id);
      if (checked.ok) this.redefine(view, checked.definition);
      return;
    }
    if (action === 'push' && isJson(ack)) {
      this.push(ack.view, view.user, view.rootViewId);
      return;
    }
    if (action === 'clear') {
      for (const v of this.stack(view.rootViewId)) v.open = false;
      return;
    }
    // A plain ack closes the submitted view; the one under it, if any, shows again.
    view.open = false;
  }

  /** The user dismissed the modal (Cancel or ×): the whole stack goes when clear_on_close, else the top view. */
  close(view: SimView): void {
    if (view.clearOnClose) for (const v of this.stack(view.rootViewId)) v.open = false;
    else view.open = false;
  }

  /** A view as Slack serialises it in API responses and payloads. */
  output(view: SimView, stateValues: Json = {}): Json {
    return {
      id: view.id,
      team_id: this.workspace.team.id,
      type: view.type,
      blocks: view.blocks,
      private_metadata: view.privateMetadata,
      callback_id: view.callbackId,
      state: { values: stateValues },
      hash: view.hash,
      title: view.title,
      clear_on_close: view.clearOnClose,
      notify_on_close: view.notifyOnClose,
      close: view.close,
      submit: view.submit,
      previous_view_id: view.previousViewId,
      root_view_id: view.rootViewId,
      app_id: this.workspace.appId,
      external_id: view.externalId,
      app_installed_team_id: this.workspace.team.id,
      bot_id: this.workspace.botId,
    };
  }

  /** Slack's checks on a view definition; `selfId` is the view being redefined, which may keep its external_id. */
  private check(definition: unknown, selfId?: string): { ok: true; definition: Json } | { ok: false; error: string } {
    if (!isJson(definition) || (definition.type !== 'modal' && definition.type !== 'home'))
      return { ok: false, error: 'invalid_arguments' };
    if (definition.type === 'modal' && !isJson(definition.title)) return { ok: false, error: 'invalid_arguments' };
    const externalId = str(definition.external_id);
    if (externalId !== undefined && externalId !== '' && this.list.some((v) => v.externalId === externalId && v.id !== selfId)) {
      return { ok: false, error: 'duplicate_external_id' };
    }
    return { ok: true, definition };
  }

  private add(definition: Json, place: { id: string; user: string; rootViewId: string; previousViewId: string | null }): ViewResult {
    const view: SimView = {
      ...place,
      type: String(definition.type),
      title: null,
      submit: null,
      close: null,
      blocks: [],
      callbackId: '',
      privateMetadata: '',
      externalId: '',
      hash: '',
      clearOnClose: false,
      notifyOnClose: false,
      open: true,
      definitions: [],
    };
    this.redefine(view, definition);
    this.list.push(view);
    return { ok: true, view };
  }

  private redefine(view: SimView, definition: Json): void {
    view.definitions.push(structuredClone(definition));
    view.type = String(definition.type);
    view.title = isJson(definition.title) ? definition.title : null;
    view.submit = isJson(definition.submit) ? definition.submit : null;
    view.close = isJson(definition.close) ? definition.close : null;
    view.blocks = withSlackIds(definition.blocks, this.ids);
    view.callbackId = str(definition.callback_id) ?? '';
    view.privateMetadata = str(definition.private_metadata) ?? '';
    view.externalId = str(definition.external_id) ?? '';
    view.clearOnClose = definition.clear_on_close === true;
    view.notifyOnClose = definition.notify_on_close === true;
    view.hash = this.ids.viewHash();
  }
}
