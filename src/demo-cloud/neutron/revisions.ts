/**
 * Neutron's conditional changes, `If-Match: revision_number=N` (`revision-if-match`, `standard-attr-revisions`), as in Zed:
 * - Parsed as webob strong ETags; only `revision_number=` tags count: two of them, or one not a Python int(), is 400.
 * - The QueryParametersHook parses it on every collection or item request, after body validation, before the policy
 *   check (so before any 404); a valid constraint on a collection URL or quotas reads an unset `resource_id`: KeyError, 500.
 * - Compared at the request's first database flush, after the plugin's pre-write checks (association, in-use, policy);
 *   a GET ignores it. A mismatch is 412 RevisionNumberConstraintFailed and the transaction rolls back: nothing changes.
 */
import { badRequest, NeutronError } from '../errors.js';
import type { DemoRequest } from '../http.js';
import { header } from '../http.js';
import { pythonInt } from '../json.js';

/** webob's _rx_etag: an optional W/ and a double-quoted tag after start or whitespace. */
const QUOTED_ETAG = /(?:^|\s)(W\/)?"((?:\\"|.)*?)"/g;

/** webob.etag.ETagMatcher.parse(value, strong=True).etags ('*' is AnyETag, which has none). */
function strongEtags(value: string): string[] {
  if (value === '' || value === '*') return [];
  const matches = [...value.matchAll(QUOTED_ETAG)];
  // No quoted tag: the whole value is ONE tag (`revision_number=1, revision_number=2` is one malformed tag).
  if (matches.length === 0) return [value];
  // Quoted tags are split; weak W/"..." tags are ignored.
  return matches.filter((match) => match[1] === undefined).map((match) => match[2] ?? '');
}

/** The revision an If-Match header asks for, or undefined; 400 for a malformed one. */
export function requestedRevision(req: DemoRequest): bigint | undefined {
  const value = header(req, 'if-match');
  if (value === undefined) return undefined;
  let revision: bigint | undefined;
  for (const etag of strongEtags(value)) {
    // As neutron.api.api_common.check_request_for_revision_constraint: only these tags count.
    if (!etag.startsWith('revision_number=')) continue;
    if (revision !== undefined) {
      // The upstream message ends with a period before the template adds its own.
      throw badRequest('if-match', 'Multiple revision_number etags are not supported.');
    }
    revision = pythonInt(etag.split('revision_number=')[1] ?? '');
    if (revision === undefined) {
      throw badRequest('if-match', 'Revision number etag must be in the format of revision_number=<int>');
    }
  }
  return revision;
}

/**
 * What the QueryParametersHook does with the header: 400 when malformed, and
 * the KeyError 500 when a constraint names no item (collection URLs, quotas).
 */
export function checkIfMatchHeader(req: DemoRequest): void {
  if (requestedRevision(req) === undefined) return;
  const segments = req.servicePath
    .replace(/\.json$/, '')
    .split('/')
    .filter((segment) => segment !== '');
  const namesItem = segments.length >= 3 && segments[1] !== 'quotas';
  if (!namesItem) {
    throw new NeutronError(500, 'HTTPInternalServerError', 'Request Failed: internal server error while processing your request.');
  }
}

/** The revision plugin's check, to run right before the first change to `resource`. */
export function enforceRevision(req: DemoRequest, resource: { revisionNumber: number }): void {
  const expected = requestedRevision(req);
  if (expected === undefined || expected === BigInt(resource.revisionNumber)) return;
  throw new NeutronError(
    412,
    'RevisionNumberConstraintFailed',
    `Constrained to ${expected.toString()}, but current revision is ${resource.revisionNumber}`,
  );
}
