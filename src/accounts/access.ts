// Server-side access checks. Routes declare who may use them; resource checks (panel membership) live with the resource.
import type { Request, RequestHandler } from 'express';
import { ForbiddenError } from '../errors.js';
import type { Role } from './roles.js';
import type { CurrentUser } from './user-store.js';

/** Administrators may do everything a coordinator may. */
export function hasRole(user: CurrentUser | undefined, role: Role): boolean {
  if (!user) return false;
  if (user.roles.includes(role)) return true;
  return role === 'coordinator' && user.roles.includes('admin');
}

export function hasAnyRole(user: CurrentUser | undefined, roles: readonly Role[]): boolean {
  return roles.some((role) => hasRole(user, role));
}

/** Anonymous visitors are sent to the login page (and back afterwards). */
export function requireUser(): RequestHandler {
  return (req, res, next) => {
    if (req.user) return next();
    const nextPath = req.method === 'GET' ? req.originalUrl : '/';
    res.redirect(303, `/login?next=${encodeURIComponent(nextPath)}`);
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new ForbiddenError());
    if (!hasAnyRole(req.user, roles)) return next(new ForbiddenError());
    next();
  };
}

/** For routes that have passed requireUser. */
export function currentUser(req: Request): CurrentUser {
  if (!req.user) throw new ForbiddenError();
  return req.user;
}
