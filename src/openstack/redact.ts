/**
 * Scrubs secrets from text before it can reach a log line or a user.
 *
 * Two layers: the values we know are secret (the configured password or
 * application-credential secret, every token Keystone gave us) are replaced
 * wherever they appear, and shapes that look like secrets (Fernet/JWS tokens,
 * `"password": "..."` in JSON, `X-Auth-Token: ...` headers) are replaced even
 * when we never saw the value, because OpenStack sometimes echoes input back.
 */

const REDACTED = '[REDACTED]';

/** Headers whose values are secrets whatever their content. */
export const SECRET_HEADERS = new Set(['x-auth-token', 'x-subject-token', 'authorization', 'cookie', 'set-cookie']);

const SECRET_SHAPES: Array<[RegExp, string]> = [
  // Keystone Fernet tokens start with gAAAAA; JWS tokens are three base64url parts.
  [/gAAAAA[A-Za-z0-9_\-=]{20,}/g, REDACTED],
  // Slack tokens (bot, user, app-level, refresh): xoxb-..., xoxp-..., xapp-...
  [/\bxox[abeoprs]-[A-Za-z0-9-]{8,}/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]{8,}/g, REDACTED],
  [/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, REDACTED],
  // JSON members named like secrets, e.g. {"password": "hunter2"} or "secret":"..."
  [/("(?:password|secret|token|application_credential_secret)"\s*:\s*")(?:[^"\\]|\\.)*"/gi, `$1${REDACTED}"`],
  // Header lines: "X-Auth-Token: abc", and "Authorization: Bearer abc" (the credential follows the scheme word)
  [/((?:x-auth-token|x-subject-token|authorization)\s*[:=]\s*)(?:(?:Bearer|Basic|Digest|Negotiate)\s+)?[^\s,;]+/gi, `$1${REDACTED}`],
];

export class Redactor {
  private readonly known = new Set<string>();
  private readonly rotating: string[] = [];

  /** Remember a value that must never be printed. Short values are ignored: redacting "a" would shred every message. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.known.add(value);
  }

  /**
   * Remember a value that is replaced over time (a token): the last few stay
   * known, because requests sent with an older one may still be answering.
   */
  addRotatingSecret(value: string, keep = 4): void {
    this.addSecret(value);
    this.rotating.push(value);
    while (this.rotating.length > keep) this.known.delete(this.rotating.shift()!);
  }

  redact(text: string): string {
    let out = text;
    // Longest first: a short secret (a password) inside a longer one (a token) must not cut the longer one into unmatched pieces.
    for (const secret of [...this.known].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
    return out;
  }

  /** A copy of the headers with secret header values replaced. */
  redactHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : this.redact(value);
    }
    return out;
  }
}

/** A redactor that knows no values, only shapes: for places without access to the session's. */
export const shapeRedactor = new Redactor();
