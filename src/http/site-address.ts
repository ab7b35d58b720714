// Which addresses are this site's, for every check that a form came from one of its own pages: the Origin check, the
// page that keeps what was typed in an ended session, and the language switch of a page answering a posted form.
// A reverse proxy that does not pass the browser's Host header on (Apache without ProxyPreserveHost, IIS with ARR,
// nginx without `proxy_set_header Host`) gives the app its own upstream address as Host (127.0.0.1:3000), which no
// browser ever shows as an Origin: the address people use then comes from PUBLIC_URL, or from X-Forwarded-Host when
// TRUST_PROXY trusts the proxy.
import type { Application, Request } from 'express';

const PUBLIC_ORIGIN_SETTING = 'hf public origin';

/** PUBLIC_URL's origin (scheme, host and port) is this site's, whatever Host the proxy sends. */
export function usePublicOrigin(app: Application, publicUrl: string | undefined): void {
  app.set(PUBLIC_ORIGIN_SETTING, publicUrl === undefined ? undefined : new URL(publicUrl).origin);
}

/** PUBLIC_URL's origin; undefined when it is not set, or for a router tested on its own. */
export function publicOriginOf(req: Request): string | undefined {
  const origin: unknown = req.app.get(PUBLIC_ORIGIN_SETTING);
  return typeof origin === 'string' ? origin : undefined;
}

/**
 * Whether the address of a page (a form's Origin or Referer) is this site: PUBLIC_URL's origin, the Host the request
 * came with, or X-Forwarded-Host when the proxy that sent it is trusted (Express's req.host, which is Host otherwise).
 * X-Forwarded-Host is safe to believe here: a page of another site cannot make a browser send it with a form (it is
 * no header a form or a CORS-simple request may carry), and a client that sends it itself has no one's session.
 */
export function isThisSite(req: Request, url: URL): boolean {
  if (url.origin === publicOriginOf(req)) return true;
  const host = req.get('host');
  return (host !== undefined && url.host === host) || (req.host !== undefined && url.host === req.host);
}

/** A host name or address with its port, as it may stand in a log line; anything else (typed text) is replaced. */
const HOST = /^[A-Za-z0-9.:[\]_-]{1,255}$/;

function safeHost(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return HOST.test(value) ? value : '(not a host name)';
}

/** An Origin as it may stand in a log line: its scheme, host and port only, or a fixed word. */
function safeOrigin(value: string): string {
  if (value === 'null') return 'null';
  try {
    const url = new URL(value);
    return `${url.protocol}//${safeHost(url.host)}`;
  } catch {
    return '(malformed)';
  }
}

/** Whether the proxy that sent this request is one TRUST_PROXY trusts (Express's own test, for the nearest hop). */
export function trustsProxyOf(req: Request): boolean {
  const trust: unknown = req.app.get('trust proxy fn');
  return (
    typeof trust === 'function' && (trust as (address: string | undefined, hop: number) => unknown)(req.socket.remoteAddress, 0) === true
  );
}

/** Whether an Origin is this site's address but for its scheme: http where https is asked for. */
function isThisSiteOverHttp(req: Request, origin: string): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:') return false;
    url.protocol = 'https:';
    return isThisSite(req, url);
  } catch {
    return false;
  }
}

/**
 * The warning for a form refused by the Origin check: the Origin and the host names the app compared it with, and
 * what to set. Host names and fixed words only: nothing typed, no cookie, no token.
 */
export function describeRefusedOrigin(
  req: Request,
  origin: string,
  https: boolean,
): { readonly fields: Record<string, string>; readonly message: string } {
  const host = safeHost(req.get('host'));
  const forwarded = req.get('x-forwarded-host');
  const publicOrigin = publicOriginOf(req);
  const fields = {
    origin: safeOrigin(origin),
    host,
    ...(forwarded !== undefined ? { forwardedHost: safeHost(forwarded) } : {}),
    ...(publicOrigin !== undefined ? { publicOrigin } : {}),
  };
  const forwardedText =
    forwarded === undefined
      ? ''
      : trustsProxyOf(req)
        ? `, X-Forwarded-Host ${fields.forwardedHost}`
        : `, X-Forwarded-Host ${fields.forwardedHost} not used as TRUST_PROXY does not trust the proxy`;
  const compared = `(Host ${host}${forwardedText}, PUBLIC_URL ${publicOrigin ?? 'not set'})`;
  const message =
    https && isThisSiteOverHttp(req, origin)
      ? `A form was refused (403): its Origin ${fields.origin} is this site over plain HTTP ${compared}, and with ` +
        'SECURE_COOKIES=true only https pages are this site. Serve every page over HTTPS (docs/operations.md#reverse-proxy-nginx-with-tls).'
      : `A form was refused (403): its Origin ${fields.origin} is not this site's address ${compared}. ` +
        "If that Origin is the address people use, the reverse proxy does not pass the browser's Host header on: " +
        'set PUBLIC_URL to that address, or have the proxy pass Host (nginx: proxy_set_header Host $http_host; Apache: ProxyPreserveHost On) ' +
        '(docs/operations.md#reverse-proxy-nginx-with-tls).';
  return { fields, message };
}
