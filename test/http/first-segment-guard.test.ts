import express, { Router } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { guardByFirstSegment, listFirstSegments } from '../../src/http/first-segment-guard.js';
import { listAppRoutes } from '../security/route-table.js';
import { makeTestApp } from '../helpers/test-app.js';

/** A capability router whose first layer would answer every request it sees (as a role check would), and two routes. */
function greedyRouter(): Router {
  const router = Router();
  const inner = Router();
  inner.get('/reviews/:id/result', (_req, res) => void res.send('result'));
  router.use((req, res, next) => (req.query.refuse === '1' ? void res.status(403).send('refused') : next()));
  router.get('/reviews/:id', (_req, res) => void res.send('review'));
  router.use(inner);
  return router;
}

function appWith(router: Router): express.Express {
  const app = express();
  app.use(router);
  app.use((_req, res) => void res.status(404).send('not found'));
  return app;
}

describe('guardByFirstSegment', () => {
  it('when the first segment is not the router’s, then none of its layers run and the request goes on', async () => {
    const unguarded = await request(appWith(greedyRouter())).get('/municipalities?refuse=1');
    expect(unguarded.status).toBe(403);
    const guarded = await request(appWith(guardByFirstSegment(greedyRouter()))).get('/municipalities?refuse=1');
    expect(guarded.status).toBe(404);
    expect(guarded.text).toBe('not found');
  });

  it('when it is the router’s, in any letter case, then its own routes and those of routers mounted in it answer', async () => {
    const app = appWith(guardByFirstSegment(greedyRouter()));
    expect((await request(app).get('/reviews/7')).text).toBe('review');
    expect((await request(app).get('/Reviews/7/result')).text).toBe('result');
    expect((await request(app).get('/reviews/7?refuse=1')).status).toBe(403);
  });

  it('leaves a router unguarded when a route starts with a parameter, and lists "" for the root path', () => {
    const open = Router();
    open.get('/:slug', (_req, res) => void res.send('slug'));
    expect(listFirstSegments(open)).toBeUndefined();
    expect(guardByFirstSegment(open)).toBe(open);
    const home = Router();
    home.get('/', (_req, res) => void res.send('home'));
    expect([...(listFirstSegments(home) ?? [])]).toEqual(['']);
  });

  it('when the app mounts its capability routers guarded, then every route of the route table is still listed once', () => {
    const keys = listAppRoutes(makeTestApp().app).map((route) => route.key);
    expect(keys).toContain('GET /reviews/:id/result');
    expect(keys).toContain('GET /');
    expect(keys).toContain('POST /login');
    expect(keys).toContain('GET /research');
    expect(new Set(keys).size).toBe(keys.length);
  });
});
