/**
 * Slack's request signing (v0): `X-Slack-Signature: v0=<hex HMAC-SHA256(signing
 * secret, "v0:" + timestamp + ":" + raw body)>` beside `X-Slack-Request-Timestamp`
 * (seconds). Bolt refuses a timestamp more than 5 minutes old, then compares
 * signatures; it keeps no memory of past requests, so a replay inside those
 * 5 minutes is accepted (an app that must not act twice dedupes by itself).
 */
import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'X-Slack-Signature': string;
  'X-Slack-Request-Timestamp': string;
}

/** How to sign: honestly, with the wrong secret, or 6 minutes in the past. */
export type SigningMode = 'valid' | 'forged' | 'stale';

/** A request exactly as sent, kept so that it can be replayed byte for byte. */
export interface SignedRequest {
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

/** Bolt's limit is 5 minutes; 6 is safely past it without depending on rounding. */
export const STALE_AGE_SECONDS = 6 * 60;

export function signRequest(secret: string, body: string, timestamp: number): SlackSignatureHeaders {
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'X-Slack-Signature': `v0=${digest}`, 'X-Slack-Request-Timestamp': String(timestamp) };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Builds the headers Slack would send with `body`, signed as `mode` asks. */
export function signedRequest(secret: string, body: string, contentType: string, mode: SigningMode = 'valid'): SignedRequest {
  const timestamp = mode === 'stale' ? nowSeconds() - STALE_AGE_SECONDS : nowSeconds();
  // A forger knows the format but not the secret: any other secret will do.
  const key = mode === 'forged' ? `${secret}-but-not-really` : secret;
  return { body, contentType, headers: { 'Content-Type': contentType, ...signRequest(key, body, timestamp) } };
}
