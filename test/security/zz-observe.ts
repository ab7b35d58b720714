import { listAppRoutes } from './route-table.js';
import { ACCESS_BODIES, findExpectedRow } from './expected-access.js';
import { createSecurityFixture, fillPath, inRollback, isReviewRoute, PERSONAS, REVIEW_STATUSES, sendAs } from './security-fixture.js';
const f = await createSecurityFixture();
const routes = listAppRoutes(f.app);
for (const route of routes) {
  const statuses = isReviewRoute(route) ? REVIEW_STATUSES : [undefined];
  for (const status of statuses) {
    const codes: string[] = [];
    for (const p of PERSONAS) {
      const path = fillPath(route, f, status ?? 'final');
      const body = ACCESS_BODIES[route.key]?.(f, status ?? 'final');
      const res = await inRollback(f.db, () => sendAs(f, f.personas[p], route.method, path, body ? { body } : {}));
      const loc = String(res.headers.location ?? '');
      codes.push(res.status === 303 && loc.startsWith('/login') ? 'L' : res.status === 422 ? 'Y' : res.status < 400 ? 'Y' : res.status === 403 ? 'F' : res.status === 404 ? 'N' : res.status === 409 ? 'C' : String(res.status));
    }
    const exp = findExpectedRow(route.key, status);
    console.log(route.key.padEnd(48), (status ?? '').padEnd(10), codes.join(' '), exp === codes.join(' ') ? '' : `EXPECTED ${exp}`);
  }
}
