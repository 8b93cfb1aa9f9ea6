/**
 * A fake cloud for the adapter's tests: ONE scripted server plays Keystone
 * (under /identity), Neutron (under /network, a version-less catalog URL as
 * real clouds publish it) and Nova (under /compute/v2.1). Keystone answers
 * every POST /identity/v3/auth/tokens with a fresh token and the recorded
 * token body (samples/keystone_post_auth_tokens_201.txt) whose catalog is
 * rewritten to point at this server. Tests queue the Neutron and Nova replies.
 */
import { randomBytes } from 'node:crypto';
import type { CloudAuth, CloudConfig } from '../../src/openstack/cloud-config.js';
import { type CloudConnection, type ConnectOptions, connectCloud } from '../../src/openstack/cloud.js';
import { sampleJson } from './samples.js';
import { type RecordedRequest, type ScriptedResponse, ScriptedServer } from './scripted-server.js';

export const KEYSTONE_TOKENS_PATH = '/identity/v3/auth/tokens';
export const NEUTRON = '/network/v2.0';
export const NOVA = '/compute/v2.1';
/** The project of the recorded token. */
export const PROJECT_ID = 'e158fb6e930541178a56d9366a2be542';
export const PASSWORD = 'bot-Pa55word-for-tests';

export interface CatalogUrls {
  identity?: string;
  network?: string;
  compute?: string;
}

interface CatalogEntryJson {
  type: string;
  endpoints: Array<{ url: string; interface: string; region_id: string; region: string }>;
}
interface TokenJson {
  token: { expires_at: string; catalog: CatalogEntryJson[] } & Record<string, unknown>;
}

/** The recorded Keystone token body with its catalog URLs replaced and a chosen expiry. */
export function keystoneTokenBody(urls: CatalogUrls, expiresAt: Date): TokenJson {
  const body = sampleJson<TokenJson>('keystone_post_auth_tokens_201.txt');
  body.token.expires_at = expiresAt.toISOString().replace(/Z$/, '000Z');
  for (const entry of body.token.catalog) {
    const url = urls[entry.type as keyof CatalogUrls];
    if (url !== undefined) for (const endpoint of entry.endpoints) endpoint.url = url;
  }
  return body;
}

/** A 201 from Keystone as recorded: token in X-Subject-Token, and Connection: close (uwsgi). */
export function keystoneTokenReply(token: string, body: unknown, requestId = `req-${randomBytes(4).toString('hex')}`): ScriptedResponse {
  return {
    status: 201,
    statusText: 'CREATED',
    headers: [
      ['Content-Type', 'application/json'],
      ['X-Subject-Token', token],
      ['Vary', 'X-Auth-Token'],
      ['x-openstack-request-id', requestId],
      ['Connection', 'close'],
    ],
    body: JSON.stringify(body),
  };
}

export class FakeCloud {
  /** Every token Keystone issued, in order. */
  readonly issued: string[] = [];
  private readonly connections: CloudConnection[] = [];

  private constructor(readonly server: ScriptedServer) {
    server.always('POST', KEYSTONE_TOKENS_PATH, (_request, res) => {
      const token = `opaque-token-${this.issued.length + 1}-${randomBytes(12).toString('hex')}`;
      this.issued.push(token);
      const reply = keystoneTokenReply(token, keystoneTokenBody(this.catalogUrls(), new Date(Date.now() + 3_600_000)));
      const flat = (reply.headers ?? []).flat();
      res.writeHead(reply.status, flat);
      res.end(reply.body);
    });
  }

  static async start(): Promise<FakeCloud> {
    return new FakeCloud(await ScriptedServer.start());
  }

  get url(): string {
    return this.server.url;
  }

  catalogUrls(): Required<CatalogUrls> {
    return {
      identity: `${this.url}/identity/v3/`,
      network: `${this.url}/network`,
      compute: `${this.url}${NOVA}`,
    };
  }

  config(auth: Partial<CloudAuth> = {}): CloudConfig {
    return {
      name: 'test',
      source: 'test',
      auth: {
        type: 'password',
        authUrl: `${this.url}/identity`,
        username: 'chatops-bot',
        userDomain: { id: 'default' },
        password: PASSWORD,
        projectName: 'chatops',
        projectDomain: { id: 'default' },
        ...auth,
      } as CloudAuth,
      regionName: 'RegionOne',
      interface: 'public',
      insecure: false,
    };
  }

  /** The adapter wired to this cloud; fast retries unless the test says otherwise. Closed by close(). */
  connect(options: ConnectOptions = {}, auth: Partial<CloudAuth> = {}): CloudConnection {
    const connection = connectCloud(this.config(auth), {
      ...options,
      transport: { retryBaseDelayMs: 1, retryMaxDelayMs: 2, ...options.transport },
    });
    this.connections.push(connection);
    return connection;
  }

  keystoneRequests(): RecordedRequest[] {
    return this.server.requestsTo('POST', KEYSTONE_TOKENS_PATH);
  }

  async close(): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.close()));
    await this.server.close();
  }
}
