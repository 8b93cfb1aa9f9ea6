/**
 * Booting and deleting servers, the part of Nova that touches Neutron: a boot
 * creates (or binds) one port per requested NIC and goes ACTIVE at once (no
 * scheduler, no hypervisor); a delete removes the ports Nova created (Neutron
 * then detaches their floating IPs) and unbinds the ones it was given.
 */
import { NeutronError, NovaError } from './errors.js';
import { newUuid, stableUuid } from './ids.js';
import type { Server } from './model.js';
import { DEVICE_OWNER } from './model.js';
import type { FixedIpRequest, Store } from './store.js';

export type Nic = { networkId: string; fixedIps?: FixedIpRequest[] } | { portId: string };

export interface BootRequest {
  id?: string;
  name: string;
  projectId: string;
  userId: string;
  nics: Nic[];
  /** Port ids to use for the created ports (seeding keeps them stable). */
  portIds?: string[];
  /** Checked by the API; cirros and m1.tiny when the request names none. */
  imageId?: string;
  flavorId?: string;
}

/** The seeded image and flavor (seed-builder derives the same ids). */
export const IMAGE_ID = stableUuid('image', 'cirros');
export const FLAVOR_ID = stableUuid('flavor', 'm1.tiny');

export function bootServer(store: Store, request: BootRequest): Server {
  const id = request.id ?? newUuid();
  const created: string[] = [];
  const bound: string[] = [];
  try {
    request.nics.forEach((nic, index) => {
      if ('portId' in nic) {
        const port = store.ports.get(nic.portId);
        if (!port || (port.projectId !== request.projectId && port.projectId !== '')) {
          throw new NovaError(400, 'badRequest', `Port id ${nic.portId} could not be found.`);
        }
        if (port.deviceId !== '') throw new NovaError(409, 'conflictingRequest', `Port ${nic.portId} is still in use.`);
        store.setPortDevice(port, id, DEVICE_OWNER.compute, 'ACTIVE');
        bound.push(port.id);
        return;
      }
      if (!store.networks.has(nic.networkId)) {
        throw new NovaError(400, 'badRequest', `Network ${nic.networkId} could not be found.`);
      }
      const port = store.createPort({
        ...(request.portIds?.[index] !== undefined ? { id: request.portIds[index] } : {}),
        networkId: nic.networkId,
        projectId: request.projectId,
        deviceId: id,
        deviceOwner: DEVICE_OWNER.compute,
        status: 'ACTIVE',
        ...(nic.fixedIps ? { fixedIps: nic.fixedIps } : {}),
      });
      created.push(port.id);
    });
  } catch (error) {
    // A failed boot leaves nothing behind (the real one would leave an ERROR server).
    for (const portId of created) store.deletePort(portId);
    for (const portId of bound) {
      const port = store.ports.get(portId);
      if (port) store.setPortDevice(port, '', '', 'DOWN');
    }
    if (error instanceof NeutronError)
      throw new NovaError(error.status === 409 ? 409 : 400, error.status === 409 ? 'conflictingRequest' : 'badRequest', error.message);
    throw error;
  }
  const now = store.now();
  return store.addServer({
    id,
    name: request.name,
    projectId: request.projectId,
    userId: request.userId,
    status: 'ACTIVE',
    createdAt: now,
    updatedAt: now,
    launchedAt: now,
    imageId: request.imageId ?? IMAGE_ID,
    flavorId: request.flavorId ?? FLAVOR_ID,
    ownedPortIds: created,
  });
}

export function deleteServer(store: Store, server: Server): void {
  for (const port of store.portsOfDevice(server.id)) {
    if (server.ownedPortIds.includes(port.id)) store.deletePort(port.id);
    // A port the user brought is only unbound; its floating IPs stay on it, as in Neutron.
    else store.setPortDevice(port, '', '', 'DOWN');
  }
  store.removeServer(server.id);
}
