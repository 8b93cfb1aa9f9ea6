/**
 * How faults and stats name requests: an optional method plus a path glob
 * ("*" = one path segment's worth of characters, "**" = anything) or a
 * RegExp. A glob may include the service prefix ("/network/v2.0/...") or
 * leave it out ("/v2.0/floatingips/*"), so tests need not know the layout.
 */

export interface RouteSelector {
  method?: string;
  path?: string | RegExp;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else source += '[^/]*';
    } else source += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export interface RequestIdentity {
  method: string;
  path: string;
  servicePath: string;
}

export function compileSelector(selector: RouteSelector): (request: RequestIdentity) => boolean {
  const method = selector.method?.toUpperCase();
  const path = selector.path;
  const pathTest =
    path === undefined
      ? () => true
      : path instanceof RegExp
        ? (request: RequestIdentity) => path.test(request.path)
        : (() => {
            const regex = globToRegExp(path);
            return (request: RequestIdentity) => regex.test(request.path) || regex.test(request.servicePath);
          })();
  return (request) => (method === undefined || request.method === method) && pathTest(request);
}
