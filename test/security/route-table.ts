// The app's route table, read from Express itself: every METHOD + path that a router answers, however deeply the
// routers are nested. The access matrix and the form fuzz test are generated from it, so a new route is never missed.
//
// Express 5 routes through the `router` package; its Router#listRoutes() (router ≥ 2.3) returns, per layer of a
// router's stack, { path, methods, router }: `methods` for a route (HEAD is added for GET, '*' stands for .all()),
// `router` for a router mounted with .use(path, router), to recurse into. Plain middleware is not listed.
import type express from 'express';

export type RouteMethod = 'GET' | 'POST';
export type AppRoute = { readonly method: RouteMethod; readonly path: string; readonly key: string };

type ListedRoute = {
  readonly path: string | RegExp;
  readonly methods: readonly string[] | undefined;
  readonly router: RouterLike | undefined;
};
type RouterLike = { listRoutes?: () => ListedRoute[] };

function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}

function collect(router: RouterLike, prefix: string, routes: AppRoute[]): void {
  if (typeof router.listRoutes !== 'function') {
    throw new Error('Router#listRoutes is missing: the route walk needs the `router` package 2.3 or newer (express 5).');
  }
  for (const listed of router.listRoutes()) {
    if (typeof listed.path !== 'string') {
      throw new Error(
        `A route is mounted on a regular expression (${String(listed.path)}): give it a string path so the route walk can name it.`,
      );
    }
    const path = joinPaths(prefix, listed.path);
    if (listed.router) {
      collect(listed.router, path, routes);
      continue;
    }
    const methods = new Set((listed.methods ?? []).map((m) => m.toUpperCase()));
    if (methods.has('*')) methods.add('GET').add('POST');
    for (const method of methods) {
      if (method === 'HEAD' || method === '*') continue;
      if (method !== 'GET' && method !== 'POST') {
        throw new Error(`${method} ${path}: the security tests only know GET and POST; teach test/security/route-table.ts the new method.`);
      }
      routes.push({ method, path, key: `${method} ${path}` });
    }
  }
}

/** Every GET and POST route of the app, once each, in registration order. */
export function listAppRoutes(app: express.Express): AppRoute[] {
  // `app.router` is typed as Express's Router, whose typings do not have listRoutes yet.
  const routes: AppRoute[] = [];
  collect(app.router as unknown as RouterLike, '/', routes);
  // One route per key, the first found: a Map keeps the first insertion's place and, set only once, its value.
  const byKey = new Map<string, AppRoute>();
  for (const route of routes) if (!byKey.has(route.key)) byKey.set(route.key, route);
  return [...byKey.values()];
}

/** The names of a route's parameters, in order (":id" → "id"); other path-to-regexp syntax is refused by name. */
export function listRouteParams(path: string): string[] {
  if (/[*{}]/.test(path)) {
    throw new Error(`${path}: wildcards and optional groups are not supported by the security tests' route walk yet.`);
  }
  return [...path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
}
