import { describe, expect, it } from 'vitest';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { parseCsvText } from '../../src/http/csv.js';
import { exportLongFormat } from '../../src/research/research-export.js';
import { createResearchStore } from '../../src/research/research-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createResearchWorld, type ResearchWorld } from './research-helpers.js';

const HEADER =
  'municipality_code,program,review_id,review_date,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus';

/** Two final reviews (Stockholm 2024, a program named like a formula in Göteborg 2025) and one draft. */
async function createExportWorld(): Promise<ResearchWorld & { indicators: number }> {
  const w = await createResearchWorld();
  const stockholm = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
  const goteborg = w.addProgram('1480', 'Göteborg', '=HYPERLINK("http://evil")');
  w.addFinalReview(stockholm, { date: '2024-03-01', raters: [() => 3, (_a, _b, index) => (index === 0 ? 'na' : 4), () => 2] });
  w.addFinalReview(goteborg, { date: '2025-05-01' });
  const loaded = w.rubrics.get('bostad-forst');
  if (!loaded) throw new Error('rubric');
  w.reviews.insertReview({ programId: stockholm, rubric: loaded, kind: 'peer_review', visitStart: '2026-01-01', visitEnd: undefined, createdBy: w.coordinator.id });
  return { ...w, indicators: listIndicators(w.rubric).length };
}

function readCsv(text: string): string[][] {
  return [...parseCsvText(text)].map((record) => [...record.fields]);
}

describe('GET /research/export/ratings.csv', () => {
  it('streams one row per rating and per consensus, of final reviews only, with pseudonyms and no names', async () => {
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
    expect(new Set(rows.map((row) => row[2]))).toEqual(new Set(['1', '2']));
    // Stable pseudonyms within the export: the same three people are R01–R03 in both reviews.
    expect(new Set(rows.filter((row) => row[12] === '0').map((row) => row[8]))).toEqual(new Set(['R01', 'R02', 'R03']));
    for (const rater of w.raters) expect(response.text).not.toContain(rater.displayName);
    // The N/A rating: empty score, not_applicable 1, and the indicator's section.
    const first = listIndicators(w.rubric)[0];
    const na = rows.find((row) => row[2] === '1' && row[7] === first?.indicator.id && row[11] === '1');
    expect(na).toEqual(['0180', 'Bostad först Stockholm', '1', '2024-03-01', 'bostad-forst', '1.0', first?.section.id, first?.indicator.id, 'R02', 'reviewer', '', '1', '0']);
    // Consensus rows: no rater, no role, is_consensus 1.
    const consensus = rows.filter((row) => row[12] === '1');
    expect(consensus).toHaveLength(2 * w.indicators);
    expect(consensus.every((row) => row[8] === '' && row[9] === '' && row[10] === '3')).toBe(true);
    expect(rows.filter((row) => row[8] === 'R01').every((row) => row[9] === 'lead')).toBe(true);
  });

  it('guards text cells against formula injection but leaves numbers alone', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    const response = await agent.get('/research/export/ratings.csv?rubric=bostad-forst&year=2025');
    expect(response.text).toContain(`1480,"'=HYPERLINK(""http://evil"")",2,2025-05-01,`);
    expect(response.text).not.toContain('0180,');
  });

  it('adds a byte-order mark for Excel only when asked', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    const plain = await agent.get('/research/export/ratings.csv?rubric=bostad-forst').buffer(true);
    expect(plain.text.charCodeAt(0)).toBe('m'.charCodeAt(0));
    const excel = await agent.get('/research/export/ratings.csv?rubric=bostad-forst&bom=1');
    expect(excel.text.startsWith(`\ufeff${HEADER}`)).toBe(true);
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
    const store = createResearchStore(w.db, w.reviews);
    const municipalities = createMunicipalityStore(w.db);
    const chunks: string[] = [];
    let waiting: (() => void) | undefined;
    let pending = 0;
    let maxPending = 0;
    const done = exportLongFormat(store, { rubricId: 'bostad-forst', kind: undefined, year: undefined }, { names: false, bom: false }, {
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
    });
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
    const store = createResearchStore(w.db, w.reviews);
    const chunks: string[] = [];
    const rows = await exportLongFormat(store, { rubricId: 'bostad-forst', kind: undefined, year: undefined }, { names: false, bom: false }, {
      closed: () => chunks.length >= 2,
      write: async (chunk) => {
        chunks.push(chunk);
      },
    });
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
      'rubric_id', 'rubric_version', 'section_id', 'section_code', 'section_title_sv', 'section_title_en', 'indicator_id',
      'indicator_text_sv', 'indicator_text_en', 'scale_min', 'scale_max', 'allow_na', 'level', 'anchor_sv', 'anchor_en',
    ]);
    const levels = listIndicators(w.rubric).reduce((sum, { indicator }) => sum + indicator.scale.max - indicator.scale.min + 1, 0);
    expect(rows).toHaveLength(levels);
    const first = listIndicators(w.rubric)[0];
    if (!first) throw new Error('rubric');
    const anchor = first.indicator.scale.anchors['4'];
    expect(rows).toContainEqual([
      'bostad-forst', '1.0', first.section.id, first.section.code, first.section.title.sv, first.section.title.en, first.indicator.id,
      first.indicator.text.sv, first.indicator.text.en, '1', '4', first.indicator.scale.allow_na ? '1' : '0', '4', anchor?.sv, anchor?.en,
    ]);
  });
});

describe('GET /research/reviews/:id/matrix.csv', () => {
  it('gives one row per indicator and one column per rater (pseudonyms) plus the consensus; N/A is empty', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    const response = await agent.get('/research/reviews/1/matrix.csv');
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="matrix-review-1.csv"');
    const [header, ...rows] = readCsv(response.text);
    expect(header).toEqual(['section_id', 'indicator_id', 'R01', 'R02', 'R03', 'consensus']);
    expect(rows).toHaveLength(w.indicators);
    const [first, second] = listIndicators(w.rubric);
    expect(rows[0]).toEqual([first?.section.id, first?.indicator.id, '3', '', '2', '3']);
    expect(rows[1]).toEqual([second?.section.id, second?.indicator.id, '3', '4', '2', '3']);
    for (const rater of w.raters) expect(response.text).not.toContain(rater.displayName);
  });

  it('when the review is not final or does not exist, then it is 404', async () => {
    const w = await createExportWorld();
    const agent = await w.login(await w.person(['researcher']));
    expect((await agent.get('/research/reviews/3/matrix.csv')).status).toBe(404);
    expect((await agent.get('/research/reviews/999/matrix.csv')).status).toBe(404);
    expect((await agent.get('/research/reviews/abc/matrix.csv')).status).toBe(404);
  });
});
