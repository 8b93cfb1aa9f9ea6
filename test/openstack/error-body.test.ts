import { describe, expect, it } from 'vitest';
import { readErrorBody } from '../../src/openstack/error-body.js';
import { loadSample } from '../support/samples.js';

/** The response of a recorded exchange as the transport hands it over: status, parsed JSON and text. */
function recorded(name: string): { status: number; body: unknown; text: string } {
  const sample = loadSample(name);
  return { status: sample.status, body: sample.json(), text: sample.body };
}

function text(status: number, body: string): { status: number; body: unknown; text: string } {
  return { status, body: undefined, text: body };
}

describe('readErrorBody', () => {
  it('readErrorBody reads type and message from the recorded Neutron 404 ExternalGatewayForFloatingIPNotFound.', () => {
    expect(readErrorBody(recorded('neutron_put_floatingip_assoc_public_port_404.txt'))).toEqual({
      type: 'ExternalGatewayForFloatingIPNotFound',
      message:
        'External network 211a2480-a8c2-4390-bdd8-8bf0d717eb87 is not reachable from subnet 80397c4a-52e7-4f0b-8f74-66e1b5eda43e.  Therefore, cannot associate Port 2f3757ad-ca63-4785-a40a-993b752747f6 with a Floating IP.',
    });
  });

  it('readErrorBody falls back to the status when a NeutronError has an empty message.', () => {
    expect(readErrorBody({ status: 409, body: { NeutronError: { type: 'Conflict', message: '', detail: '' } }, text: '' })).toEqual({
      type: 'Conflict',
      message: 'HTTP 409',
    });
  });

  it('readErrorBody reads type and message from the recorded Neutron 409 OverQuota.', () => {
    expect(readErrorBody(recorded('neutron_post_floatingips_409_quota.txt'))).toEqual({
      type: 'OverQuota',
      message: "Quota exceeded for resources: ['floatingip'].",
    });
  });

  it('readErrorBody reads type and message from the recorded Neutron 404 FloatingIPNotFound.', () => {
    expect(readErrorBody(recorded('neutron_get_floatingip_404.txt'))).toEqual({
      type: 'FloatingIPNotFound',
      message: 'Floating IP cbcb2e45-146d-42de-8fe3-0fc3a619aac4 could not be found',
    });
  });

  it("readErrorBody uses Keystone's title as the type, from the recorded Keystone 401.", () => {
    expect(readErrorBody(recorded('keystone_post_auth_tokens_401.txt'))).toEqual({
      type: 'Unauthorized',
      message: 'The request you have made requires authentication.',
    });
  });

  it('readErrorBody reads the Keystone-shaped 401 that Neutron sends for a bad token.', () => {
    expect(readErrorBody(recorded('neutron_get_floatingips_401.txt'))).toEqual({
      type: 'Unauthorized',
      message: 'The request you have made requires authentication.',
    });
  });

  it("readErrorBody uses Nova's fault key as the type, from the recorded Nova 404 itemNotFound.", () => {
    expect(readErrorBody(recorded('nova_get_server_404.txt'))).toEqual({
      type: 'itemNotFound',
      message: 'Instance 4f7c003e-b5ad-476e-94f6-9e3303e5c446 could not be found.',
    });
  });

  it('readErrorBody does not take a body with several top-level objects for a Nova fault.', () => {
    const body = { badRequest: { message: 'a' }, other: { message: 'b' } };
    const result = readErrorBody({ status: 400, body, text: JSON.stringify(body) });
    expect(result.type).toBeUndefined();
  });

  it('readErrorBody summarises an HTML error page from a proxy as plain text without tags, scripts or styles.', () => {
    const html =
      '<html><head><title>502 Bad Gateway</title><style>body { color: red; }</style><script>var x = "<b>";</script></head>' +
      '<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body></html>';
    const result = readErrorBody(text(502, html));
    expect(result).toEqual({ type: undefined, message: '502 Bad Gateway 502 Bad Gateway nginx' });
  });

  it('readErrorBody cuts a long non-JSON body to 300 characters and an ellipsis.', () => {
    const result = readErrorBody(text(500, 'word '.repeat(200)));
    expect(result.message).toHaveLength(301);
    expect(result.message.endsWith('…')).toBe(true);
  });

  it('readErrorBody falls back to "HTTP <status>" for an empty body.', () => {
    expect(readErrorBody(text(503, ''))).toEqual({ type: undefined, message: 'HTTP 503' });
  });

  it('readErrorBody falls back to the text of a JSON body of unknown shape.', () => {
    expect(readErrorBody({ status: 418, body: { teapot: true }, text: '{"teapot": true}' })).toEqual({
      type: undefined,
      message: '{"teapot": true}',
    });
  });
});
