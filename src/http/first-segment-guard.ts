// Lets a request pass a capability router only when the first segment of its path is one that router answers
// (/reviews/…, /admin/…). Express tries every layer of every router in order, so without this each page matched
// 45–63 layers of other capabilities before its own; with it, a router that cannot answer costs one check.
//
// The segments are read from the router itself with router.listRoutes() (router 2.3, express 5), so a new route
// needs no change here. A router with a route whose first segment is not a fixed word (a parameter, a regular
// expression) is returned as it is, unguarded. listRoutes() does not list plain middleware: a prefix that a router
// answers with router.use(path, handler) alone, without a route under it, would be skipped (the route-table security
// tests would not see it either).
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
  const guarded = Router();
  guarded.use((req, _res, next) => {
    next(segments.has(firstSegmentOf(req.path)) ? undefined : 'router');
  });
  guarded.use(router);
  return guarded;
}
