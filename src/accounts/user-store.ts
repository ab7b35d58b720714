import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import type { Locale } from '../i18n/locale.js';
import { createActorScope } from '../db/audit-actor.js';
import { AFFILIATION_KINDS, type Affiliation, type AffiliationKind } from './affiliation.js';
import { type Role, RoleSchema } from './roles.js';

export type User = {
  readonly id: number;
  readonly email: string;
  readonly displayName: string;
  readonly affiliation: string;
  readonly active: boolean;
  readonly roles: readonly Role[];
  readonly createdAt: string;
};

export type CurrentUser = User & { readonly preferredLocale: Locale | undefined };

export type NewUser = {
  readonly email: string;
  readonly displayName: string;
  readonly affiliation: string;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
};

export type UserUpdate = {
  readonly displayName: string;
  readonly affiliation: string;
  readonly active: boolean;
  readonly roles: readonly Role[];
};

type UserRow = {
  id: number;
  email: string;
  display_name: string;
  affiliation: string;
  active: number;
  preferred_locale: string | null;
  created_at: string;
  roles: string | null;
};

const SELECT_USER = `
  SELECT u.id, u.email, u.display_name, u.affiliation, u.active, u.preferred_locale, u.created_at,
         (SELECT group_concat(role, ',') FROM user_roles r WHERE r.user_id = u.id) AS roles
  FROM users u`;

type AffiliationRow = { affiliation_kind: string; affiliation_municipality_id: number | null; affiliation: string };

/** An unknown kind reads as 'other'. */
function toAffiliation(row: AffiliationRow): Affiliation {
  const kind = (AFFILIATION_KINDS as readonly string[]).includes(row.affiliation_kind)
    ? (row.affiliation_kind as AffiliationKind)
    : 'other';
  return { kind, municipalityId: row.affiliation_municipality_id ?? undefined, organisation: row.affiliation };
}

function toUser(row: UserRow): CurrentUser {
  const roles = (row.roles ?? '')
    .split(',')
    .filter((r) => r !== '')
    .map((r) => RoleSchema.parse(r))
    .sort();
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    affiliation: row.affiliation,
    active: row.active === 1,
    roles,
    createdAt: row.created_at,
    preferredLocale: row.preferred_locale === 'sv' || row.preferred_locale === 'en' ? row.preferred_locale : undefined,
  };
}

export type UserStore = ReturnType<typeof createUserStore>;

export function createUserStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  // Raters of imported paper rounds (see migration 4): inactive, and "!" is no argon2 hash, so they can never log in.
  const insertPlaceholderStmt = db.prepare(
    `INSERT INTO users (email, display_name, affiliation, password_hash, active, created_at)
     VALUES (@email, @displayName, '', '!', 0, @createdAt)`,
  );
  const insertPlaceholder = db.transaction((user: { email: string; displayName: string }, actorId: number, createdAt: string): number =>
    runAs(actorId, () => Number(insertPlaceholderStmt.run({ ...user, createdAt }).lastInsertRowid)),
  );
  const affiliationStmt = db.prepare('SELECT affiliation_kind, affiliation_municipality_id, affiliation FROM users WHERE id = ?');
  const affiliationsStmt = db.prepare('SELECT id, affiliation_kind, affiliation_municipality_id, affiliation FROM users');
  const updateAffiliationStmt = db.prepare(
    'UPDATE users SET affiliation_kind = ?, affiliation_municipality_id = ?, affiliation = ? WHERE id = ?',
  );
  const updateAffiliation = db.transaction((userId: number, affiliation: Affiliation, actorId: number | undefined): void => {
    runAs(actorId, () =>
      updateAffiliationStmt.run(
        affiliation.kind,
        affiliation.kind === 'municipality' ? (affiliation.municipalityId ?? null) : null,
        affiliation.organisation,
        userId,
      ),
    );
  });
  const countStmt = db.prepare('SELECT count(*) AS n FROM users');
  const byIdStmt = db.prepare(`${SELECT_USER} WHERE u.id = ?`);
  const byEmailStmt = db.prepare(`${SELECT_USER} WHERE u.email = ?`);
  const hashByEmailStmt = db.prepare('SELECT id, password_hash, active FROM users WHERE email = ?');
  // Raters of imported paper rounds are placeholder users (see migration 4): never listed as accounts.
  const allStmt = db.prepare(
    `${SELECT_USER} WHERE u.id NOT IN (SELECT user_id FROM external_raters) ORDER BY u.display_name COLLATE NOCASE, u.id`,
  );
  const insertStmt = db.prepare(
    `INSERT INTO users (email, display_name, affiliation, password_hash, created_at)
     VALUES (@email, @displayName, @affiliation, @passwordHash, @createdAt)`,
  );
  const insertRoleStmt = db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
  const updateStmt = db.prepare(
    'UPDATE users SET display_name = @displayName, affiliation = @affiliation, active = @active WHERE id = @id',
  );
  const updatePasswordStmt = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
  const updateLocaleStmt = db.prepare('UPDATE users SET preferred_locale = ? WHERE id = ?');

  const rolesOfStmt = db.prepare('SELECT role FROM user_roles WHERE user_id = ?').pluck();
  const deleteRoleStmt = db.prepare('DELETE FROM user_roles WHERE user_id = ? AND role = ?');

  const insertUser = db.transaction((user: NewUser, createdAt: string, actorId: number | undefined): number =>
    runAs(actorId, () => {
      const id = Number(
        insertStmt.run({
          email: user.email,
          displayName: user.displayName,
          affiliation: user.affiliation,
          passwordHash: user.passwordHash,
          createdAt,
        }).lastInsertRowid,
      );
      for (const role of new Set(user.roles)) insertRoleStmt.run(id, role);
      return id;
    }),
  );

  // Only the roles that change are written, so the audit log says which role was given or taken away and by whom,
  // not every role taken away and given back on each save.
  const updateUser = db.transaction((id: number, update: UserUpdate, actorId: number): void =>
    runAs(actorId, () => {
      updateStmt.run({ id, displayName: update.displayName, affiliation: update.affiliation, active: update.active ? 1 : 0 });
      const wanted = new Set<string>(update.roles);
      const held = new Set(rolesOfStmt.all(id) as string[]);
      for (const role of held) if (!wanted.has(role)) deleteRoleStmt.run(id, role);
      for (const role of wanted) if (!held.has(role)) insertRoleStmt.run(id, role);
    }),
  );

  const updatePassword = db.transaction((id: number, passwordHash: string, actorId: number): void =>
    runAs(actorId, () => {
      updatePasswordStmt.run(passwordHash, id);
    }),
  );

  return {
    /** Where the user works, for the conflict-of-interest checks; an unknown kind reads as 'other'. */
    findAffiliation: (userId: number): Affiliation | undefined => {
      const row = affiliationStmt.get(userId) as AffiliationRow | undefined;
      return row ? toAffiliation(row) : undefined;
    },
    /** Every user's affiliation by user id, in one query: for checking many people at once. */
    listAffiliations: (): ReadonlyMap<number, Affiliation> =>
      new Map((affiliationsStmt.all() as (AffiliationRow & { id: number })[]).map((row) => [row.id, toAffiliation(row)])),
    updateAffiliation: (userId: number, affiliation: Affiliation, actorId: number | undefined): void =>
      updateAffiliation(userId, affiliation, actorId),
    /** A user that stands for a rater of an imported paper round and can never log in. */
    insertPlaceholderUser: (user: { readonly email: string; readonly displayName: string }, actorId: number): number =>
      insertPlaceholder(user, actorId, clock().toISOString()),
    countUsers: (): number => (countStmt.get() as { n: number }).n,
    findUserById: (id: number): CurrentUser | undefined => {
      const row = byIdStmt.get(id) as UserRow | undefined;
      return row ? toUser(row) : undefined;
    },
    findUserByEmail: (email: string): CurrentUser | undefined => {
      const row = byEmailStmt.get(email) as UserRow | undefined;
      return row ? toUser(row) : undefined;
    },
    findCredentials: (email: string): { id: number; passwordHash: string; active: boolean } | undefined => {
      const row = hashByEmailStmt.get(email) as { id: number; password_hash: string; active: number } | undefined;
      return row ? { id: row.id, passwordHash: row.password_hash, active: row.active === 1 } : undefined;
    },
    listUsers: (): CurrentUser[] => (allStmt.all() as UserRow[]).map(toUser),
    /** A new account; actorId is the administrator who made it (none at setup or from a command-line tool). */
    insertUser: (user: NewUser, actorId: number | undefined): number => insertUser(user, clock().toISOString(), actorId),
    updateUser: (id: number, update: UserUpdate, actorId: number): void => updateUser(id, update, actorId),
    /** actorId: the user themself, or the administrator who set it. */
    updatePassword: (id: number, passwordHash: string, actorId: number): void => updatePassword(id, passwordHash, actorId),
    updatePreferredLocale: (id: number, locale: Locale): void => {
      updateLocaleStmt.run(locale, id);
    },
  };
}
