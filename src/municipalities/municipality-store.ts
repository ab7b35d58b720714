import Database from 'better-sqlite3';
import { z } from 'zod';
import { type Clock, systemClock } from '../clock.js';
import { createActorScope } from '../db/audit-actor.js';
import type { Db } from '../db/open-database.js';

export const SUPPORT_MODELS = ['icm', 'act', 'fact', 'mixed', 'other'] as const;
export type SupportModel = (typeof SUPPORT_MODELS)[number];
export const SupportModelSchema = z.enum(SUPPORT_MODELS);

export type Municipality = {
  readonly id: number;
  readonly code: string;
  readonly name: string;
};

export type MunicipalityInput = {
  readonly code: string;
  readonly name: string;
};

export type Program = {
  readonly id: number;
  readonly municipalityId: number;
  readonly municipalityCode: string;
  readonly municipalityName: string;
  readonly name: string;
  readonly supportProvider: string;
  readonly housingPartners: string;
  readonly supportModel: SupportModel;
  readonly startDate: string | undefined;
};

/** What a program form sets; the municipality is fixed when the program is created. */
export type ProgramFields = {
  readonly name: string;
  readonly supportProvider: string;
  readonly housingPartners: string;
  readonly supportModel: SupportModel;
  readonly startDate: string | undefined;
};

export type NewProgram = ProgramFields & { readonly municipalityId: number };

/** A UNIQUE constraint lost to a concurrent write: the caller shows it as a form error on `field`. */
export class DuplicateError extends Error {
  readonly field: 'code' | 'name';
  constructor(field: 'code' | 'name') {
    super(`duplicate ${field}`);
    this.name = 'DuplicateError';
    this.field = field;
  }
}

type MunicipalityRow = { id: number; code: string; name: string };

type ProgramRow = {
  id: number;
  municipality_id: number;
  municipality_code: string;
  municipality_name: string;
  name: string;
  support_provider: string;
  housing_partners: string;
  support_model: string;
  start_date: string | null;
};

const SELECT_PROGRAM = `
  SELECT p.id, p.municipality_id, m.code AS municipality_code, m.name AS municipality_name,
         p.name, p.support_provider, p.housing_partners, p.support_model, p.start_date
  FROM programs p JOIN municipalities m ON m.id = p.municipality_id`;

function toMunicipality(row: MunicipalityRow): Municipality {
  return { id: row.id, code: row.code, name: row.name };
}

function toProgram(row: ProgramRow): Program {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    municipalityCode: row.municipality_code,
    municipalityName: row.municipality_name,
    name: row.name,
    supportProvider: row.support_provider,
    housingPartners: row.housing_partners,
    supportModel: SupportModelSchema.parse(row.support_model),
    startDate: row.start_date ?? undefined,
  };
}

/** Runs a write and turns a UNIQUE violation into a DuplicateError; anything else propagates. */
function translateUnique<T>(field: 'code' | 'name', write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateError(field);
    throw error;
  }
}

export type MunicipalityStore = ReturnType<typeof createMunicipalityStore>;

export function createMunicipalityStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  /** A write in a transaction of its own, with the person who made it for the audit log (undefined: the system). */
  const audited = <T>(actorId: number | undefined, write: () => T): T => db.transaction(() => runAs(actorId, write))();
  const listStmt = db.prepare(`
    SELECT m.id, m.code, m.name, (SELECT count(*) FROM programs p WHERE p.municipality_id = m.id) AS program_count
    FROM municipalities m ORDER BY m.name COLLATE NOCASE, m.code`);
  const byCodeStmt = db.prepare('SELECT id, code, name FROM municipalities WHERE code = ?');
  const byIdStmt = db.prepare('SELECT id, code, name FROM municipalities WHERE id = ?');
  const insertStmt = db.prepare('INSERT INTO municipalities (code, name, created_at) VALUES (@code, @name, @createdAt)');
  const updateStmt = db.prepare('UPDATE municipalities SET code = @code, name = @name WHERE id = @id');
  const programsOfStmt = db.prepare(`${SELECT_PROGRAM} WHERE p.municipality_id = ? ORDER BY p.name COLLATE NOCASE, p.id`);
  const programByIdStmt = db.prepare(`${SELECT_PROGRAM} WHERE p.id = ?`);
  const programByNameStmt = db.prepare(`${SELECT_PROGRAM} WHERE p.municipality_id = ? AND p.name = ?`);
  const insertProgramStmt = db.prepare(`
    INSERT INTO programs (municipality_id, name, support_provider, housing_partners, support_model, start_date, created_at)
    VALUES (@municipalityId, @name, @supportProvider, @housingPartners, @supportModel, @startDate, @createdAt)`);
  const updateProgramStmt = db.prepare(`
    UPDATE programs SET name = @name, support_provider = @supportProvider, housing_partners = @housingPartners,
                        support_model = @supportModel, start_date = @startDate
    WHERE id = @id`);

  const programParams = (fields: ProgramFields) => ({
    name: fields.name,
    supportProvider: fields.supportProvider,
    housingPartners: fields.housingPartners,
    supportModel: fields.supportModel,
    startDate: fields.startDate ?? null,
  });

  return {
    listMunicipalities: (): (Municipality & { programCount: number })[] =>
      (listStmt.all() as (MunicipalityRow & { program_count: number })[]).map((row) => ({
        ...toMunicipality(row),
        programCount: row.program_count,
      })),
    findMunicipalityByCode: (code: string): Municipality | undefined => {
      const row = byCodeStmt.get(code) as MunicipalityRow | undefined;
      return row ? toMunicipality(row) : undefined;
    },
    findMunicipalityById: (id: number): Municipality | undefined => {
      const row = byIdStmt.get(id) as MunicipalityRow | undefined;
      return row ? toMunicipality(row) : undefined;
    },
    /** Throws DuplicateError('code') when the code is taken. */
    insertMunicipality: (input: MunicipalityInput, actorId?: number): number =>
      translateUnique('code', () =>
        audited(actorId, () =>
          Number(insertStmt.run({ code: input.code, name: input.name, createdAt: clock().toISOString() }).lastInsertRowid),
        ),
      ),
    /** Throws DuplicateError('code') when the new code belongs to another municipality. */
    updateMunicipality: (id: number, input: MunicipalityInput, actorId?: number): void => {
      translateUnique('code', () => audited(actorId, () => updateStmt.run({ id, code: input.code, name: input.name })));
    },
    listProgramsOfMunicipality: (municipalityId: number): Program[] => (programsOfStmt.all(municipalityId) as ProgramRow[]).map(toProgram),
    findProgramById: (id: number): Program | undefined => {
      const row = programByIdStmt.get(id) as ProgramRow | undefined;
      return row ? toProgram(row) : undefined;
    },
    /** Names are unique within a municipality, compared exactly as the UNIQUE constraint does. */
    findProgramByName: (municipalityId: number, name: string): Program | undefined => {
      const row = programByNameStmt.get(municipalityId, name) as ProgramRow | undefined;
      return row ? toProgram(row) : undefined;
    },
    /** Throws DuplicateError('name') when the municipality already has a program of that name. */
    insertProgram: (input: NewProgram, actorId?: number): number =>
      translateUnique('name', () =>
        audited(actorId, () =>
          Number(
            insertProgramStmt.run({
              ...programParams(input),
              municipalityId: input.municipalityId,
              createdAt: clock().toISOString(),
            }).lastInsertRowid,
          ),
        ),
      ),
    /** Throws DuplicateError('name') when another program of the municipality has the new name. */
    updateProgram: (id: number, fields: ProgramFields, actorId?: number): void => {
      translateUnique('name', () => audited(actorId, () => updateProgramStmt.run({ ...programParams(fields), id })));
    },
  };
}
