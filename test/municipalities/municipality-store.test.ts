import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import {
  createMunicipalityStore,
  DuplicateError,
  type MunicipalityStore,
  type ProgramFields,
} from '../../src/municipalities/municipality-store.js';

const PROGRAM: ProgramFields = {
  name: 'Bostad först Södermalm',
  supportProvider: 'Socialtjänsten',
  housingPartners: 'Stockholmshem\nFamiljebostäder',
  supportModel: 'icm',
  startDate: '2010-09-01',
};

let db: Db;
let store: MunicipalityStore;

beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db);
  store = createMunicipalityStore(db);
});

describe('municipalities', () => {
  it('when municipalities are inserted, then they are listed by name with their program counts', () => {
    const stockholm = store.insertMunicipality({ code: '0180', name: 'Stockholm' });
    store.insertMunicipality({ code: '0126', name: 'Huddinge' });
    store.insertProgram({ ...PROGRAM, municipalityId: stockholm });
    store.insertProgram({ ...PROGRAM, name: 'Bostad först Kista', municipalityId: stockholm });

    expect(store.listMunicipalities()).toEqual([
      { id: expect.any(Number), code: '0126', name: 'Huddinge', programCount: 0 },
      { id: stockholm, code: '0180', name: 'Stockholm', programCount: 2 },
    ]);
  });

  it('finds a municipality by code and by id, and gives undefined for unknown ones', () => {
    const id = store.insertMunicipality({ code: '1280', name: 'Malmö' });
    expect(store.findMunicipalityByCode('1280')).toEqual({ id, code: '1280', name: 'Malmö' });
    expect(store.findMunicipalityById(id)).toEqual({ id, code: '1280', name: 'Malmö' });
    expect(store.findMunicipalityByCode('9999')).toBeUndefined();
    expect(store.findMunicipalityById(id + 1)).toBeUndefined();
  });

  it('when a code is already taken, then insert and update throw DuplicateError on the code', () => {
    store.insertMunicipality({ code: '0180', name: 'Stockholm' });
    const lund = store.insertMunicipality({ code: '1281', name: 'Lund' });

    expect(() => store.insertMunicipality({ code: '0180', name: 'Another' })).toThrow(DuplicateError);
    try {
      store.updateMunicipality(lund, { code: '0180', name: 'Lund' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DuplicateError);
      expect((error as DuplicateError).field).toBe('code');
    }
    expect(store.findMunicipalityById(lund)?.code).toBe('1281');
  });

  it('updates code and name', () => {
    const id = store.insertMunicipality({ code: '1480', name: 'Goteborg' });
    store.updateMunicipality(id, { code: '1480', name: 'Göteborg' });
    expect(store.findMunicipalityById(id)).toEqual({ id, code: '1480', name: 'Göteborg' });
  });
});

describe('programs', () => {
  it('when a program is inserted, then it is read back with its municipality', () => {
    const municipalityId = store.insertMunicipality({ code: '0180', name: 'Stockholm' });
    const id = store.insertProgram({ ...PROGRAM, municipalityId });

    expect(store.findProgramById(id)).toEqual({
      id,
      municipalityId,
      municipalityCode: '0180',
      municipalityName: 'Stockholm',
      ...PROGRAM,
    });
    expect(store.listProgramsOfMunicipality(municipalityId).map((p) => p.id)).toEqual([id]);
    expect(store.findProgramByName(municipalityId, PROGRAM.name)?.id).toBe(id);
    expect(store.findProgramById(id + 1)).toBeUndefined();
  });

  it('keeps a missing start date as undefined', () => {
    const municipalityId = store.insertMunicipality({ code: '0180', name: 'Stockholm' });
    const id = store.insertProgram({ ...PROGRAM, startDate: undefined, municipalityId });
    expect(store.findProgramById(id)?.startDate).toBeUndefined();
  });

  it('when a name is taken in the same municipality, then insert and update throw DuplicateError on the name', () => {
    const stockholm = store.insertMunicipality({ code: '0180', name: 'Stockholm' });
    const huddinge = store.insertMunicipality({ code: '0126', name: 'Huddinge' });
    store.insertProgram({ ...PROGRAM, municipalityId: stockholm });
    const other = store.insertProgram({ ...PROGRAM, name: 'Annat program', municipalityId: stockholm });

    expect(() => store.insertProgram({ ...PROGRAM, municipalityId: stockholm })).toThrow(DuplicateError);
    expect(() => store.updateProgram(other, PROGRAM)).toThrow(DuplicateError);
    // The same name in another municipality is fine.
    expect(store.insertProgram({ ...PROGRAM, municipalityId: huddinge })).toBeGreaterThan(0);
  });

  it('updates every field of a program', () => {
    const municipalityId = store.insertMunicipality({ code: '0180', name: 'Stockholm' });
    const id = store.insertProgram({ ...PROGRAM, municipalityId });
    const changed: ProgramFields = {
      name: 'Bostad först Stockholm',
      supportProvider: 'Stadsmissionen',
      housingPartners: '',
      supportModel: 'act',
      startDate: undefined,
    };
    store.updateProgram(id, changed);
    expect(store.findProgramById(id)).toMatchObject(changed);
  });

  it('lists the programs of a municipality by name, and no others', () => {
    const stockholm = store.insertMunicipality({ code: '0180', name: 'Stockholm' });
    const huddinge = store.insertMunicipality({ code: '0126', name: 'Huddinge' });
    store.insertProgram({ ...PROGRAM, name: 'Östra', municipalityId: stockholm });
    store.insertProgram({ ...PROGRAM, name: 'Ängby', municipalityId: stockholm });
    store.insertProgram({ ...PROGRAM, name: 'Centrum', municipalityId: huddinge });
    expect(store.listProgramsOfMunicipality(stockholm).map((p) => p.name)).toEqual(['Ängby', 'Östra']);
  });
});
