/**
 * In front of Bolt's HTTP receiver: a signed request whose body fipbot cannot
 * use (`null`, `payload=null`, an interaction without the part it is about)
 * is answered 400 here, because inside Bolt it throws where nothing catches
 * it. A timestamp more than 5 minutes ahead is refused (401): Bolt only
 * refuses old ones. Everything else goes to Bolt unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { type HTTPReceiver, HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../log.js';

/** Slack's rule, both ways: a request signed more than 5 minutes from now is refused. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

const user = z.object({ id: z.string().min(1) });
const view = z.object({ id: z.string().min(1), callback_id: z.string() });
/** The parts each kind of request fipbot handles must have; other kinds go to Bolt as they are. */
const SHAPES: Record<string, z.ZodType> = {
  block_actions: z.object({ user, actions: z.array(z.object({ action_id: z.string() })).min(1) }),
  view_submission: z.object({ user, view }),
  view_closed: z.object({ user, view }),
  block_suggestion: z.object({ user, action_id: z.string() }),
  event_callback: z.object({ event: z.object({ type: z.string() }) }),
  url_verification: z.object({ challenge: z.string() }),
};
const slashCommand = z.object({ command: z.string().min(1), user_id: z.string().min(1), team_id: z.string() });

/** Wraps the receiver's listener (before it starts): signed but unusable requests get 400, future ones 401. */
export function guardRequests(receiver: HTTPReceiver, options: { signingSecret: string; logger: Logger; now?: () => number }): void {
  const next = receiver.requestListener;
  const now = options.now ?? Date.now;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return next(req, res);
    const answer = (status: number, why: string) => {
      options.logger.warn(`request refused before Bolt: ${why}`, { status });
      if (!res.headersSent) res.writeHead(status).end();
    };
    // Bolt's own limit, read before anything else: an unsigned sender must not make fipbot hold a large body.
    HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit).then(
      (buffered) => {
        let refusal: { status: number; why: string } | undefined;
        try {
          refusal = refuse(buffered.rawBody.toString(), req, options.signingSecret, now());
        } catch {
          refusal = { status: 400, why: 'body fipbot cannot read' };
        }
        if (refusal === undefined) return next(req, res);
        answer(refusal.status, refusal.why);
      },
      (error: unknown) => {
        if (HTTPModuleFunctions.isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413))
          answer(413, 'body too large');
        // The client went away: nobody is left to answer.
        else req.socket.destroy();
      },
    );
  };
}

function refuse(body: string, req: IncomingMessage, signingSecret: string, nowMs: number): { status: number; why: string } | undefined {
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  const signature = req.headers['x-slack-signature'];
  // Unsigned or forged requests are Bolt's to refuse (401); nothing about their body is said.
  if (
    typeof signature !== 'string' ||
    !isValidSlackRequest({ signingSecret, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } })
  ) {
    return undefined;
  }
  if (timestamp > nowMs / 1000 + MAX_CLOCK_SKEW_SECONDS) return { status: 401, why: 'timestamp more than 5 minutes ahead' };
  const parsed = parseBody(body, req.headers['content-type']);
  if (parsed === undefined) return { status: 400, why: 'body is not a JSON object or a form' };
  if (parsed.ssl_check === '1') return undefined;
  if (typeof parsed.command === 'string')
    return slashCommand.safeParse(parsed).success ? undefined : { status: 400, why: 'slash command without its fields' };
  const shape = typeof parsed.type === 'string' && Object.hasOwn(SHAPES, parsed.type) ? SHAPES[parsed.type] : undefined;
  if (shape && !shape.safeParse(parsed).success) return { status: 400, why: `${parsed.type as string} without its parts` };
  return undefined;
}

/** As Bolt parses it: a form (its `payload` field holding JSON), or JSON; undefined unless the result is an object. */
function parseBody(body: string, contentType: string | undefined): Record<string, unknown> | undefined {
  try {
    let value: unknown;
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = parseQuery(body);
      value = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    } else {
      value = JSON.parse(body);
    }
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
