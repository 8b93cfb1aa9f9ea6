/**
 * Identifiers. Seeded resources get ids derived from their names so a demo
 * session is reproducible; resources created over the API get random ones, as
 * in a real cloud. The adapter must never rely on either.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha1').update(`fipbot-demo-cloud:${text}`).digest();
}

/** A stable UUID (version-5 layout) for a seeded resource of a kind and name. */
export function stableUuid(kind: string, name: string): string {
  const bytes = Buffer.from(digest(`${kind}:${name}`).subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A stable 32-hex-digit id, the form Keystone uses for users, projects and roles. */
export function stableHexId(kind: string, name: string): string {
  return digest(`${kind}:${name}`).toString('hex').slice(0, 32);
}

export function newUuid(): string {
  return randomUUID();
}

export function newHexId(): string {
  return randomBytes(16).toString('hex');
}

export function newRequestId(): string {
  return `req-${randomUUID()}`;
}

/** OpenStack's default MAC prefix fa:16:3e, the rest derived from a seed string. */
export function macAddressFor(seed: string): string {
  const bytes = digest(`mac:${seed}`);
  const tail = [bytes[0], bytes[1], bytes[2]].map((b) => (b ?? 0).toString(16).padStart(2, '0'));
  return `fa:16:3e:${tail.join(':')}`;
}

/** Looks like a Fernet token (same prefix, similar length) without being one. */
export function newToken(): string {
  return `gAAAAAB${randomBytes(136).toString('base64url')}`;
}

export function newAuditId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Neutron's and Nova's notion of a UUID (dashes optional, any case). */
export function looksLikeUuid(text: string): boolean {
  return UUID_RE.test(text);
}

/**
 * oslo_utils.uuidutils.is_uuid_like, which Nova's "uuid" format uses: after
 * dropping "urn:", "uuid:", surrounding braces and every dash, 32 hex digits.
 */
export function isUuidLike(text: string): boolean {
  const bare = text
    .replace(/urn:/g, '')
    .replace(/uuid:/g, '')
    .replace(/^[{}]+|[{}]+$/g, '')
    .replace(/-/g, '');
  return /^[0-9a-fA-F]{32}$/.test(bare);
}
