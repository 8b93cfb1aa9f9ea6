/**
 * Keystone v3: obtains a project-scoped token, keeps it, renews it before it
 * expires, and picks service endpoints from its catalog.
 *
 * One authentication is shared by every concurrent caller (single flight), so
 * a burst of Slack clicks after a token expired costs one POST /auth/tokens,
 * not one per click.
 */
import { PRODUCTION_TIMING } from '../config/timing.js';
import { z } from 'zod';
import type { CloudAuth, CloudConfig, DomainRef, EndpointInterface } from './cloud-config.js';
import { readErrorBody } from './error-body.js';
import {
  OpenStackApiError,
  OpenStackAuthError,
  OpenStackEndpointNotFoundError,
  OpenStackUnexpectedResponseError,
  type RequestContext,
  type ServiceType,
} from './errors.js';
import type { HttpTransport } from './http.js';
import { describeIssues } from './schemas/parse.js';

const catalogEndpointSchema = z.object({
  interface: z.string(),
  url: z.string(),
  region_id: z.string().nullish(),
  region: z.string().nullish(),
});

const catalogEntrySchema = z.object({
  type: z.string(),
  name: z.string().optional(),
  endpoints: z.array(catalogEndpointSchema),
});

const tokenResponseSchema = z.object({
  token: z.object({
    expires_at: z.string(),
    user: z.object({ id: z.string(), name: z.string().optional() }),
    project: z.object({ id: z.string(), name: z.string().optional() }).optional(),
    roles: z.array(z.object({ name: z.string() })).default([]),
    catalog: z.array(catalogEntrySchema).default([]),
  }),
});

export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export interface Token {
  value: string;
  expiresAt: number;
  issuedAt: number;
  userId: string;
  userName: string | undefined;
  projectId: string;
  projectName: string | undefined;
  roles: string[];
  catalog: CatalogEntry[];
}

export interface IdentityOptions {
  /** Renew when less than this remains (keystoneauth and the CLI use 120 s). */
  renewBeforeMs: number;
  now: () => number;
}

const DEFAULT_IDENTITY_OPTIONS: IdentityOptions = { renewBeforeMs: PRODUCTION_TIMING.openstack.tokenRenewBeforeMs, now: () => Date.now() };

export class Identity {
  private current: Token | undefined;
  private pending: Promise<Token> | undefined;
  private readonly options: IdentityOptions;
  private readonly tokensUrl: string;
  /** How many times we asked Keystone for a token (benchmarks assert one per token lifetime). */
  authentications = 0;

  constructor(
    private readonly cloud: Pick<CloudConfig, 'auth' | 'regionName' | 'interface'>,
    private readonly transport: HttpTransport,
    options: Partial<IdentityOptions> = {},
  ) {
    this.options = { ...DEFAULT_IDENTITY_OPTIONS, ...options };
    this.tokensUrl = `${keystoneV3Url(cloud.auth.authUrl)}/auth/tokens`;
    const auth = cloud.auth;
    transport.redactor.addSecret(auth.type === 'password' ? auth.password : auth.secret);
  }

  /** A token valid for at least the renewal margin, authenticating only when needed. */
  async token(): Promise<Token> {
    const current = this.current;
    if (current && !this.needsRenewal(current)) return current;
    this.pending ??= this.authenticate().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /**
   * Forget a token a service refused (401). Only that token: if another caller
   * already replaced it, the newer one stays.
   */
  invalidate(token: Token): void {
    if (this.current?.value === token.value) this.current = undefined;
  }

  /** The endpoint URL for a service, from the token's catalog, by type, interface and region. */
  endpoint(token: Token, service: ServiceType): string {
    return selectEndpoint(token.catalog, service, this.cloud.interface, this.cloud.regionName);
  }

  private needsRenewal(token: Token): boolean {
    const lifetime = token.expiresAt - token.issuedAt;
    // A cloud issuing very short tokens would otherwise make every call re-authenticate.
    const margin = Math.min(this.options.renewBeforeMs, lifetime / 2);
    return token.expiresAt - this.options.now() < margin;
  }

  private async authenticate(): Promise<Token> {
    this.authentications++;
    const response = await this.transport.request({
      service: 'identity',
      method: 'POST',
      url: this.tokensUrl,
      body: authRequestBody(this.cloud.auth),
      idempotent: true,
    });
    const context: RequestContext = {
      service: 'identity',
      method: 'POST',
      path: new URL(this.tokensUrl).pathname,
      requestId: response.requestId,
      attempts: response.attempts,
    };
    if (response.status === 401) {
      const { type, message } = readErrorBody(response);
      // Redacted like every other status: a proxy or a debug-mode Keystone may echo the request body (the password).
      throw new OpenStackAuthError(401, type, this.transport.redactor.redact(message), context);
    }
    if (response.status >= 400) {
      const { type, message } = readErrorBody(response);
      throw new OpenStackApiError(response.status, type, this.transport.redactor.redact(message), context);
    }
    const value = response.headers['x-subject-token'];
    const parsed = tokenResponseSchema.safeParse(response.body);
    const issues = parsed.success ? [] : describeIssues(parsed.error);
    if (!value) issues.push('missing X-Subject-Token header');
    if (!parsed.success || !value) throw new OpenStackUnexpectedResponseError(response.status, issues, context);

    const token = parsed.data.token;
    if (!token.project) {
      throw new OpenStackUnexpectedResponseError(
        response.status,
        ['token is not scoped to a project (check the project settings)'],
        context,
      );
    }
    this.transport.redactor.addRotatingSecret(value);
    const expiresAt = Date.parse(token.expires_at);
    this.current = {
      value,
      expiresAt: Number.isNaN(expiresAt) ? this.options.now() + 3_600_000 : expiresAt,
      issuedAt: this.options.now(),
      userId: token.user.id,
      userName: token.user.name,
      projectId: token.project.id,
      projectName: token.project.name,
      roles: token.roles.map((role) => role.name),
      catalog: token.catalog,
    };
    return this.current;
  }
}

/** `<auth_url>/v3` unless the URL already names v3 (with or without trailing slash). */
export function keystoneV3Url(authUrl: string): string {
  const trimmed = authUrl.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
}

function domainBody(domain: DomainRef | undefined): Record<string, string> | undefined {
  if (domain?.id) return { id: domain.id };
  if (domain?.name) return { name: domain.name };
  return undefined;
}

function userBody(auth: { userId?: string; username?: string; userDomain?: DomainRef }): Record<string, unknown> {
  if (auth.userId) return { id: auth.userId };
  const domain = domainBody(auth.userDomain);
  return { name: auth.username, ...(domain ? { domain } : {}) };
}

/** The POST /v3/auth/tokens body. Application credentials carry no scope: Keystone refuses one. */
export function authRequestBody(auth: CloudAuth): Record<string, unknown> {
  if (auth.type === 'applicationCredential') {
    const credential: Record<string, unknown> = auth.applicationCredentialId
      ? { id: auth.applicationCredentialId, secret: auth.secret }
      : { name: auth.applicationCredentialName, secret: auth.secret, user: userBody(auth) };
    return { auth: { identity: { methods: ['application_credential'], application_credential: credential } } };
  }
  const projectDomain = domainBody(auth.projectDomain);
  const project = auth.projectId ? { id: auth.projectId } : { name: auth.projectName, ...(projectDomain ? { domain: projectDomain } : {}) };
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { ...userBody(auth), password: auth.password } } },
      scope: { project },
    },
  };
}

const INTERFACE_ALIASES: Record<string, EndpointInterface> = {
  public: 'public',
  publicURL: 'public',
  internal: 'internal',
  internalURL: 'internal',
  admin: 'admin',
  adminURL: 'admin',
};

export function selectEndpoint(
  catalog: CatalogEntry[],
  service: ServiceType,
  interfaceName: EndpointInterface,
  region: string | undefined,
): string {
  const entries = catalog.filter((entry) => entry.type === service);
  const endpoints = entries.flatMap((entry) => entry.endpoints);
  const match = endpoints.find(
    (endpoint) =>
      INTERFACE_ALIASES[endpoint.interface] === interfaceName &&
      (region === undefined || endpoint.region_id === region || endpoint.region === region),
  );
  if (match && URL.canParse(match.url)) return match.url.replace(/\/+$/, '');
  const available = endpoints.map(
    (endpoint) => `${endpoint.interface}${(endpoint.region_id ?? endpoint.region) ? `/${endpoint.region_id ?? endpoint.region}` : ''}`,
  );
  throw new OpenStackEndpointNotFoundError(service, interfaceName, region, available);
}
