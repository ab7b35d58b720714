import express, { Router } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { guardByFirstSegment, guardByRoutes, listFirstSegments, listRoutePatterns } from '../../src/http/router-guards.js';
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

/** One part of a capability: a middleware that would answer every request it sees, and two routes. */
function greedyPart(): Router {
  const router = Router();
  router.use((req, res, next) => (req.query.refuse === '1' ? void res.status(403).send('refused') : next()));
  router.get('/reviews/:id/consensus/:sectionId', (req, res) => void res.send(`section ${req.params.sectionId}`));
  router.post('/reviews/:id/findings', (_req, res) => void res.send('findings saved'));
  return router;
}

describe('guardByRoutes', () => {
  it('when no route of the part matches the path, then none of its layers run and the request goes on', async () => {
    const unguarded = await request(appWith(greedyPart())).get('/reviews/7/result?refuse=1');
    expect(unguarded.status).toBe(403);
    for (const path of ['/reviews/7/result', '/reviews/7/consensus', '/reviews/7/consensus/a/b', '/reviews//consensus/a', '/reviews']) {
      const guarded = await request(appWith(guardByRoutes(greedyPart()))).get(`${path}?refuse=1`);
      expect(guarded.status, path).toBe(404);
    }
  });

  it('when a route matches, in any letter case and with a trailing slash, then the part answers as it would unguarded', async () => {
    const app = appWith(guardByRoutes(greedyPart()));
    expect((await request(app).get('/reviews/7/consensus/a1')).text).toBe('section a1');
    expect((await request(app).get('/Reviews/7/CONSENSUS/a1/')).text).toBe('section a1');
    expect((await request(app).get('/reviews/7/consensus/a1?refuse=1')).status).toBe(403);
    // The path decides, not the method: a GET to a POST route still meets the part's own middleware and routing.
    expect((await request(app).post('/reviews/7/findings')).text).toBe('findings saved');
    expect((await request(app).get('/reviews/7/findings?refuse=1')).status).toBe(403);
    expect((await request(app).get('/reviews/7/findings')).status).toBe(404);
  });

  it('leaves a part unguarded when a route cannot be told apart by its segments, or a router is mounted in it', () => {
    const wildcard = Router();
    wildcard.get('/files/*rest', (_req, res) => void res.send('file'));
    expect(listRoutePatterns(wildcard)).toBeUndefined();
    expect(guardByRoutes(wildcard)).toBe(wildcard);
    const suffixed = Router();
    suffixed.get('/municipalities/:code.pdf', (_req, res) => void res.send('pdf'));
    expect(guardByRoutes(suffixed)).toBe(suffixed);
    const nested = Router();
    nested.use(Router());
    expect(guardByRoutes(nested)).toBe(nested);
    expect(listRoutePatterns(greedyPart())).toEqual([
      ['reviews', undefined, 'consensus', undefined],
      ['reviews', undefined, 'findings'],
    ]);
  });

  it('when the review router guards its parts, then its pages stay in the route table, whose access matrix requests each', async () => {
    const keys = listAppRoutes(makeTestApp().app).map((route) => route.key);
    for (const key of [
      'GET /reviews/:id',
      'GET /reviews/:id/rate/:sectionId',
      'GET /reviews/:id/consensus/:sectionId',
      'GET /reviews/:id/result',
    ]) {
      expect(keys).toContain(key);
    }
  });
});
