// The people of a program: its leads and staff. Who they are decides who sees the program's self-assessments and
// who keeps its readiness list, action plan and outcome figures.
import { z } from 'zod';
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';

export const PROGRAM_ROLES = ['lead', 'staff'] as const;
export type ProgramRole = (typeof PROGRAM_ROLES)[number];
export const ProgramRoleSchema = z.enum(PROGRAM_ROLES);

export type ProgramMember = {
  readonly programId: number;
  readonly userId: number;
  readonly displayName: string;
  readonly affiliation: string;
  readonly role: ProgramRole;
};

/** A program as its people see it in their own lists. */
export type MemberProgram = {
  readonly programId: number;
  readonly programName: string;
  readonly municipalityCode: string;
  readonly municipalityName: string;
  readonly role: ProgramRole;
};

type MemberRow = { program_id: number; user_id: number; display_name: string; affiliation: string; role: string };

export type ProgramMemberStore = ReturnType<typeof createProgramMemberStore>;

export function createProgramMemberStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const membersStmt = db.prepare(
    `SELECT pm.program_id, pm.user_id, u.display_name, u.affiliation, pm.role
     FROM program_members pm JOIN users u ON u.id = pm.user_id
     WHERE pm.program_id = ?
     ORDER BY CASE pm.role WHEN 'lead' THEN 0 ELSE 1 END, u.display_name COLLATE NOCASE`,
  );
  const roleStmt = db.prepare('SELECT role FROM program_members WHERE program_id = ? AND user_id = ?');
  const programsOfUserStmt = db.prepare(
    `SELECT pm.program_id, p.name AS program_name, m.code AS municipality_code, m.name AS municipality_name, pm.role
     FROM program_members pm JOIN programs p ON p.id = pm.program_id JOIN municipalities m ON m.id = p.municipality_id
     WHERE pm.user_id = ?
     ORDER BY m.name COLLATE NOCASE, p.name COLLATE NOCASE`,
  );
  const upsertStmt = db.prepare(
    `INSERT INTO program_members (program_id, user_id, role, added_by, added_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (program_id, user_id) DO UPDATE SET role = excluded.role`,
  );
  const deleteStmt = db.prepare('DELETE FROM program_members WHERE program_id = ? AND user_id = ?');

  const setMember = db.transaction((programId: number, userId: number, role: ProgramRole, actorId: number, now: string): void =>
    runAs(actorId, () => {
      upsertStmt.run(programId, userId, role, actorId, now);
    }),
  );
  const removeMember = db.transaction((programId: number, userId: number, actorId: number): boolean =>
    runAs(actorId, () => deleteStmt.run(programId, userId).changes === 1),
  );

  return {
    listMembers: (programId: number): ProgramMember[] =>
      (membersStmt.all(programId) as MemberRow[]).map((row) => ({
        programId: row.program_id,
        userId: row.user_id,
        displayName: row.display_name,
        affiliation: row.affiliation,
        role: ProgramRoleSchema.parse(row.role),
      })),
    /** The user's role in the program, or undefined when they are not one of its people. */
    findRole: (programId: number, userId: number): ProgramRole | undefined => {
      const row = roleStmt.get(programId, userId) as { role: string } | undefined;
      return row ? ProgramRoleSchema.parse(row.role) : undefined;
    },
    listProgramsOfUser: (userId: number): MemberProgram[] =>
      (
        programsOfUserStmt.all(userId) as {
          program_id: number;
          program_name: string;
          municipality_code: string;
          municipality_name: string;
          role: string;
        }[]
      ).map((row) => ({
        programId: row.program_id,
        programName: row.program_name,
        municipalityCode: row.municipality_code,
        municipalityName: row.municipality_name,
        role: ProgramRoleSchema.parse(row.role),
      })),
    /** Adds the user to the program, or changes their role. */
    setMember: (programId: number, userId: number, role: ProgramRole, actorId: number): void =>
      setMember(programId, userId, role, actorId, clock().toISOString()),
    removeMember: (programId: number, userId: number, actorId: number): boolean => removeMember(programId, userId, actorId),
  };
}
