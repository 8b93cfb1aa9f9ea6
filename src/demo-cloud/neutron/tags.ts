/**
 * standard-attr-tag on floating IPs, as the real Neutron (Zed) answers it
 * (checked against the one this project runs): adding a tag is 201 with a
 * `null` body, replacing all is 200 with the tags, removing one is 204 (404
 * TagNotFound when absent). A change that alters the tags bumps the floating
 * IP's revision_number and updated_at; re-adding a tag it has changes
 * nothing. A tag is at most 255 characters. An If-Match constraint on these
 * URLs fails with Neutron's 500, so a tag write cannot be guarded by revision.
 */
import type { CloudContext } from '../context.js';
import { NeutronError } from '../errors.js';
import type { DemoRequest } from '../http.js';
import { parseJsonBody } from '../http.js';
import { describeValue, isJsonObject } from '../json.js';
import type { AuthContext, FloatingIp } from '../model.js';
import { neutronJson, neutronNoContent } from './respond.js';
import type { NeutronRouteSink } from './respond.js';
import { requestedRevision } from './revisions.js';
import { canSeeFloatingIp } from './visibility.js';

export const MAX_TAG_LENGTH = 255;

const invalidInput = (reason: string) => new NeutronError(400, 'InvalidInput', `Invalid input for operation: ${reason}.`);

function taggedFloatingIp(ctx: CloudContext, auth: AuthContext, req: DemoRequest, id: string): FloatingIp {
  if (requestedRevision(req) !== undefined) {
    throw new NeutronError(500, 'HTTPInternalServerError', 'Request Failed: internal server error while processing your request.');
  }
  const fip = ctx.store.floatingIps.get(id);
  if (!fip || !canSeeFloatingIp(auth, fip)) {
    throw new NeutronError(404, 'TagResourceNotFound', `Resource floatingips ${id} could not be found.`);
  }
  return fip;
}

function checkTag(tag: unknown): string {
  if (typeof tag !== 'string') throw invalidInput(`'${describeValue(tag)}' is not a valid string`);
  if (tag.length > MAX_TAG_LENGTH) throw invalidInput(`'${tag}' exceeds maximum length of ${MAX_TAG_LENGTH}`);
  return tag;
}

function setTags(ctx: CloudContext, fip: FloatingIp, tags: string[]): void {
  const same = tags.length === fip.tags.length && tags.every((tag) => fip.tags.includes(tag));
  if (same) return;
  fip.tags = tags;
  ctx.store.touch(fip);
}

export function registerFloatingIpTagRoutes(routes: NeutronRouteSink, ctx: CloudContext): void {
  const id = (params: Record<string, string>) => params['id'] ?? '';

  routes.add('GET', '/v2.0/floatingips/{id}/tags', (req, params, auth) =>
    neutronJson(200, { tags: [...taggedFloatingIp(ctx, auth, req, id(params)).tags] }, 'python'),
  );

  routes.add('PUT', '/v2.0/floatingips/{id}/tags', (req, params, auth) => {
    const body = parseJsonBody(req);
    const tags = isJsonObject(body) ? body['tags'] : undefined;
    if (!Array.isArray(tags)) throw invalidInput(`'${describeValue(tags ?? null)}' is not a list`);
    const checked = [...new Set(tags.map(checkTag))];
    const fip = taggedFloatingIp(ctx, auth, req, id(params));
    setTags(ctx, fip, checked);
    return neutronJson(200, { tags: checked }, 'python');
  });

  routes.add('DELETE', '/v2.0/floatingips/{id}/tags', (req, params, auth) => {
    setTags(ctx, taggedFloatingIp(ctx, auth, req, id(params)), []);
    return neutronNoContent();
  });

  routes.add('GET', '/v2.0/floatingips/{id}/tags/{tag}', (req, params, auth) => {
    const tag = params['tag'] ?? '';
    if (!taggedFloatingIp(ctx, auth, req, id(params)).tags.includes(tag)) throw tagNotFound(tag);
    return neutronNoContent();
  });

  routes.add('PUT', '/v2.0/floatingips/{id}/tags/{tag}', (req, params, auth) => {
    const tag = checkTag(params['tag'] ?? '');
    const fip = taggedFloatingIp(ctx, auth, req, id(params));
    if (!fip.tags.includes(tag)) setTags(ctx, fip, [...fip.tags, tag]);
    return neutronJson(201, null, 'python');
  });

  routes.add('DELETE', '/v2.0/floatingips/{id}/tags/{tag}', (req, params, auth) => {
    const tag = params['tag'] ?? '';
    const fip = taggedFloatingIp(ctx, auth, req, id(params));
    if (!fip.tags.includes(tag)) throw tagNotFound(tag);
    setTags(
      ctx,
      fip,
      fip.tags.filter((t) => t !== tag),
    );
    return neutronNoContent();
  });
}

const tagNotFound = (tag: string) => new NeutronError(404, 'TagNotFound', `Tag ${tag} could not be found.`);
