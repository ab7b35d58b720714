// docs/research-data.md describes every column of every research export in a table per file. These tests read the
// tables and compare them with the header lines the app sends, so a column added, renamed or moved without the
// documentation (or the other way round) fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../src/http/csv.js';
import { ROOT } from '../helpers/test-app.js';
import { createResearchWorld, importRound, type ResearchWorld } from './research-helpers.js';

const DOC = readFileSync(`${ROOT}docs/research-data.md`, 'utf8');

type DocumentedColumn = { readonly name: string; readonly meaning: string };

/** The column table under the heading that names `file`: each row's first backticked name, and its meaning. */
function documentedColumns(file: string): DocumentedColumn[] {
  const lines = DOC.split('\n');
  const heading = lines.findIndex((line) => line.startsWith('### ') && line.includes(`\`${file}\``));
  if (heading < 0) throw new Error(`no heading names ${file}`);
  const columns: DocumentedColumn[] = [];
  let inTable = false;
  for (const line of lines.slice(heading + 1)) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const [first = '', meaning = ''] = line
      .split('|')
      .slice(1)
      .map((cell) => cell.trim());
    const name = /^`([^`]+)`/.exec(first)?.[1];
    if (name !== undefined && first !== 'column') columns.push({ name, meaning });
  }
  return columns;
}

function headerOf(text: string): string[] {
  const first = parseCsvText(text).next();
  if (first.done) throw new Error('empty file');
  return [...first.value.fields];
}

/** One final review by three raters and one imported round, so every file has rows and every column a value. */
async function createDocWorld(): Promise<ResearchWorld> {
  const w = await createResearchWorld();
  const program = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
  w.addFinalReview(program, { date: '2024-03-01' });
  importRound(w, program, { date: '2019-05-14', kind: 'peer_review', source: 'H1' });
  return w;
}

describe('docs/research-data.md and the export files', () => {
  it('when the long format is downloaded, then its header is the documented columns, rater_role for administrators only', async () => {
    const w = await createDocWorld();
    const documented = documentedColumns('ratings.csv');
    expect(documented.find((column) => column.name === 'rater_role')?.meaning).toContain("administrators' files only");
    const admin = await w.login(await w.person(['admin']));
    expect(headerOf((await admin.get('/research/export/ratings.csv?rubric=bostad-forst')).text)).toEqual(documented.map((c) => c.name));
    for (const roles of [['researcher'], ['coordinator']] as const) {
      const agent = await w.login(await w.person([...roles]));
      expect(headerOf((await agent.get('/research/export/ratings.csv?rubric=bostad-forst')).text), roles[0]).toEqual(
        documented.filter((column) => column.name !== 'rater_role').map((c) => c.name),
      );
    }
  });

  it('when the codebook and the level rules are downloaded, then their headers are the documented columns', async () => {
    const w = await createDocWorld();
    const agent = await w.login(await w.person(['researcher']));
    for (const file of ['codebook.csv', 'level-rules.csv']) {
      const columns = documentedColumns(file).map((column) => column.name);
      expect(columns.length, file).toBeGreaterThan(5);
      expect(headerOf((await agent.get(`/research/export/${file}?rubric=bostad-forst`)).text), file).toEqual(columns);
    }
  });

  it('when a matrix is downloaded, then its header is the documented columns with one column per rater', async () => {
    const w = await createDocWorld();
    const documented = documentedColumns('matrix.csv').map((column) => column.name);
    expect(documented).toEqual(['section_id', 'indicator_id', 'R1', 'consensus']);
    for (const roles of [['researcher'], ['admin']] as const) {
      const agent = await w.login(await w.person([...roles]));
      for (const reviewId of [1, 2]) {
        const header = headerOf((await agent.get(`/research/reviews/${reviewId}/matrix.csv`)).text);
        const raters = header.slice(2, -1);
        expect(raters.length, `${roles[0]} ${reviewId}`).toBeGreaterThan(1);
        expect(raters.every((rater) => /^R\d+$/.test(rater))).toBe(true);
        expect([...header.slice(0, 2), 'R1', ...header.slice(-1)]).toEqual(documented);
      }
    }
  });

  it('when the doc describes the matrix and the long format, then it says how N/A and a missing rating differ', () => {
    const prose = DOC.replace(/\s+/g, ' ');
    expect(prose).toContain('A rating no one made has no row');
    expect(prose).not.toContain('empty when the rating is missing');
    expect(documentedColumns('ratings.csv').find((column) => column.name === 'score')?.meaning).toContain(
      'empty exactly when `not_applicable` is 1',
    );
    expect(prose).toContain('`not_applicable` when the rating is N/A; and is empty when the rater has no rating');
  });
});
