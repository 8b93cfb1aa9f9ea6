/**
 * Builds the extra topology the integration scenarios need, through the same
 * public APIs on any cloud (a real one, a devstack, or the demo cloud), and
 * removes it afterwards in reverse order. Nothing is looked up by a
 * hard-coded id: the seed's resources are found by name.
 *
 * Owner calls (networks, routers, servers in the bot's project) use the bot's
 * own credentials; only what needs an admin (an extra external network, the
 * project's quota) uses the admin cloud.
 */
import { z } from 'zod';
import type { CloudConnection } from '../../../src/openstack/cloud.js';
import type { ApiService, CallOptions } from '../../../src/openstack/client.js';
import { OpenStackApiError } from '../../../src/openstack/errors.js';

/** `{"<key>": {"id": ...}}`, the shape of every create response. */
const withId = <K extends string>(key: K) =>
  z.record(z.literal(key), z.object({ id: z.string() })) as unknown as z.ZodType<Record<K, { id: string }>>;
const anything = z.unknown();

export interface Cleanup {
  label: string;
  run: () => Promise<unknown>;
}

export class TopologyBuilder {
  private readonly cleanups: Cleanup[] = [];
  /** A prefix for every name we create, so leftovers of an interrupted run are recognisable. */
  readonly prefix: string;

  constructor(
    readonly owner: CloudConnection,
    readonly admin: CloudConnection,
    prefix = `fipbot-it-${Date.now().toString(36)}`,
  ) {
    this.prefix = prefix;
  }

  name(suffix: string): string {
    return `${this.prefix}-${suffix}`;
  }

  async call<T extends z.ZodType>(as: CloudConnection, service: ApiService, options: CallOptions, schema: T): Promise<z.output<T>> {
    return (await as.client.call(service, options, schema)).data;
  }

  private later(label: string, run: () => Promise<unknown>): void {
    this.cleanups.push({ label, run });
  }

  /** Removes everything created, newest first; resources already gone are fine. Returns what could not be removed. */
  async cleanup(): Promise<string[]> {
    const failed: string[] = [];
    while (this.cleanups.length) {
      const step = this.cleanups.pop()!;
      try {
        await step.run();
      } catch (error) {
        if (error instanceof OpenStackApiError && error.status === 404) continue;
        failed.push(`${step.label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return failed;
  }

  async projectId(): Promise<string> {
    return (await this.owner.client.scope()).projectId;
  }

  async findNetwork(name: string): Promise<{ id: string }> {
    const [network] = await this.owner.neutron.listNetworks({ name });
    if (!network) throw new Error(`the cloud has no network "${name}" (the seed topology is required)`);
    return network;
  }

  /** An external network (a second pool) with one IPv4 subnet; admin only. */
  async externalNetwork(
    suffix: string,
    cidr: string,
    pool: { start: string; end: string },
    gateway: string,
  ): Promise<{ id: string; name: string; subnetId: string }> {
    const name = this.name(suffix);
    const { network } = await this.call(
      this.admin,
      'network',
      { method: 'POST', path: '/networks', body: { network: { name, 'router:external': true, shared: true } } },
      withId('network'),
    );
    this.later(`network ${name}`, () => this.admin.client.callNoContent('network', { method: 'DELETE', path: `/networks/${network.id}` }));
    const { subnet } = await this.call(
      this.admin,
      'network',
      {
        method: 'POST',
        path: '/subnets',
        body: {
          subnet: {
            name: `${name}-subnet`,
            network_id: network.id,
            ip_version: 4,
            cidr,
            gateway_ip: gateway,
            allocation_pools: [pool],
            enable_dhcp: false,
          },
        },
      },
      withId('subnet'),
    );
    return { id: network.id, name, subnetId: subnet.id };
  }

  /** A private network of the bot's project with one subnet (IPv4 or IPv6). */
  async privateNetwork(
    suffix: string,
    cidr: string,
    ipVersion: 4 | 6 = 4,
  ): Promise<{ id: string; name: string; subnetId: string; subnetName: string }> {
    const name = this.name(suffix);
    const { network } = await this.call(
      this.owner,
      'network',
      { method: 'POST', path: '/networks', body: { network: { name } } },
      withId('network'),
    );
    this.later(`network ${name}`, () => this.owner.client.callNoContent('network', { method: 'DELETE', path: `/networks/${network.id}` }));
    const subnetName = `${name}-subnet`;
    const body: Record<string, unknown> = { name: subnetName, network_id: network.id, ip_version: ipVersion, cidr };
    if (ipVersion === 6) Object.assign(body, { ipv6_address_mode: 'slaac', ipv6_ra_mode: 'slaac' });
    const { subnet } = await this.call(
      this.owner,
      'network',
      { method: 'POST', path: '/subnets', body: { subnet: body } },
      withId('subnet'),
    );
    return { id: network.id, name, subnetId: subnet.id, subnetName };
  }

  /** A router of the bot's project, optionally with a gateway, with interfaces on the given subnets. */
  async router(suffix: string, gatewayNetworkId: string | null, subnetIds: string[]): Promise<{ id: string; name: string }> {
    const name = this.name(suffix);
    const body = { router: { name, ...(gatewayNetworkId ? { external_gateway_info: { network_id: gatewayNetworkId } } : {}) } };
    const { router } = await this.call(this.owner, 'network', { method: 'POST', path: '/routers', body }, withId('router'));
    this.later(`router ${name}`, () => this.owner.client.callNoContent('network', { method: 'DELETE', path: `/routers/${router.id}` }));
    for (const subnetId of subnetIds) {
      await this.call(
        this.owner,
        'network',
        { method: 'PUT', path: `/routers/${router.id}/add_router_interface`, body: { subnet_id: subnetId } },
        anything,
      );
      this.later(`interface of ${name}`, () =>
        this.call(
          this.owner,
          'network',
          { method: 'PUT', path: `/routers/${router.id}/remove_router_interface`, body: { subnet_id: subnetId } },
          anything,
        ),
      );
    }
    return { id: router.id, name };
  }

  /** A server of the bot's project on the given networks, waited for until ACTIVE. */
  async server(suffix: string, networkIds: string[]): Promise<{ id: string; name: string }> {
    const name = this.name(suffix);
    const [imageRef, flavorRef] = await Promise.all([this.imageRef(), this.flavorRef()]);
    const { server } = await this.call(
      this.owner,
      'compute',
      { method: 'POST', path: '/servers', body: { server: { name, imageRef, flavorRef, networks: networkIds.map((uuid) => ({ uuid })) } } },
      withId('server'),
    );
    this.later(`server ${name}`, () => this.deleteServer(server.id));
    await this.waitFor(`server ${name} to become ACTIVE`, async () => {
      const current = await this.owner.nova.getServer(server.id);
      if (current?.status === 'ERROR') throw new Error(`server ${name} went to ERROR`);
      return current?.status === 'ACTIVE';
    });
    return { id: server.id, name };
  }

  /**
   * Sets the bot project's floating-IP quota (admin). Returns the undo; the
   * builder also restores it at clean-up in case the caller never gets to.
   */
  async floatingIpQuota(limit: number): Promise<() => Promise<unknown>> {
    const projectId = await this.projectId();
    const before = await this.admin.neutron.getQuotaDetails(projectId);
    await this.call(
      this.admin,
      'network',
      { method: 'PUT', path: `/quotas/${projectId}`, body: { quota: { floatingip: limit } } },
      anything,
    );
    const restore = () =>
      this.call(
        this.admin,
        'network',
        { method: 'PUT', path: `/quotas/${projectId}`, body: { quota: { floatingip: before.floatingIps.limit } } },
        anything,
      );
    this.later('floating-IP quota', restore);
    return restore;
  }

  /** Remembers a floating IP created by a scenario, so it is released even when the scenario fails. */
  releaseLater(floatingIpId: string): void {
    this.later(`floating IP ${floatingIpId}`, () => this.owner.neutron.deleteFloatingIp(floatingIpId));
  }

  async waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  private async deleteServer(id: string): Promise<void> {
    await this.owner.client.callNoContent('compute', { method: 'DELETE', path: `/servers/${id}` });
    // Its ports must be gone before the network can be deleted.
    await this.waitFor(`server ${id} to be deleted`, async () => (await this.owner.nova.getServer(id)) === undefined);
    await this.waitFor(
      `ports of server ${id} to be deleted`,
      async () => (await this.owner.neutron.listPorts({ deviceIds: [id] })).length === 0,
    );
  }

  private async imageRef(): Promise<string> {
    const { images } = await this.call(
      this.owner,
      'compute',
      { method: 'GET', path: '/images' },
      z.object({ images: z.array(z.object({ id: z.string(), name: z.string() })) }),
    );
    const image = images.find((candidate) => candidate.name.startsWith('cirros')) ?? images[0];
    if (!image) throw new Error('the cloud has no image to boot test servers from');
    return image.id;
  }

  private async flavorRef(): Promise<string> {
    const { flavors } = await this.call(
      this.owner,
      'compute',
      { method: 'GET', path: '/flavors' },
      z.object({ flavors: z.array(z.object({ id: z.string(), name: z.string() })) }),
    );
    const flavor = flavors.find((candidate) => candidate.name === 'm1.tiny') ?? flavors[0];
    if (!flavor) throw new Error('the cloud has no flavor to boot test servers with');
    return flavor.id;
  }
}
