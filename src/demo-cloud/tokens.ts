/**
 * Issued Keystone tokens. Services validate X-Auth-Token against this table;
 * the expire-all knob makes every token fail at once so clients must
 * re-authenticate (what happens when a real cloud rotates its Fernet keys).
 */
import { newAuditId, newToken } from './ids.js';
import type { AuthContext, Role } from './model.js';

export interface TokenRecord {
  token: string;
  userId: string;
  projectId: string;
  roles: Role[];
  methods: string[];
  issuedAt: Date;
  expiresAt: Date;
  auditId: string;
  applicationCredential?: { id: string; name: string };
}

export type NewToken = Omit<TokenRecord, 'token' | 'issuedAt' | 'expiresAt' | 'auditId'>;

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  issue(spec: NewToken): TokenRecord {
    const issuedAt = this.clock();
    const record: TokenRecord = {
      ...spec,
      token: newToken(),
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + this.ttlSeconds * 1000),
      auditId: newAuditId(),
    };
    this.tokens.set(record.token, record);
    return record;
  }

  /** The live record for a token, or undefined (unknown, revoked or expired). */
  validate(token: string | undefined): TokenRecord | undefined {
    if (token === undefined || token === '') return undefined;
    const record = this.tokens.get(token);
    if (!record) return undefined;
    if (record.expiresAt.getTime() <= this.clock().getTime()) {
      this.tokens.delete(token);
      return undefined;
    }
    return record;
  }

  revoke(token: string): boolean {
    return this.tokens.delete(token);
  }

  /** Every token issued so far stops working; new authentications work as usual. */
  expireAll(): void {
    this.tokens.clear();
  }

  /** The live token values (tests check that none reaches a log or a message). */
  values(): string[] {
    return [...this.tokens.keys()];
  }

  get size(): number {
    return this.tokens.size;
  }
}

export function authContextOf(record: TokenRecord): AuthContext {
  const roles = record.roles.map((role) => role.name);
  return { userId: record.userId, projectId: record.projectId, roles, isAdmin: roles.includes('admin') };
}
