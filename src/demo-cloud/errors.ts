/**
 * Errors the services raise, each carrying what the real service would put on
 * the wire. Message templates are copied from neutron-lib / neutron / nova /
 * keystone (double spaces included): clients show them to people, and tests
 * compare them with the recorded samples.
 */

/** A Neutron error: {"NeutronError": {"type", "message", "detail": ""}}. */
export class NeutronError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A Nova error: {"<key>": {"code", "message"}}, e.g. itemNotFound. */
export class NovaError extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/** A Keystone error: {"error": {"code", "message", "title"}}. */
export class KeystoneError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

export const KEYSTONE_UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';

export function keystoneUnauthorized(message = KEYSTONE_UNAUTHORIZED_MESSAGE): KeystoneError {
  return new KeystoneError(401, 'Unauthorized', message);
}

/** neutron_lib.exceptions.BadRequest: 'Bad %(resource)s request: %(msg)s.' */
export function badRequest(resource: string, msg: string): NeutronError {
  return new NeutronError(400, 'BadRequest', `Bad ${resource} request: ${msg}.`);
}

/** A webob HTTPBadRequest raised by API validation (type is the webob class name). */
export function httpBadRequest(message: string): NeutronError {
  return new NeutronError(400, 'HTTPBadRequest', message);
}

export function policyNotAuthorized(rule: string): NeutronError {
  return new NeutronError(403, 'PolicyNotAuthorized', `${rule} is disallowed by policy`);
}

export const neutronNotFound = {
  network: (id: string) => new NeutronError(404, 'NetworkNotFound', `Network ${id} could not be found.`),
  subnet: (id: string) => new NeutronError(404, 'SubnetNotFound', `Subnet ${id} could not be found.`),
  port: (id: string) => new NeutronError(404, 'PortNotFound', `Port ${id} could not be found.`),
  router: (id: string) => new NeutronError(404, 'RouterNotFound', `Router ${id} could not be found`),
  floatingIp: (id: string) => new NeutronError(404, 'FloatingIPNotFound', `Floating IP ${id} could not be found`),
};

export const ipAllocationErrors = {
  inUse: (networkId: string, address: string) =>
    new NeutronError(409, 'IpAddressInUse', `Unable to complete operation for network ${networkId}. The IP address ${address} is in use.`),
  exhausted: (networkId: string) =>
    new NeutronError(409, 'IpAddressGenerationFailure', `No more IP addresses available on network ${networkId}.`),
  invalidForSubnet: (address: string) =>
    new NeutronError(400, 'InvalidIpForSubnet', `IP address ${address} is not a valid IP for the specified subnet.`),
  invalidForNetwork: (address: string) =>
    new NeutronError(
      400,
      'InvalidIpForNetwork',
      `IP address ${address} is not a valid IP for any of the subnets on the specified network.`,
    ),
};
