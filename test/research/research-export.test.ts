import { describe, expect, it } from 'vitest';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { detectCsvDelimiter, parseCsvText } from '../../src/http/csv.js';
import { assignReviewPseudonyms } from '../../src/research/long-format.js';
import { exportLongFormat } from '../../src/research/research-export.js';
import { createResearchStore } from '../../src/research/research-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createResearchWorld, type ResearchWorld } from './research-helpers.js';

/** What researchers and coordinators get: no rater_role. */
const HEADER =
  'municipality_code,program,review_id,review_date,kind,rubric_id,rubric_version,section_id,indicator_id,rater,score,not_applicable,is_consensus';
/** What administrators get. */
const ADMIN_HEADER =
  'municipality_code,program,review_id,review_date,kind,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus';
/** Column positions in a researcher's export. */
const COL = { review: 2, kind: 4, indicator: 8, rater: 9, score: 10, na: 11, consensus: 12 } as const;

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
    for (const row of rows) expect(row).toHaveLength(13);
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
    expect(response.text).toContain(`1480,"'=HYPERLINK(""http://evil"")",2,2025-05-01,peer_review,`);
    expect(response.text).not.toContain('0180,');
  });

  it('gives Excel, only when asked, a byte-order mark and semicolons between fields, the same records as the plain file', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    for (const path of [
      '/research/export/ratings.csv?rubric=bostad-forst',
      '/research/export/codebook.csv?rubric=bostad-forst',
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
    for (const row of rows) expect(row).toHaveLength(14);
    const ratings = rows.filter((row) => row[13] === '0');
    // The same three people are R01–R03 in both reviews, in the same roles; the lead comes first.
    expect(new Set(ratings.map((row) => row[9]))).toEqual(new Set(['R01', 'R02', 'R03']));
    expect(ratings.filter((row) => row[9] === 'R01').every((row) => row[10] === 'lead')).toBe(true);
    expect(ratings.filter((row) => row[9] !== 'R01').every((row) => row[10] === 'reviewer')).toBe(true);
    const [lena] = w.raters;
    const named = readCsv((await admin.get('/research/export/ratings.csv?rubric=bostad-forst&names=1')).text).slice(1);
    expect(named.filter((row) => row[9] === lena?.displayName && row[13] === '0').every((row) => row[10] === 'lead')).toBe(true);
    expect(new Set(named.filter((row) => row[9] === lena?.displayName).map((row) => row[2]))).toEqual(new Set(['1', '2']));
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
      'section_id',
      'section_code',
      'section_title_sv',
      'section_title_en',
      'indicator_id',
      'indicator_text_sv',
      'indicator_text_en',
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
      first.section.id,
      first.section.code,
      first.section.title.sv,
      first.section.title.en,
      first.indicator.id,
      first.indicator.text.sv,
      first.indicator.text.en,
      '1',
      '4',
      first.indicator.scale.allow_na ? '1' : '0',
      '4',
      anchor?.sv,
      anchor?.en,
    ]);
  });
});

describe('GET /research/reviews/:id/matrix.csv', () => {
  it('gives one row per indicator and one column per rater (the review’s pseudonyms, as in the long format) plus the consensus; N/A is empty', async () => {
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
      const scoreOf = (pseudonym: string) =>
        long.find((row) => row[COL.rater] === pseudonym && row[COL.indicator] === indicator?.indicator.id)?.[COL.score];
      expect(rows[index]).toEqual([indicator?.section.id, indicator?.indicator.id, scoreOf('R1'), scoreOf('R2'), scoreOf('R3'), '3']);
    }
    // Lena 3, Anna N/A then 4, Bertil 2, in some order.
    expect([...(rows[0] ?? []).slice(2, 5)].sort()).toEqual(['', '2', '3']);
    expect([...(rows[1] ?? []).slice(2, 5)].sort()).toEqual(['2', '3', '4']);
  });

  it('gives an administrator R01… in rater order, as before', async () => {
    const w = await createExportWorld();
    const admin = await w.login(await w.person(['admin']));
    const [header, ...rows] = readCsv((await admin.get('/research/reviews/1/matrix.csv')).text);
    expect(header).toEqual(['section_id', 'indicator_id', 'R01', 'R02', 'R03', 'consensus']);
    const [first, second] = listIndicators(w.rubric);
    expect(rows[0]).toEqual([first?.section.id, first?.indicator.id, '3', '', '2', '3']);
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
