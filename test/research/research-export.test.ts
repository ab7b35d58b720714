import { describe, expect, it } from 'vitest';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { detectCsvDelimiter, parseCsvText } from '../../src/http/csv.js';
import { assignReviewPseudonyms } from '../../src/research/long-format.js';
import { exportLongFormat } from '../../src/research/research-export.js';
import { createResearchStore } from '../../src/research/research-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';
import { createResearchWorld, importRound, type ResearchWorld } from './research-helpers.js';

/** What researchers and coordinators get: no rater_role. */
const HEADER =
  'municipality_code,program,review_id,source_review_id,review_date,kind,rubric_id,rubric_version,section_id,indicator_id,rater,score,not_applicable,is_consensus';
/** What administrators get. */
const ADMIN_HEADER =
  'municipality_code,program,review_id,source_review_id,review_date,kind,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus';
/** Column positions in a researcher's export. */
const COL = { review: 2, source: 3, kind: 5, indicator: 9, rater: 10, score: 11, na: 12, consensus: 13 } as const;
/** Column positions in an administrator's export. */
const ADMIN_COL = { review: 2, rater: 10, role: 11, score: 12, consensus: 14 } as const;

/** Two final reviews (Stockholm 2024, a program named like a formula in Göteborg 2025) and one draft. */
async function createExportWorld(): Promise<ResearchWorld & { indicators: number }> {
  const w = await createResearchWorld();
  const stockholm = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
  const goteborg = w.addProgram('1480', 'Göteborg', '=HYPERLINK("http://evil")');
  w.addFinalReview(stockholm, { date: '2024-03-01', raters: [() => 3, (_a, _b, index) => (index === 0 ? 'na' : 4), () => 2] });
  w.addFinalReview(goteborg, { date: '2025-05-01' });
  const loaded = w.rubrics.get('bostad-forst');
  if (!loaded) throw new Error('rubric');
  w.reviews.insertReview({
    programId: stockholm,
    rubric: loaded,
    kind: 'peer_review',
    visitStart: '2026-01-01',
    visitEnd: undefined,
    createdBy: w.coordinator.id,
  });
  return { ...w, indicators: listIndicators(w.rubric).length };
}

function readCsv(text: string): string[][] {
  return [...parseCsvText(text)].map((record) => [...record.fields]);
}

describe('GET /research/export/ratings.csv', () => {
  it('streams one row per rating and per consensus, of final reviews only, with pseudonyms per review, no names and no roles', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    const response = await agent.get('/research/export/ratings.csv?rubric=bostad-forst');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers['content-disposition']).toBe('attachment; filename="ratings-bostad-forst.csv"');
    expect(response.headers['cache-control']).toBe('no-store');
    // Streamed: written in chunks, so no length is known up front.
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.text.startsWith(`${HEADER}\r\n`)).toBe(true);
    const [header, ...rows] = readCsv(response.text);
    expect(header?.join(',')).toBe(HEADER);
    // Two final reviews × (3 raters + consensus) × every indicator; the draft review is left out.
    expect(rows).toHaveLength(2 * 4 * w.indicators);
    for (const row of rows) expect(row).toHaveLength(14);
    expect(new Set(rows.map((row) => row[COL.review]))).toEqual(new Set(['1', '2']));
    expect(new Set(rows.map((row) => row[COL.kind]))).toEqual(new Set(['peer_review']));
    // Each review's raters are R1–R3 of that review.
    for (const review of ['1', '2']) {
      expect(new Set(rows.filter((row) => row[COL.review] === review && row[COL.consensus] === '0').map((row) => row[COL.rater]))).toEqual(
        new Set(['R1', 'R2', 'R3']),
      );
    }
    for (const rater of w.raters) expect(response.text).not.toContain(rater.displayName);
    expect(rows.some((row) => row.includes('lead') || row.includes('reviewer'))).toBe(false);
    // The N/A rating: empty score, not_applicable 1, and the indicator's section.
    const first = listIndicators(w.rubric)[0];
    const na = rows.find((row) => row[COL.review] === '1' && row[COL.indicator] === first?.indicator.id && row[COL.na] === '1');
    expect(na).toEqual([
      '0180',
      'Bostad först Stockholm',
      '1',
      '',
      '2024-03-01',
      'peer_review',
      'bostad-forst',
      '1.1',
      first?.section.id,
      first?.indicator.id,
      na?.[COL.rater],
      '',
      '1',
      '0',
    ]);
    // Consensus rows: no rater, is_consensus 1.
    const consensus = rows.filter((row) => row[COL.consensus] === '1');
    expect(consensus).toHaveLength(2 * w.indicators);
    expect(consensus.every((row) => row[COL.rater] === '' && row[COL.score] === '3')).toBe(true);
  });

  it('guards text cells against formula injection but leaves numbers alone', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    const response = await agent.get('/research/export/ratings.csv?rubric=bostad-forst&year=2025');
    expect(response.text).toContain(`1480,"'=HYPERLINK(""http://evil"")",2,,2025-05-01,peer_review,`);
    expect(response.text).not.toContain('0180,');
  });

  it('gives Excel, only when asked, a byte-order mark and semicolons between fields, the same records as the plain file', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    for (const path of [
      '/research/export/ratings.csv?rubric=bostad-forst',
      '/research/export/codebook.csv?rubric=bostad-forst',
      '/research/export/level-rules.csv?rubric=bostad-forst',
      '/research/reviews/1/matrix.csv',
    ]) {
      const plain = await agent.get(path).buffer(true);
      expect(plain.text.charCodeAt(0), path).not.toBe(0xfeff);
      const excel = await agent.get(`${path}${path.includes('?') ? '&' : '?'}bom=1`).buffer(true);
      expect(excel.text.startsWith('\ufeff'), path).toBe(true);
      // Swedish Excel splits a double-clicked file at semicolons: the same records, field for field.
      expect(detectCsvDelimiter(excel.text.slice(1)), path).toBe(';');
      const records = (text: string, delimiter: ',' | ';') => [...parseCsvText(text, delimiter)].map((record) => record.fields);
      expect(records(excel.text, ';'), path).toEqual(records(plain.text, ','));
    }
    const excel = await agent.get('/research/export/ratings.csv?rubric=bostad-forst&bom=1');
    expect(excel.text.startsWith(`\ufeff${HEADER.replaceAll(',', ';')}`)).toBe(true);
  });

  it('gives names only to an administrator who asks; anyone else asking gets 403', async () => {
    const w = await createExportWorld();
    const admin = await w.login(await w.person(['admin']));
    const withNames = await admin.get('/research/export/ratings.csv?rubric=bostad-forst&names=1');
    expect(withNames.status).toBe(200);
    for (const rater of w.raters) expect(withNames.text).toContain(`,${rater.displayName},`);
    const adminDefault = await admin.get('/research/export/ratings.csv?rubric=bostad-forst');
    for (const rater of w.raters) expect(adminDefault.text).not.toContain(rater.displayName);
    for (const roles of [['researcher'], ['coordinator']] as const) {
      const agent = await w.login(await w.person([...roles]));
      expect((await agent.get('/research/export/ratings.csv?rubric=bostad-forst&names=1')).status).toBe(403);
      expect((await agent.get('/research/reviews/1/matrix.csv?names=1')).status).toBe(403);
    }
  });

  it('gives an administrator the roles and one pseudonym per person across reviews, as before', async () => {
    const w = await createExportWorld();
    const admin = await w.login(await w.person(['admin']));
    const [header, ...rows] = readCsv((await admin.get('/research/export/ratings.csv?rubric=bostad-forst')).text);
    expect(header?.join(',')).toBe(ADMIN_HEADER);
    for (const row of rows) expect(row).toHaveLength(15);
    const ratings = rows.filter((row) => row[ADMIN_COL.consensus] === '0');
    // The same three people are R01–R03 in both reviews, in the same roles; the lead comes first.
    expect(new Set(ratings.map((row) => row[ADMIN_COL.rater]))).toEqual(new Set(['R01', 'R02', 'R03']));
    expect(ratings.filter((row) => row[ADMIN_COL.rater] === 'R01').every((row) => row[ADMIN_COL.role] === 'lead')).toBe(true);
    expect(ratings.filter((row) => row[ADMIN_COL.rater] !== 'R01').every((row) => row[ADMIN_COL.role] === 'reviewer')).toBe(true);
    const [lena] = w.raters;
    const named = readCsv((await admin.get('/research/export/ratings.csv?rubric=bostad-forst&names=1')).text).slice(1);
    expect(
      named
        .filter((row) => row[ADMIN_COL.rater] === lena?.displayName && row[ADMIN_COL.consensus] === '0')
        .every((row) => row[ADMIN_COL.role] === 'lead'),
    ).toBe(true);
    expect(new Set(named.filter((row) => row[ADMIN_COL.rater] === lena?.displayName).map((row) => row[ADMIN_COL.review]))).toEqual(
      new Set(['1', '2']),
    );
  });

  it('when the rubric is unknown or missing, then it is 404', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    expect((await agent.get('/research/export/ratings.csv?rubric=nope')).status).toBe(404);
    expect((await agent.get('/research/export/ratings.csv')).status).toBe(404);
  });
});

describe('exportLongFormat', () => {
  it('waits for the sink before reading the next review, and keeps no cursor open meanwhile: writes still work', async () => {
    const w = await createExportWorld();
    const store = createResearchStore(w.db);
    const municipalities = createMunicipalityStore(w.db);
    const chunks: string[] = [];
    let waiting: (() => void) | undefined;
    let pending = 0;
    let maxPending = 0;
    const done = exportLongFormat(
      store,
      { rubricId: 'bostad-forst', kind: undefined, year: undefined },
      { admin: false, names: false, excel: false },
      {
        closed: () => false,
        write: (chunk) => {
          chunks.push(chunk);
          pending++;
          maxPending = Math.max(maxPending, pending);
          return new Promise<void>((resolve) => {
            waiting = () => {
              pending--;
              resolve();
            };
          });
        },
      },
    );
    // Header written, then nothing more until the sink has room.
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(1);
    // The database takes writes while the export waits (an open iterator would make it refuse them).
    expect(() => municipalities.insertMunicipality({ code: '9999', name: 'Testby' })).not.toThrow();
    while (waiting) {
      const release = waiting;
      waiting = undefined;
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await done).toBe(2 * 4 * w.indicators);
    expect(maxPending).toBe(1);
    // One chunk per review after the header.
    expect(chunks).toHaveLength(3);
  });

  it('stops when the reader has gone away', async () => {
    const w = await createExportWorld();
    const store = createResearchStore(w.db);
    const chunks: string[] = [];
    const rows = await exportLongFormat(
      store,
      { rubricId: 'bostad-forst', kind: undefined, year: undefined },
      { admin: false, names: false, excel: false },
      {
        closed: () => chunks.length >= 2,
        write: async (chunk) => {
          chunks.push(chunk);
        },
      },
    );
    expect(chunks).toHaveLength(2);
    expect(rows).toBe(4 * w.indicators);
  });
});

describe('GET /research/export/codebook.csv', () => {
  it('lists every indicator and scale level with texts in both languages and the anchors', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['coordinator']));
    const response = await agent.get('/research/export/codebook.csv?rubric=bostad-forst');
    expect(response.status).toBe(200);
    const [header, ...rows] = readCsv(response.text);
    expect(header).toEqual([
      'rubric_id',
      'rubric_version',
      'part_id',
      'decides_level',
      'section_id',
      'section_code',
      'section_title_sv',
      'section_title_en',
      'indicator_id',
      'indicator_text_sv',
      'indicator_text_en',
      'required',
      'critical',
      'continues_version',
      'continues_indicator_id',
      'scale_min',
      'scale_max',
      'allow_na',
      'level',
      'anchor_sv',
      'anchor_en',
    ]);
    const levels = listIndicators(w.rubric).reduce((sum, { indicator }) => sum + indicator.scale.max - indicator.scale.min + 1, 0);
    expect(rows).toHaveLength(levels);
    const first = listIndicators(w.rubric)[0];
    if (!first) throw new Error('rubric');
    const anchor = first.indicator.scale.anchors['4'];
    expect(rows).toContainEqual([
      'bostad-forst',
      '1.1',
      first.section.kind,
      '1',
      first.section.id,
      first.section.code,
      first.section.title.sv,
      first.section.title.en,
      first.indicator.id,
      first.indicator.text.sv,
      first.indicator.text.en,
      '0',
      '0',
      '',
      '',
      '1',
      '4',
      first.indicator.scale.allow_na ? '1' : '0',
      '4',
      anchor?.sv,
      anchor?.en,
    ]);
  });
});

describe('GET /research/export/codebook.csv of Bostad först 2.0', () => {
  it('gives each indicator its part, whether the part decides the level, required, critical and what it continues in 1.1', async () => {
    const w = await createResearchWorld('bostad-forst', [SHIPPED_RUBRIC_FILE]);
    const agent = await w.login(await w.person(['researcher']));
    const [header = [], ...rows] = readCsv((await agent.get('/research/export/codebook.csv?rubric=bostad-forst')).text);
    const indicator = (id: string) => {
      const row = rows.find((candidate) => candidate[header.indexOf('indicator_id')] === id);
      return Object.fromEntries(
        ['part_id', 'decides_level', 'required', 'critical', 'continues_version', 'continues_indicator_id'].map((column) => [
          column,
          row?.[header.indexOf(column)],
        ]),
      );
    };
    expect(indicator('a1-lease-type')).toEqual({
      part_id: 'principle',
      decides_level: '1',
      required: '1',
      critical: '1',
      continues_version: '1.1',
      continues_indicator_id: 'a1-lease-type',
    });
    // New in 2.0: continues nothing.
    expect(indicator('a1-target-group')).toMatchObject({ critical: '0', continues_version: '1.1', continues_indicator_id: '' });
    // A core element of a part reported beside the level.
    expect(indicator('b2-caseload')).toMatchObject({ part_id: 'agreement-area', decides_level: '0', required: '1', critical: '1' });
  });
});

describe('GET /research/reviews/:id/matrix.csv', () => {
  it('gives one row per indicator and one column per rater (the review’s pseudonyms, as in the long format) plus the consensus; N/A is not_applicable', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    const response = await agent.get('/research/reviews/1/matrix.csv');
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="matrix-review-1.csv"');
    const [header, ...rows] = readCsv(response.text);
    expect(header).toEqual(['section_id', 'indicator_id', 'R1', 'R2', 'R3', 'consensus']);
    expect(rows).toHaveLength(w.indicators);
    for (const rater of w.raters) expect(response.text).not.toContain(rater.displayName);
    // The columns are the pseudonyms of the long format: each rater's scores are the same in both.
    const long = readCsv((await agent.get('/research/export/ratings.csv?rubric=bostad-forst')).text).filter(
      (row) => row[COL.review] === '1',
    );
    const [first, second] = listIndicators(w.rubric);
    for (const [index, indicator] of [first, second].entries()) {
      const scoreOf = (pseudonym: string) => {
        const row = long.find((row) => row[COL.rater] === pseudonym && row[COL.indicator] === indicator?.indicator.id);
        return row?.[COL.na] === '1' ? 'not_applicable' : row?.[COL.score];
      };
      expect(rows[index]).toEqual([indicator?.section.id, indicator?.indicator.id, scoreOf('R1'), scoreOf('R2'), scoreOf('R3'), '3']);
    }
    // Lena 3, Anna N/A then 4, Bertil 2, in some order.
    expect([...(rows[0] ?? []).slice(2, 5)].sort()).toEqual(['2', '3', 'not_applicable']);
    expect([...(rows[1] ?? []).slice(2, 5)].sort()).toEqual(['2', '3', '4']);
  });

  it('gives an administrator R01… in rater order, as before', async () => {
    const w = await createExportWorld();
    const admin = await w.login(await w.person(['admin']));
    const [header, ...rows] = readCsv((await admin.get('/research/reviews/1/matrix.csv')).text);
    expect(header).toEqual(['section_id', 'indicator_id', 'R01', 'R02', 'R03', 'consensus']);
    const [first, second] = listIndicators(w.rubric);
    expect(rows[0]).toEqual([first?.section.id, first?.indicator.id, '3', 'not_applicable', '2', '3']);
    expect(rows[1]).toEqual([second?.section.id, second?.indicator.id, '3', '4', '2', '3']);
  });

  it('when the review is not final or does not exist, then it is 404', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    expect((await agent.get('/research/reviews/3/matrix.csv')).status).toBe(404);
    expect((await agent.get('/research/reviews/999/matrix.csv')).status).toBe(404);
    expect((await agent.get('/research/reviews/abc/matrix.csv')).status).toBe(404);
  });
});

describe('pseudonyms for researchers: per review, in no order that can be traced', () => {
  const KEY = 'a-fixed-test-key';
  /** The same panel on six reviews; each rater always gives the same score, so rows say whose they are. */
  async function createPanelWorld() {
    const w = await createResearchWorld();
    // A fixed key instead of the random one made on first use, so the test is the same every run.
    w.db.prepare("INSERT INTO app_settings (key, value) VALUES ('research_pseudonym_key', ?)").run(KEY);
    const reviewIds: number[] = [];
    for (let index = 0; index < 6; index++) {
      const program = w.addProgram(String(1000 + index), `Kommun ${index}`, `Program ${index}`);
      reviewIds.push(w.addFinalReview(program, { date: `2024-0${index + 1}-01`, raters: [() => 1, () => 2, () => 4] }));
    }
    const [lena, anna, bertil] = w.raters;
    if (!lena || !anna || !bertil) throw new Error('raters');
    const byScore = new Map([
      ['1', lena],
      ['2', anna],
      ['4', bertil],
    ]);
    return { ...w, reviewIds, byScore };
  }

  /** Person (by user id) → pseudonym, per review, as the export gives them. */
  function pseudonymsByReview(text: string, byScore: Map<string, { id: number }>): Map<string, Map<number, string>> {
    const result = new Map<string, Map<number, string>>();
    for (const row of readCsv(text).slice(1)) {
      if (row[COL.consensus] !== '0') continue;
      const person = byScore.get(row[COL.score] ?? '');
      if (!person) throw new Error(`unexpected score ${row[COL.score]}`);
      const review = row[COL.review] ?? '';
      const map = result.get(review) ?? new Map<number, string>();
      const known = map.get(person.id);
      if (known !== undefined && known !== row[COL.rater]) throw new Error('a person with two pseudonyms in one review');
      map.set(person.id, row[COL.rater] ?? '');
      result.set(review, map);
    }
    return result;
  }

  it('gives the same person unlinked pseudonyms in two reviews, ordered by the database’s key, not by user id or role', async () => {
    const w = await createPanelWorld();
    const agent = await w.login(await w.person(['researcher']));
    const text = (await agent.get('/research/export/ratings.csv?rubric=bostad-forst')).text;
    const byReview = pseudonymsByReview(text, w.byScore);
    const [lena] = w.raters;
    if (!lena) throw new Error('raters');
    // Each review: exactly the keyed assignment, R1–R3.
    for (const reviewId of w.reviewIds) {
      const expected = new Map(
        assignReviewPseudonyms(
          KEY,
          reviewId,
          w.raters.map((rater) => rater.id),
        ).map((entry) => [entry.userId, entry.pseudonym]),
      );
      expect(byReview.get(String(reviewId))).toEqual(expected);
    }
    // The lead (lowest user id) is not R1 everywhere, nor any one pseudonym in every review.
    const leadPseudonyms = w.reviewIds.map((id) => byReview.get(String(id))?.get(lena.id));
    expect(leadPseudonyms[0]).not.toBe(leadPseudonyms[1]);
    expect(new Set(leadPseudonyms).size).toBeGreaterThan(1);
    const orders = w.reviewIds.map((id) =>
      [...(byReview.get(String(id)) ?? new Map<number, string>()).entries()]
        .sort((a, b) => a[1].localeCompare(b[1]))
        .map(([userId]) => userId)
        .join(),
    );
    expect(new Set(orders).size).toBeGreaterThan(1);
    // Rows go out in pseudonym order (R1's, R2's, R3's), not in user id order.
    for (const reviewId of w.reviewIds) {
      const raters = readCsv(text)
        .filter((row) => row[COL.review] === String(reviewId) && row[COL.consensus] === '0')
        .map((row) => row[COL.rater]);
      expect(raters).toEqual([...raters].sort());
    }
  });

  it('gives the same pseudonyms in every export of the same data, and to coordinators too (no rater_role)', async () => {
    const w = await createPanelWorld();
    const researcher = await w.login(await w.person(['researcher']));
    const coordinator = await w.login(await w.person(['coordinator']));
    const first = (await researcher.get('/research/export/ratings.csv?rubric=bostad-forst')).text;
    expect((await researcher.get('/research/export/ratings.csv?rubric=bostad-forst')).text).toBe(first);
    const theirs = (await coordinator.get('/research/export/ratings.csv?rubric=bostad-forst')).text;
    expect(theirs).toBe(first);
    expect(theirs.split('\r\n')[0]).toBe(HEADER);
  });

  it('when no key is set yet, then one is made on the first export and kept', async () => {
    const w = await createResearchWorld();
    const program = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
    w.addFinalReview(program, { date: '2024-03-01' });
    const agent = await w.login(await w.person(['researcher']));
    const keyOf = () =>
      (w.db.prepare("SELECT value FROM app_settings WHERE key = 'research_pseudonym_key'").get() as { value: string } | undefined)?.value;
    expect(keyOf()).toBeUndefined();
    const first = (await agent.get('/research/export/ratings.csv?rubric=bostad-forst')).text;
    const key = keyOf();
    expect(key).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect((await agent.get('/research/export/ratings.csv?rubric=bostad-forst')).text).toBe(first);
    expect(keyOf()).toBe(key);
  });
});

describe('the matrix and the long format name raters alike', () => {
  /** Review 1 (2024) by Lena, Anna and Bertil; review 2 (2025) by Lena and two people who rated nothing before. */
  async function createTwoPanelWorld() {
    const w = await createResearchWorld();
    const [lena, anna, bertil] = w.raters;
    if (!lena || !anna || !bertil) throw new Error('raters');
    const cecilia = await w.person(['reviewer'], 'Cecilia Carlsson');
    const david = await w.person(['reviewer'], 'David Dahl');
    const stockholm = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
    const goteborg = w.addProgram('1480', 'Göteborg', 'Bostad först Göteborg');
    w.addFinalReview(stockholm, { date: '2024-03-01', panel: [lena, anna, bertil], raters: [() => 1, () => 2, () => 3] });
    // Each person's scores differ by indicator, so the test can tell whose column is whose.
    w.addFinalReview(goteborg, {
      date: '2025-05-01',
      panel: [lena, cecilia, david],
      raters: [(_a, _b, index) => 1 + (index % 4), (_a, _b, index) => (index === 0 ? 'na' : 1 + ((index + 1) % 4)), () => 4],
    });
    return { ...w, lena, cecilia, david };
  }

  /** Each rater's cells of one review by pseudonym and indicator, as the long format gives them. */
  function longByRater(text: string, reviewId: string, admin: boolean): Map<string, Map<string, string>> {
    const col = admin
      ? { indicator: COL.indicator, rater: ADMIN_COL.rater, score: ADMIN_COL.score, na: 13, consensus: ADMIN_COL.consensus }
      : COL;
    const byRater = new Map<string, Map<string, string>>();
    for (const row of readCsv(text).slice(1)) {
      if (row[COL.review] !== reviewId || row[col.consensus] !== '0') continue;
      const cells = byRater.get(row[col.rater] ?? '') ?? new Map<string, string>();
      cells.set(row[col.indicator] ?? '', row[col.na] === '1' ? 'not_applicable' : (row[col.score] ?? ''));
      byRater.set(row[col.rater] ?? '', cells);
    }
    return byRater;
  }

  /** Each rater column of a matrix, by indicator. */
  function matrixByRater(text: string): Map<string, Map<string, string>> {
    const [header = [], ...rows] = readCsv(text);
    return new Map(header.slice(2, -1).map((label, index) => [label, new Map(rows.map((row) => [row[1] ?? '', row[index + 2] ?? '']))]));
  }

  it('when anyone who may download both does, then each rater of a review has the same pseudonym and scores in both, whatever the selection', async () => {
    const w = await createTwoPanelWorld();
    for (const roles of [['admin'], ['researcher'], ['coordinator']] as const) {
      const agent = await w.login(await w.person([...roles]));
      const admin = roles[0] === 'admin';
      for (const reviewId of ['1', '2']) {
        const matrix = matrixByRater((await agent.get(`/research/reviews/${reviewId}/matrix.csv`)).text);
        expect(matrix.size).toBe(3);
        // The whole rubric, one year, and the other year: the review's raters keep their pseudonyms in each.
        for (const query of ['', '&year=2024', '&year=2025']) {
          const long = longByRater((await agent.get(`/research/export/ratings.csv?rubric=bostad-forst${query}`)).text, reviewId, admin);
          if (long.size === 0) continue;
          expect(long, `${roles[0]}, review ${reviewId}${query}`).toEqual(matrix);
        }
      }
    }
  });

  it('when an administrator downloads the matrix of a later review, then its new raters have the numbers the long format gave them', async () => {
    const w = await createTwoPanelWorld();
    const admin = await w.login(await w.person(['admin']));
    const [header] = readCsv((await admin.get('/research/reviews/2/matrix.csv')).text);
    // Lena rated review 1 first (R01); Cecilia and David come after review 1's three people.
    expect(header).toEqual(['section_id', 'indicator_id', 'R01', 'R04', 'R05', 'consensus']);
    const only2025 = readCsv((await admin.get('/research/export/ratings.csv?rubric=bostad-forst&year=2025')).text).slice(1);
    expect(new Set(only2025.filter((row) => row[ADMIN_COL.consensus] === '0').map((row) => row[ADMIN_COL.rater]))).toEqual(
      new Set(['R01', 'R04', 'R05']),
    );
    const named = readCsv((await admin.get('/research/reviews/2/matrix.csv?names=1')).text)[0];
    expect(named).toEqual(['section_id', 'indicator_id', 'Lena Lead', 'Cecilia Carlsson', 'David Dahl', 'consensus']);
  });

  it('when a review with a lower id was finalised later, then administrators number people in the order reviews were finalised', async () => {
    const w = await createTwoPanelWorld();
    w.db.prepare("UPDATE reviews SET finalised_at = '2099-01-01T00:00:00.000Z' WHERE id = 1").run();
    const admin = await w.login(await w.person(['admin']));
    expect(readCsv((await admin.get('/research/reviews/2/matrix.csv')).text)[0]).toEqual([
      'section_id',
      'indicator_id',
      'R01',
      'R02',
      'R03',
      'consensus',
    ]);
    expect(readCsv((await admin.get('/research/reviews/1/matrix.csv')).text)[0]).toEqual([
      'section_id',
      'indicator_id',
      'R01',
      'R04',
      'R05',
      'consensus',
    ]);
  });
});

describe('N/A, missing ratings and source ids in the exports', () => {
  it('when a rater has neither a score nor N/A for an indicator, then the long format has no row for it and the matrix an empty cell, unlike N/A', async () => {
    const w = await createExportWorld();
    const [, , bertil] = w.raters;
    const [first, second] = listIndicators(w.rubric);
    if (!bertil || !first || !second) throw new Error('world');
    // A rating row with only a note: begun, never rated.
    w.db
      .prepare('UPDATE ratings SET score = NULL, note = ? WHERE review_id = 1 AND rater_id = ? AND indicator_id = ?')
      .run('Ska kollas', bertil.id, second.indicator.id);
    const agent = await w.login(await w.person(['researcher']));
    const rows = readCsv((await agent.get('/research/export/ratings.csv?rubric=bostad-forst')).text).slice(1);
    const ratings = rows.filter((row) => row[COL.review] === '1' && row[COL.consensus] === '0');
    expect(ratings).toHaveLength(3 * w.indicators - 1);
    expect(ratings.filter((row) => row[COL.indicator] === second.indicator.id)).toHaveLength(2);
    // An empty score is always N/A.
    expect(rows.filter((row) => row[COL.score] === '').every((row) => row[COL.na] === '1')).toBe(true);
    const [, firstRow, secondRow] = readCsv((await agent.get('/research/reviews/1/matrix.csv')).text);
    // Lena 3, Anna N/A, Bertil 2 on the first; Lena 3, Anna 4 and Bertil nothing on the second.
    expect([...(firstRow ?? []).slice(2, 5)].sort()).toEqual(['2', '3', 'not_applicable']);
    expect([...(secondRow ?? []).slice(2, 5)].sort()).toEqual(['', '3', '4']);
  });

  it('when a round was imported, then its rows carry the file’s review_id as source_review_id, and reviews made in the app none', async () => {
    const w = await createResearchWorld();
    const program = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
    const appReview = w.addFinalReview(program, { date: '2024-03-01' });
    importRound(w, program, { date: '2019-05-14', kind: 'peer_review', source: 'H1' });
    for (const roles of [['researcher'], ['admin']] as const) {
      const agent = await w.login(await w.person([...roles]));
      const rows = readCsv((await agent.get('/research/export/ratings.csv?rubric=bostad-forst')).text).slice(1);
      const sourceOf = new Map(rows.map((row) => [row[COL.review], row[COL.source]]));
      expect(sourceOf, roles[0]).toEqual(
        new Map([
          [String(appReview), ''],
          [String(appReview + 1), 'H1'],
        ]),
      );
    }
  });
});
