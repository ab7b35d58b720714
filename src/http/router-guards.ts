// Guards that let a request into a router only when the router can answer it. Express tries every layer of every
// router in order, so without them each page matched 45–63 layers of other capabilities before its own, and a review
// page under /reviews/:id/… every route of the review's parts mounted before its own; with them, a router that cannot
// answer costs one check.
// - guardByFirstSegment: a capability's router, by the first segments of its paths (/reviews/…, /admin/…).
// - guardByRoutes: the parts of one capability under the same first segment, by the whole pattern of their routes.
//
// Both read the router itself with router.listRoutes() (router 2.3, express 5), so a new route needs no change here.
// A router whose routes they cannot read (a parameter or a regular expression where they need a word) is returned as
// it is, unguarded. listRoutes() does not list plain middleware: a prefix that a router answers with
// router.use(path, handler) alone, without a route under it, would be skipped (the route-table security tests would
// not see it either).
import { type Router as ExpressRouter, Router } from 'express';

type ListedRoute = { readonly path: string | RegExp; readonly router: RouterWithListing | undefined };
type RouterWithListing = { listRoutes?: () => ListedRoute[] };

/** The lower-cased first path segment ('' for '/'), as express matches paths without regard to case by default. */
function firstSegmentOf(path: string): string {
  const end = path.indexOf('/', 1);
  return (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
}

/** The first segments of every route of a router and of the routers mounted in it, or undefined if one is not fixed. */
export function listFirstSegments(router: unknown): ReadonlySet<string> | undefined {
  const listRoutes = (router as RouterWithListing).listRoutes;
  if (typeof listRoutes !== 'function') return undefined;
  const segments = new Set<string>();
  for (const listed of listRoutes.call(router)) {
    if (typeof listed.path !== 'string' || !listed.path.startsWith('/')) return undefined;
    const segment = firstSegmentOf(listed.path);
    if (/[:*?(){}[\]]/.test(segment)) return undefined;
    // A router mounted at '/' shares its parent's first segment: its own routes say which.
    if (listed.router && segment === '') {
      const inner = listFirstSegments(listed.router);
      if (inner === undefined) return undefined;
      for (const s of inner) segments.add(s);
      continue;
    }
    segments.add(segment);
  }
  return segments;
}

/**
 * A router that tries `router` only for paths under its own first segments; others skip it with next('router').
 * Build the router completely before calling this: the segments are read once.
 */
export function guardByFirstSegment(router: ExpressRouter): ExpressRouter {
  const segments = listFirstSegments(router);
  if (segments === undefined) return router;
  return guardWith(router, (path) => segments.has(firstSegmentOf(path)));
}

/** `router` behind a check of the request's path: a path it does not accept skips the router with next('router'). */
function guardWith(router: ExpressRouter, accepts: (path: string) => boolean): ExpressRouter {
  const guarded = Router();
  guarded.use((req, _res, next) => next(accepts(req.path) ? undefined : 'router'));
  guarded.use(router);
  return guarded;
}

/** A route's path cut at its slashes: each segment a fixed word (lower-cased) or a parameter (undefined). */
type PathPattern = readonly (string | undefined)[];

const PARAMETER = /^:[A-Za-z_$][\w$]*$/;

/** A path's segments; one trailing slash is dropped, as express (not strict) treats '/a/' as '/a'. */
function segmentsOf(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.slice(1).split('/');
}

/**
 * The patterns of a router's routes, or undefined when one cannot be told apart by its segments alone: a path that is
 * not a string, a segment with anything but a word or a whole `:parameter` (wildcards, optional parts), or a router
 * mounted in it.
 */
export function listRoutePatterns(router: unknown): PathPattern[] | undefined {
  const listRoutes = (router as RouterWithListing).listRoutes;
  if (typeof listRoutes !== 'function') return undefined;
  const patterns: PathPattern[] = [];
  for (const listed of listRoutes.call(router)) {
    if (listed.router || typeof listed.path !== 'string' || !listed.path.startsWith('/')) return undefined;
    const pattern: (string | undefined)[] = [];
    for (const segment of segmentsOf(listed.path)) {
      if (PARAMETER.test(segment)) pattern.push(undefined);
      else if (/[:*?(){}[\]\\+!]/.test(segment)) return undefined;
      else pattern.push(segment.toLowerCase());
    }
    patterns.push(pattern);
  }
  return patterns;
}

/** Whether a request path's segments fit a pattern: same count, the same words (any case), a parameter non-empty. */
function fits(segments: readonly string[], pattern: PathPattern): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const word = pattern[i];
    const segment = segments[i] ?? '';
    if (word === undefined ? segment === '' : segment.toLowerCase() !== word) return false;
  }
  return true;
}

/**
 * A router that is tried only for paths one of its routes matches; others skip it with next('router'). For the parts
 * of one capability that share a first segment (the review's pages under /reviews/:id/…), where guardByFirstSegment
 * cannot tell them apart: a page of the last part no longer walks every route of the parts before it.
 * Middleware in a guarded router runs only for its routes' paths. A router whose routes cannot be told apart by their
 * segments (listRoutePatterns) is returned as it is. Build the router completely before calling this.
 */
export function guardByRoutes(router: ExpressRouter): ExpressRouter {
  const patterns = listRoutePatterns(router);
  if (patterns === undefined) return router;
  const byLength = new Map<number, PathPattern[]>();
  for (const pattern of patterns) byLength.set(pattern.length, [...(byLength.get(pattern.length) ?? []), pattern]);
  return guardWith(router, (path) => {
    const segments = segmentsOf(path);
    return byLength.get(segments.length)?.some((pattern) => fits(segments, pattern)) === true;
  });
}
