/**
 * Wires one cloud's adapter: transport (pools, timeouts, limiter), Keystone
 * identity, the authenticated client and the Neutron and Nova APIs.
 */
import type { CloudConfig } from './cloud-config.js';
import { OpenStackClient } from './client.js';
import { NovaApi } from './compute.js';
import { HttpTransport, type Limiter, type TransportOptions } from './http.js';
import { Identity, type IdentityOptions } from './identity.js';
import { NeutronApi, type NeutronOptions } from './network.js';

export interface CloudConnection {
  cloud: CloudConfig;
  transport: HttpTransport;
  identity: Identity;
  client: OpenStackClient;
  neutron: NeutronApi;
  nova: NovaApi;
  close(): Promise<void>;
}

export interface ConnectOptions {
  transport?: Partial<TransportOptions>;
  identity?: Partial<IdentityOptions>;
  neutron?: Partial<NeutronOptions>;
  limiter?: Limiter;
}

/** Builds the adapter; nothing is sent until the first call. */
export function connectCloud(cloud: CloudConfig, options: ConnectOptions = {}): CloudConnection {
  const transport = new HttpTransport(
    { ...options.transport, insecure: cloud.insecure, ...(cloud.caFile ? { caFile: cloud.caFile } : {}) },
    options.limiter ? { limiter: options.limiter } : {},
  );
  const identity = new Identity(cloud, transport, options.identity);
  const client = new OpenStackClient(identity, transport);
  return {
    cloud,
    transport,
    identity,
    client,
    neutron: new NeutronApi(client, options.neutron),
    nova: new NovaApi(client),
    close: () => transport.close(),
  };
}
