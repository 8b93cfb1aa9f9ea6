/**
 * response_urls as Slack hands them out with slash commands and message
 * interactions: `POST <url>` with a JSON message (text, blocks,
 * response_type, replace_original, delete_original), at most 5 times within
 * 30 minutes (Slack's "Handling user interaction" guide,
 * api.slack.com/interactivity/handling). Every attempt is recorded per URL;
 * accepted ones change what users see in `MessageStore`.
 *
 * Refusals. Slack documents the limits but not the exact refusal; its
 * webhook-style endpoints answer a 4xx with a bare error string (changelog
 * 2016-05-17, "Improving error conditions for Incoming Webhooks"). We answer:
 *   - 6th use:           404, body `used_url`
 *   - after 30 minutes:  404, body `expired_url`
 *   - unknown URL:       404, body `no_service`
 *   - unreadable body:   400, body `invalid_payload`
 *   - nothing to show:   400, body `no_text`
 * Any non-2xx makes Bolt's respond() throw RespondError, which is what a bot
 * must handle; the exact string matters less.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asBlocks, isJson, str, withSlackIds, type Json } from './blocks.js';
import type { SimClock } from './clock.js';
import { readBody, sendJson, sendText } from './http.js';
import type { Ids } from './ids.js';
import type { MessageStore, SimMessage } from './messages.js';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface ResponseUrlContext {
  channel: string;
  /** Who acted: non-in_channel responses are ephemeral to them. */
  user: string;
  /** The message the interaction came from, which replace_original / delete_original edit. */
  source?: { channel: string; ts: string };
}

export interface RecordedResponse {
  at: number;
  /** What the URL answered: 200 when accepted. */
  status: number;
  answer: string;
  body: Json;
  text?: string;
  blocks: Json[];
  responseType?: string;
  replaceOriginal: boolean;
  deleteOriginal: boolean;
  /** The message this response created or replaced, when accepted. */
  message?: SimMessage;
}

interface Issued extends ResponseUrlContext {
  issuedAt: number;
  uses: number;
  attempts: RecordedResponse[];
}

export class ResponseUrls {
  private readonly byId = new Map<string, Issued>();
  private readonly byUrl = new Map<string, Issued>();

  constructor(
    /** Where the server mounts the route, e.g. "http://127.0.0.1:PORT/response/". */
    private readonly base: string,
    private readonly clock: SimClock,
    private readonly ids: Ids,
    private readonly messages: MessageStore,
  ) {}

  issue(context: ResponseUrlContext): string {
    const id = `${this.ids.next('B')}/${this.ids.next('R').toLowerCase()}`;
    const issued: Issued = { ...context, issuedAt: this.clock.now(), uses: 0, attempts: [] };
    this.byId.set(id, issued);
    this.byUrl.set(this.base + id, issued);
    return this.base + id;
  }

  /** Every attempt on `url`, refused ones included, oldest first. */
  responses(url: string): RecordedResponse[] {
    return [...(this.byUrl.get(url)?.attempts ?? [])];
  }

  /** The route handler to mount under `base`'s path. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const raw = await readBody(req);
    const issued = this.byId.get(id);
    if (issued === undefined || req.method !== 'POST') return sendText(res, 404, 'no_service');
    const body = parse(req.headers['content-type'], raw);
    const attempt: RecordedResponse = {
      at: this.clock.now(),
      status: 200,
      answer: '',
      body: body ?? {},
      text: str(body?.text),
      blocks: asBlocks(body?.blocks),
      responseType: str(body?.response_type),
      replaceOriginal: body?.replace_original === true || body?.replace_original === 'true',
      deleteOriginal: body?.delete_original === true || body?.delete_original === 'true',
    };
    issued.attempts.push(attempt);
    const refusal = this.refusal(issued, attempt, body);
    if (refusal !== undefined) {
      [attempt.status, attempt.answer] = refusal;
      return sendText(res, refusal[0], refusal[1]);
    }
    issued.uses++;
    attempt.message = this.apply(issued, attempt);
    attempt.answer = '{"ok":true}';
    sendJson(res, 200, { ok: true });
  };

  private refusal(issued: Issued, attempt: RecordedResponse, body: Json | undefined): [number, string] | undefined {
    if (this.clock.now() - issued.issuedAt > RESPONSE_URL_TTL_MS) return [404, 'expired_url'];
    if (issued.uses >= RESPONSE_URL_MAX_USES) return [404, 'used_url'];
    if (body === undefined) return [400, 'invalid_payload'];
    if (!attempt.deleteOriginal && (attempt.text ?? '') === '' && attempt.blocks.length === 0) return [400, 'no_text'];
    return undefined;
  }

  private apply(issued: Issued, attempt: RecordedResponse): SimMessage | undefined {
    const original = issued.source && this.messages.find(issued.source.channel, issued.source.ts);
    if (attempt.deleteOriginal) {
      if (original) original.deleted = true;
      return original;
    }
    const blocks = withSlackIds(attempt.blocks, this.ids);
    if (attempt.replaceOriginal && original) {
      this.messages.replace(original, attempt.text, blocks);
      return original;
    }
    // Without replace_original a response is a new message: in the channel, or only for the user who acted.
    const inChannel = attempt.responseType === 'in_channel';
    return this.messages.add({
      channel: issued.channel,
      ts: this.ids.ts(),
      text: attempt.text,
      blocks,
      ephemeral: !inChannel,
      visibleTo: inChannel ? undefined : issued.user,
      source: 'response_url',
    });
  }
}

/** Bolt's respond() posts JSON; old integrations post `payload=<json>` forms. Undefined when unreadable. */
function parse(contentType: string | undefined, raw: string): Json | undefined {
  try {
    const text = (contentType ?? '').includes('x-www-form-urlencoded') ? (new URLSearchParams(raw).get('payload') ?? '') : raw;
    const parsed: unknown = JSON.parse(text);
    return isJson(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
