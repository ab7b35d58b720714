// The fixed words of the app's own paths: the literal segments of its routes ("reviews", "rate", "report.pdf") and of
// its static files' paths ("assets", "app.css"). Of a path no route answered, a log line keeps only these and record
// ids (maskPath in logger.ts): any other segment is what someone typed, maybe a name.
//
// The routes are read with router.listRoutes() (router 2.3, express 5), as the route guards and the security tests'
// route table read them, so a new route needs no change here.
import { readdirSync } from 'node:fs';

type ListedRoute = { readonly path: string | RegExp; readonly router: RouterWithListing | undefined };
type RouterWithListing = { listRoutes?: () => ListedRoute[] };

/** A segment with nothing of path-to-regexp in it: a parameter, a wildcard or an optional part is no word. */
const LITERAL_SEGMENT = /^[^:*?(){}[\]\\+!]+$/;

function addLiteralSegments(path: string, words: Set<string>): void {
  for (const segment of path.split('/')) if (LITERAL_SEGMENT.test(segment)) words.add(segment);
}

/** The literal segments of every route of a router and of the routers mounted in it, however deeply nested. */
function collectRouteWords(router: unknown, words: Set<string>): void {
  const listRoutes = (router as RouterWithListing).listRoutes;
  // Without listRoutes no word is known, and every segment but a record id is masked: less useful, never unsafe.
  if (typeof listRoutes !== 'function') return;
  for (const listed of listRoutes.call(router)) {
    if (typeof listed.path === 'string') addLiteralSegments(listed.path, words);
    if (listed.router) collectRouteWords(listed.router, words);
  }
}

/** The path of every file and folder under `dir`, as served at `mountPath` ('/assets/app.css'). */
export function listStaticPaths(mountPath: string, dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((relative) => [mountPath, ...relative.split(/[\\/]/)].join('/'));
}

/** The words of the routes of `router` (an app's router) and of the given static paths. */
export function listPathWords(router: unknown, staticPaths: readonly string[]): ReadonlySet<string> {
  const words = new Set<string>();
  collectRouteWords(router, words);
  for (const path of staticPaths) addLiteralSegments(path, words);
  return words;
}
