import { describe, expect, it } from 'vitest';
import { createUserStore } from '../../src/accounts/user-store.js';
import { toLoadedRubric } from '../../src/rubrics/load-rubrics.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { extractCsrfToken, loginAgent } from '../helpers/test-app.js';
import { createResearchWorld, mainOf, type ResearchWorld } from './research-helpers.js';

const HEADER =
  'municipality_code,program,review_id,review_date,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus';

/** A world with Stockholm and Göteborg programs and the mini-five rubric (7 indicators, 1–5 and 0–2 scales). */
async function createImportWorld() {
  const w = await createResearchWorld();
  w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
  w.addProgram('1480', 'Göteborg', 'Bostad först Göteborg');
  const mini = w.rubrics.get('mini-five');
  if (!mini) throw new Error('rubric');
  return { ...w, mini: mini.rubric };
}

type ImportWorld = Awaited<ReturnType<typeof createImportWorld>>;

/** A paper round of mini-five: raters P1 (lead) and P2 score every indicator, then the consensus. */
function paperRound(
  w: ImportWorld,
  reviewId: string,
  options: { code?: string; program?: string; date?: string; version?: string } = {},
): string[] {
  const { code = '0180', program = 'Bostad först Stockholm', date = '2019-05-14', version = '0.1-test' } = options;
  const rows: string[] = [];
  listIndicators(w.mini).forEach(({ section, indicator }, index) => {
    const top = indicator.scale.max;
    const base = `${code},${program},${reviewId},${date},mini-five,${version},${section.id},${indicator.id}`;
    rows.push(`${base},P1,lead,${top},0,0`);
    rows.push(`${base},P2,reviewer,${index === 0 ? top - 1 : top},0,0`);
    rows.push(`${base},,,${top},0,1`);
  });
  return rows;
}

function csvOf(rows: readonly string[]): string {
  return `${HEADER}\r\n${rows.join('\r\n')}\r\n`;
}

async function postImport(
  w: ResearchWorld,
  fields: Record<string, string>,
  roles: Parameters<ResearchWorld['person']>[0] = ['researcher'],
  path = '/research/import',
) {
  const agent = await w.login(await w.person(roles));
  const page = await agent.get('/research/import');
  const response = await agent
    .post(path)
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text), ...fields });
  return { agent, response };
}

/** The refused page's problems: [lines, column, message] per row of its table. */
function problemRows(html: string): string[][] {
  return [...mainOf(html).matchAll(/<tr>\s*<td class="num">([^<]*)<\/td>\s*<td>([^<]*)<\/td>\s*<td>([^<]*)<\/td>/g)].map((match) => [
    match[1] ?? '',
    match[2] ?? '',
    match[3] ?? '',
  ]);
}

function countRows(w: ResearchWorld, table: string): number {
  return (w.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('POST /research/import', () => {
  it('when one review is imported, then the summary says "1 granskning" (number agreement)', async () => {
    const w = await createImportWorld();
    const { agent, response } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: csvOf(paperRound(w, 'sthlm-2019')) });
    expect(response.status).toBe(303);
    const summary = mainOf((await agent.get(response.headers.location ?? '')).text);
    expect(summary).toContain('1 granskning med 21 rader importerades för mallen Liten testmall (mini-five).');
    expect(mainOf((await agent.get(`${response.headers.location}?lang=en`)).text)).toContain(
      'Imported for the rubric Small test rubric (mini-five): 1 review with 21 rows.',
    );
  });

  it('when every row is good, then all reviews import in one go as final reviews pinned to the rubric, and a summary shows', async () => {
    const w = await createImportWorld();
    const text = csvOf([
      ...paperRound(w, 'sthlm-2019'),
      ...paperRound(w, 'gbg-2020', { code: '1480', program: 'Bostad först Göteborg', date: '2020-02-03' }),
    ]);
    const { agent, response } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/research/imports/1');
    const summary = mainOf((await agent.get('/research/imports/1')).text);
    expect(summary).toContain('2 granskningar med 42 rader importerades för mallen Liten testmall (mini-five).');
    expect(summary).toContain('sthlm-2019');
    expect(summary).toContain('2020-02-03');

    const imported = w.db
      .prepare(
        `SELECT r.id, r.status, r.kind, r.visit_start, s.rubric_id, s.version, s.content_hash FROM reviews r
         JOIN rubric_snapshots s ON s.id = r.rubric_snapshot_id JOIN imported_reviews i ON i.review_id = r.id ORDER BY r.id`,
      )
      .all() as {
      id: number;
      status: string;
      kind: string;
      visit_start: string;
      rubric_id: string;
      version: string;
      content_hash: string;
    }[];
    expect(imported.map((r) => [r.status, r.kind, r.visit_start, r.rubric_id, r.version])).toEqual([
      ['final', 'peer_review', '2019-05-14', 'mini-five', '0.1-test'],
      ['final', 'peer_review', '2020-02-03', 'mini-five', '0.1-test'],
    ]);
    expect(imported[0]?.content_hash).toBe(w.rubrics.get('mini-five')?.contentHash);
    expect(countRows(w, 'ratings')).toBe(2 * 2 * 7);
    expect(countRows(w, 'consensus_ratings')).toBe(2 * 7);
    // A label is a rater of its own review: P1 and P2 of each review are four placeholder users, inactive, who cannot log in.
    const external = w.db
      .prepare(
        'SELECT u.email, u.display_name, u.active, e.review_id FROM external_raters e JOIN users u ON u.id = e.user_id ORDER BY u.id',
      )
      .all() as { email: string; display_name: string; active: number; review_id: number }[];
    expect(external.map((u) => [u.display_name, u.active, u.review_id])).toEqual([
      ['P1', 0, imported[0]?.id],
      ['P2', 0, imported[0]?.id],
      ['P1', 0, imported[1]?.id],
      ['P2', 0, imported[1]?.id],
    ]);
    await expect(loginAgent(w.app, external[0]?.email ?? '', '!')).rejects.toThrow(/login failed/);
    expect(createUserStore(w.db).findCredentials(external[0]?.email ?? '')?.active).toBe(false);
    // The imported review has a result page with its agreement figures, like any final review.
    const result = mainOf((await agent.get(`/reviews/${imported[0]?.id}/result`)).text);
    expect(result).toContain('Samstämmighet mellan bedömarna');
    expect(result).toContain('2 bedömare, 7 indikatorer med minst en poäng, 14 poäng.');
    expect(result).not.toContain('P1');
  });

  it('pins an earlier rubric version when the app has a snapshot of it, and refuses versions it does not know', async () => {
    const w = await createImportWorld();
    const mini = w.rubrics.get('mini-five');
    if (!mini) throw new Error('rubric');
    const older = toLoadedRubric({ ...mini.rubric, version: '0.0-old' });
    w.addFinalReview(w.addProgram('0126', 'Huddinge', 'Bostad först Huddinge'), { date: '2018-01-01', rubric: older });
    const unknown = await postImport(w, {
      rubric: 'mini-five',
      kind: 'peer_review',
      csv: csvOf(paperRound(w, 'x', { version: '0.0-nope' })),
    });
    expect(unknown.response.status).toBe(422);
    // Said once for the 21 rows, naming what the app has, and never advising to blank or change the version (which
    // would read the scores against another version).
    const problems = problemRows(unknown.response.text);
    expect(problems).toEqual([
      [
        '2–22',
        'rubric_version',
        'Version &#34;0.0-nope&#34; av mallen mini-five är inte installerad i appen (installerade versioner: 0.1-test, 0.0-old). Raderna kan inte importeras förrän den versionen av mallen är installerad. Ändra inte versionen i filen: poängen skulle då läsas mot en annan version av mallen.',
      ],
    ]);
    expect(unknown.response.text).not.toContain('Lämna tomt');
    const english = await postImport(
      w,
      { rubric: 'mini-five', kind: 'peer_review', csv: csvOf(paperRound(w, 'x', { version: '0.0-nope' })) },
      ['researcher'],
      '/research/import?lang=en',
    );
    expect(problemRows(english.response.text)).toEqual([
      [
        '2–22',
        'rubric_version',
        'Version &#34;0.0-nope&#34; of the rubric mini-five is not installed in this app (installed versions: 0.1-test, 0.0-old). These rows cannot be imported until that version of the rubric is installed. Do not change the version in the file: the scores would then be read against another version of the rubric.',
      ],
    ]);
    expect(countRows(w, 'reviews')).toBe(1);
    const { response } = await postImport(w, {
      rubric: 'mini-five',
      kind: 'peer_review',
      csv: csvOf(paperRound(w, 'old-2017', { version: '0.0-old' })),
    });
    expect(response.status).toBe(303);
    const pinned = w.db
      .prepare(
        'SELECT s.version, s.content_hash FROM imported_reviews i JOIN reviews r ON r.id = i.review_id JOIN rubric_snapshots s ON s.id = r.rubric_snapshot_id',
      )
      .get() as { version: string; content_hash: string };
    expect(pinned).toEqual({ version: '0.0-old', content_hash: older.contentHash });
  });

  it('gives the imported reviews the kind chosen on the page', async () => {
    const w = await createImportWorld();
    const { agent, response } = await postImport(w, {
      rubric: 'mini-five',
      kind: 'self_assessment',
      csv: csvOf(paperRound(w, 'self-2018')),
    });
    expect(response.status).toBe(303);
    expect(w.db.prepare('SELECT kind, status FROM reviews').all()).toEqual([{ kind: 'self_assessment', status: 'final' }]);
    // The summary links to the imported round's result, and the researcher who follows it sees the result.
    const summary = await agent.get(String(response.headers.location));
    const link = /href="(\/reviews\/\d+\/result)"/.exec(summary.text)?.[1];
    expect(link).toBeDefined();
    const result = await agent.get(String(link));
    expect(result.status).toBe(200);
    expect(result.text).toContain('Bostad först Stockholm');
    // A reviewer with no tie to the program still gets 404: it is a self-assessment.
    const reviewer = await w.login(await w.person(['reviewer']));
    expect((await reviewer.get(String(link))).status).toBe(404);
  });

  it('when the same file comes again, then nothing is imported twice', async () => {
    const w = await createImportWorld();
    const text = csvOf(paperRound(w, 'sthlm-2019'));
    expect((await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text })).response.status).toBe(303);
    const again = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text });
    expect(again.response.status).toBe(422);
    expect(again.response.text).toContain('Exakt samma uppgifter importerades redan');
    expect(countRows(w, 'imported_reviews')).toBe(1);
  });

  it('when the rows are refused, or the data was imported before, then the page is a refused form: "Fel: " title, one focused summary', async () => {
    const w = await createImportWorld();
    const bad = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: 'review_key;foo\n1;2' });
    expect(bad.response.status).toBe(422);
    expect(bad.response.text).toMatch(/<title>Fel: Importera /);
    expect(bad.response.text).toMatch(
      /<div class="error-summary" role="alert" tabindex="-1" autofocus>\s*<h2>Filen importerades inte<\/h2>/,
    );
    expect(bad.response.text.match(/role="alert"/g)).toHaveLength(1);
    // No field is named as wrong: the rows are.
    expect(bad.response.text).not.toContain('aria-invalid');

    const text = csvOf(paperRound(w, 'sthlm-2019'));
    expect((await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text })).response.status).toBe(303);
    const again = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text }, ['researcher']);
    expect(again.response.text).toMatch(/<title>Fel: Importera /);
    expect(again.response.text.match(/role="alert"/g)).toHaveLength(1);
    expect(again.response.text).toContain('Exakt samma uppgifter importerades redan');
  });

  it('when any row is bad, then nothing is imported and every bad row is listed with its line number and reason', async () => {
    const w = await createImportWorld();
    const rows = paperRound(w, 'sthlm-2019');
    // Line numbers count the header as line 1.
    rows[0] = rows[0]?.replace(',P1,lead,5,0,0', ',P1,lead,9,0,0') ?? ''; // line 2: off the 1–5 scale
    rows[3] = rows[3]?.replace(',0180,', ',0180,').replace('c1-beta', 'c1-nope') ?? ''; // line 5: unknown indicator
    rows[6] = rows[6]?.replace('Bostad först Stockholm', 'Bostad först Uppsala') ?? ''; // line 8: unknown program
    rows[9] = rows[9]?.replace(',0,0', ',0,yes') ?? ''; // line 11: is_consensus not 0/1
    const text = csvOf([...rows, '0180,Bostad först Stockholm,sthlm-2019,2019-05-14,mini-five,0.1-test,c1-first,c1-alpha,P3,reviewer,3,0']);
    const { response } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text });
    expect(response.status).toBe(422);
    const html = mainOf(response.text);
    expect(html).toContain('Filen importerades inte');
    const listed = [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>\s*<td>([^<]*)<\/td>\s*<td>([^<]*)<\/td>/g)].map((m) => [
      Number(m[1]),
      m[2],
      m[3],
    ]);
    expect(listed).toContainEqual([2, 'score', 'Poängen ska vara mellan 1 och 5.']);
    expect(listed).toContainEqual([5, 'indicator_id', 'Indikatorn &#34;c1-nope&#34; finns inte i mallversion 0.1-test.']);
    expect(listed).toContainEqual([
      8,
      'program',
      'Kommunen 0180 har ingen verksamhet som heter &#34;Bostad först Uppsala&#34;. Lägg till verksamheten först.',
    ]);
    expect(listed).toContainEqual([11, 'is_consensus', 'Ange 0 eller 1.']);
    expect(listed).toContainEqual([23, '–', 'Raden har 12 fält men ska ha 13.']);
    expect(countRows(w, 'reviews')).toBe(0);
    expect(countRows(w, 'review_imports')).toBe(0);
    expect(countRows(w, 'external_raters')).toBe(0);
    // The pasted text comes back, so nothing typed is lost.
    expect(html).toContain('Bostad först Uppsala');
  });

  it('when a rater field holds a personal identity number, then the row is refused and nothing is stored', async () => {
    const w = await createImportWorld();
    const rows = paperRound(w, 'sthlm-2019');
    rows[1] = rows[1]?.replace(',P2,reviewer,', ',19121212-1212,reviewer,') ?? '';
    const { agent } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: 'x' });
    const users = countRows(w, 'users');
    const page = await agent.get('/research/import');
    const response = await agent
      .post('/research/import')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), rubric: 'mini-five', kind: 'peer_review', csv: csvOf(rows) });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(
      /<td class="num">3<\/td>\s*<td>rater<\/td>\s*<td>Texten innehåller något som ser ut som ett personnummer/,
    );
    expect(countRows(w, 'users')).toBe(users);
    expect(countRows(w, 'reviews')).toBe(0);
  });

  it('when a review lacks consensus rows or a rater rates twice, then those are listed too', async () => {
    const w = await createImportWorld();
    const rows = paperRound(w, 'sthlm-2019').filter((row) => !(row.endsWith(',0,1') && row.includes('x1-eta')));
    rows.push(rows[0] ?? '');
    const { response } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: csvOf(rows) });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Granskning &#34;sthlm-2019&#34; saknar konsensusrader för: x1-eta.');
    expect(response.text).toContain('Bedömaren &#34;P1&#34; har redan bedömt &#34;c1-alpha&#34; i granskning &#34;sthlm-2019&#34;.');
  });

  it('when the form is incomplete or the header is wrong, then it comes back with 422', async () => {
    const w = await createImportWorld();
    const empty = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: '  ' });
    expect(empty.response.status).toBe(422);
    expect(empty.response.text).toContain('Välj en CSV-fil eller klistra in CSV-data.');
    const header = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: 'review_id,score\r\n1,2\r\n' });
    expect(header.response.status).toBe(422);
    expect(header.response.text).toContain('Kolumner saknas: municipality_code, program, review_date');
  });

  it('when the CSRF token is missing, or the user is a reviewer, then it is refused and nothing is stored', async () => {
    const w = await createImportWorld();
    const text = csvOf(paperRound(w, 'sthlm-2019'));
    const agent = await w.login(await w.person(['researcher']));
    const noToken = await agent.post('/research/import').type('form').send({ rubric: 'mini-five', kind: 'peer_review', csv: text });
    expect(noToken.status).toBe(403);
    const reviewer = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text }, ['reviewer']);
    expect(reviewer.response.status).toBe(403);
    expect(countRows(w, 'reviews')).toBe(0);
  });

  it('when an export of the app is read back into it, then every round is refused as already there, naming program, kind and date', async () => {
    const w = await createImportWorld();
    const program = w.addProgram('0126', 'Huddinge', 'Bostad först Huddinge');
    const mini = w.rubrics.get('mini-five');
    if (!mini) throw new Error('rubric');
    const reviewId = w.addFinalReview(program, { date: '2024-09-09', rubric: mini });
    const agent = await w.login(await w.person(['researcher']));
    const exported = await agent.get('/research/export/ratings.csv?rubric=mini-five');
    for (const kind of ['peer_review', 'self_assessment']) {
      // The kind on the form does not matter: the file says peer_review.
      const { response } = await postImport(w, { rubric: 'mini-five', kind, csv: exported.text });
      expect(response.status).toBe(422);
      expect(mainOf(response.text)).toMatch(
        /<td class="num">2<\/td>\s*<td>review_date<\/td>\s*<td>Granskning &#34;1&#34;: verksamheten &#34;Bostad först Huddinge&#34; \(kommun 0126\) har redan en slutförd granskning av typen Kollegial granskning från 2024-09-09\./,
      );
    }
    expect(countRows(w, 'reviews')).toBe(1);
    expect(countRows(w, 'review_imports')).toBe(0);
    expect(reviewId).toBe(1);
  });

  it('round trip: an export read into another database gives the same rounds with their kinds, and reading it again adds nothing', async () => {
    // The source: an app peer review of Huddinge, and a paper self-assessment of Stockholm imported earlier.
    const source = await createImportWorld();
    const mini = source.rubrics.get('mini-five');
    if (!mini) throw new Error('rubric');
    source.addFinalReview(source.addProgram('0126', 'Huddinge', 'Bostad först Huddinge'), { date: '2024-09-09', rubric: mini });
    expect(
      (await postImport(source, { rubric: 'mini-five', kind: 'self_assessment', csv: csvOf(paperRound(source, 'self-2019')) })).response
        .status,
    ).toBe(303);
    const exported = (await (await source.login(await source.person(['researcher']))).get('/research/export/ratings.csv?rubric=mini-five'))
      .text;
    expect(exported.split('\r\n')[0]).toContain(',review_date,kind,');
    expect(exported).toContain(',2019-05-14,self_assessment,');
    expect(exported).toContain(',2024-09-09,peer_review,');

    // The target has the same municipalities and programs, and no reviews. Peer review chosen on the form: the
    // file's kind column wins.
    const target = await createImportWorld();
    target.addProgram('0126', 'Huddinge', 'Bostad först Huddinge');
    const first = await postImport(target, { rubric: 'mini-five', kind: 'peer_review', csv: exported });
    expect(first.response.status).toBe(303);
    expect(
      target.db
        .prepare(
          'SELECT p.name, r.kind, r.visit_start, r.status FROM reviews r JOIN programs p ON p.id = r.program_id ORDER BY r.visit_start',
        )
        .all(),
    ).toEqual([
      { name: 'Bostad först Stockholm', kind: 'self_assessment', visit_start: '2019-05-14', status: 'final' },
      { name: 'Bostad först Huddinge', kind: 'peer_review', visit_start: '2024-09-09', status: 'final' },
    ]);
    // The summary says which kind each round is.
    const summary = mainOf((await first.agent.get(String(first.response.headers.location))).text);
    expect(summary).toContain('Kollegial granskning, Självskattning');
    expect(summary).toMatch(/2019-05-14<\/td>\s*<td>Självskattning<\/td>/);

    // Exported again, the rows are the same apart from review ids, source ids (the target's are the source's review
    // ids) and pseudonyms, which are per review.
    const again = (await (await target.login(await target.person(['researcher']))).get('/research/export/ratings.csv?rubric=mini-five'))
      .text;
    const comparable = (text: string) =>
      text
        .split('\r\n')
        .slice(1)
        .filter((line) => line !== '')
        .map((line) => {
          const cells = line.split(',');
          return [...cells.slice(0, 2), ...cells.slice(4, 10), ...cells.slice(11)].join(',');
        })
        .sort();
    expect(comparable(again)).toEqual(comparable(exported));
    // Huddinge: three raters and the consensus; the paper round: two raters and the consensus; 7 indicators.
    expect(comparable(again)).toHaveLength(4 * 7 + 3 * 7);

    // Reading either export into the target again adds nothing: the rounds are there.
    const repeated = await postImport(target, { rubric: 'mini-five', kind: 'peer_review', csv: exported });
    expect(repeated.response.status).toBe(422);
    expect(repeated.response.text).toContain('Exakt samma uppgifter importerades redan');
    // The re-export can even be the very same text (when the per-review pseudonyms fall the same way): its rows
    // in another order are the same data that no hash knows, so each round has to be found in the database.
    const [againHeader, ...againRows] = again.split('\r\n').filter((line) => line !== '');
    const reordered = `${[againHeader, ...againRows.reverse()].join('\r\n')}\r\n`;
    const reexported = await postImport(target, { rubric: 'mini-five', kind: 'peer_review', csv: reordered });
    expect(reexported.response.status).toBe(422);
    const html = mainOf(reexported.response.text);
    expect(html).toContain(
      'verksamheten &#34;Bostad först Stockholm&#34; (kommun 0180) har redan en slutförd granskning av typen Självskattning från 2019-05-14.',
    );
    expect(html).toContain(
      'verksamheten &#34;Bostad först Huddinge&#34; (kommun 0126) har redan en slutförd granskning av typen Kollegial granskning från 2024-09-09.',
    );
    expect(countRows(target, 'reviews')).toBe(2);
    expect(countRows(target, 'review_imports')).toBe(1);
  });

  it('when the same program and date come as another kind, then that round is imported', async () => {
    const w = await createImportWorld();
    expect(
      (await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: csvOf(paperRound(w, 'peer-2019')) })).response.status,
    ).toBe(303);
    const self = await postImport(w, { rubric: 'mini-five', kind: 'self_assessment', csv: csvOf(paperRound(w, 'self-2019')) });
    expect(self.response.status).toBe(303);
    expect(w.db.prepare('SELECT kind FROM reviews ORDER BY id').all()).toEqual([{ kind: 'peer_review' }, { kind: 'self_assessment' }]);
    const peerAgain = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: csvOf(paperRound(w, 'peer-2019-copy')) });
    expect(peerAgain.response.status).toBe(422);
    expect(peerAgain.response.text).toContain('har redan en slutförd granskning av typen Kollegial granskning från 2019-05-14');
  });

  it('when one file holds the same round twice under two review ids, then both are named with their lines and nothing is imported', async () => {
    const w = await createImportWorld();
    // The same program, date and kind: D1 on lines 2–22, D2 on lines 23–43.
    const text = csvOf([...paperRound(w, 'D1'), ...paperRound(w, 'D2')]);
    const { response } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text });
    expect(response.status).toBe(422);
    expect(problemRows(response.text)).toEqual([
      [
        '23',
        'review_id',
        'Granskningarna &#34;D1&#34; (rad 2) och &#34;D2&#34; (rad 23) är samma omgång: verksamheten &#34;Bostad först Stockholm&#34; (kommun 0180), typen Kollegial granskning och datumet 2019-05-14. Behåll bara den ena i filen; annars räknas omgången två gånger.',
      ],
    ]);
    expect(countRows(w, 'reviews')).toBe(0);
    expect(countRows(w, 'review_imports')).toBe(0);
    const english = await postImport(
      w,
      { rubric: 'mini-five', kind: 'peer_review', csv: text },
      ['researcher'],
      '/research/import?lang=en',
    );
    expect(problemRows(english.response.text)[0]?.[2]).toBe(
      'Reviews &#34;D1&#34; (line 2) and &#34;D2&#34; (line 23) are the same round: the program &#34;Bostad först Stockholm&#34; (municipality 0180), the kind Peer review and the date 2019-05-14. Keep only one of them in the file; otherwise the round counts twice.',
    );
    // The same program and date as another kind is another round: both import.
    const kinds = `${HEADER.replace(',review_date,', ',review_date,kind,')}\r\n${[
      ...paperRound(w, 'D1').map((row) => row.replace(',2019-05-14,', ',2019-05-14,peer_review,')),
      ...paperRound(w, 'D2').map((row) => row.replace(',2019-05-14,', ',2019-05-14,self_assessment,')),
    ].join('\r\n')}\r\n`;
    expect((await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: kinds })).response.status).toBe(303);
    expect(countRows(w, 'reviews')).toBe(2);
  });

  it('when a file of several reviews names raters by per-review pseudonyms, then R1 of one review is not R1 of another', async () => {
    const w = await createImportWorld();
    // As the export writes them: each review's raters are R1 and R2 (here P1 and P2), and nobody is linked across reviews.
    const text = csvOf([
      ...paperRound(w, 'E1'),
      ...paperRound(w, 'E2', { code: '1480', program: 'Bostad först Göteborg', date: '2020-02-03' }),
    ]);
    const { agent, response } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text });
    expect(response.status).toBe(303);
    const panels = w.db
      .prepare(
        `SELECT pm.review_id, pm.user_id, pm.role, e.label FROM panel_members pm JOIN external_raters e ON e.user_id = pm.user_id
         WHERE e.review_id = pm.review_id ORDER BY pm.review_id, e.label`,
      )
      .all() as { review_id: number; user_id: number; role: string; label: string }[];
    expect(panels.map((row) => [row.label, row.role])).toEqual([
      ['P1', 'lead'],
      ['P2', 'reviewer'],
      ['P1', 'lead'],
      ['P2', 'reviewer'],
    ]);
    expect(new Set(panels.map((row) => row.user_id)).size).toBe(4);
    expect(countRows(w, 'panel_members')).toBe(4);
    // The research page counts four raters over the two reviews, not two.
    const research = mainOf((await agent.get('/research?rubric=mini-five')).text);
    expect(research).toContain('4 bedömare, 14 indikatorer med minst en poäng, 28 poäng.');
    // The summary counts each review's own two raters.
    const summary = mainOf((await agent.get(String(response.headers.location))).text);
    expect(summary.match(/<td class="num">2<\/td>\s*<td class="num">14<\/td>/g)).toHaveLength(2);
  });

  it('reads cells copied from Excel and pasted (tabs between the fields) like the CSV, as the same data', async () => {
    const w = await createImportWorld();
    const commas = csvOf(paperRound(w, 'sthlm-2019', { code: '180' }));
    const tabs = commas.replaceAll(',', '\t');
    const { response } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: tabs });
    expect(response.status).toBe(303);
    expect(countRows(w, 'ratings')).toBe(2 * 7);
    expect(w.db.prepare('SELECT p.name FROM reviews r JOIN programs p ON p.id = r.program_id').all()).toEqual([
      { name: 'Bostad först Stockholm' },
    ]);
    const again = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: commas });
    expect(again.response.status).toBe(422);
    expect(again.response.text).toContain('Exakt samma uppgifter importerades redan');
    expect(countRows(w, 'imported_reviews')).toBe(1);
  });

  it('names a problem of many rows once, with its lines: a whole review, or rows here and there', async () => {
    const w = await createImportWorld();
    // Lines 2–22: a good review. Lines 23–43: a review of a municipality code the app does not know, and a date
    // with a time of day. Lines 2, 5, 8, 11 and 14: not_applicable "x".
    const good = paperRound(w, 'good').map((row, index) => (index % 3 === 0 && index < 15 ? row.replace(/,0,0$/, ',x,0') : row));
    const unknown = paperRound(w, 'unknown', { code: '9999', date: '2019-05-14 00:00' });
    const { response } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: csvOf([...good, ...unknown]) });
    expect(response.status).toBe(422);
    expect(problemRows(response.text)).toEqual([
      ['2, 5, 8 och 2 rader till', 'not_applicable', 'Ange 0 eller 1.'],
      ['23–43', 'review_date', 'Datumet &#34;2019-05-14 00:00&#34; är inget datum skrivet ÅÅÅÅ-MM-DD (till exempel 2019-05-14).'],
    ]);
    // The date refuses the rows before the municipality is looked up; with a good date, the code is named, once.
    const dated = paperRound(w, 'unknown', { code: '9999' });
    const second = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: csvOf([...paperRound(w, 'good'), ...dated]) });
    expect(problemRows(second.response.text)).toEqual([['23–43', 'municipality_code', 'Det finns ingen kommun med koden 9999.']]);
    const english = await postImport(
      w,
      { rubric: 'mini-five', kind: 'peer_review', csv: csvOf([...good, ...unknown]) },
      ['researcher'],
      '/research/import?lang=en',
    );
    expect(problemRows(english.response.text)[0]?.[0]).toBe('2, 5, 8 and 2 more lines');
    expect(problemRows(english.response.text)[1]?.[2]).toBe(
      '&#34;2019-05-14 00:00&#34; is not a date written YYYY-MM-DD (for example 2019-05-14).',
    );
    expect(countRows(w, 'reviews')).toBe(0);
  });

  it('quotes a score that is no whole number (a decimal comma from Excel), and does not also call its consensus row missing', async () => {
    const w = await createImportWorld();
    const rows = paperRound(w, 'sthlm-2019').map((row) => row.replaceAll(',', ';'));
    // Line 4: the consensus of c1-alpha, scored "4,5" in a semicolon file as Swedish Excel saves it.
    rows[2] = (rows[2] ?? '').replace(/;5;0;1$/, ';4,5;0;1');
    const text = csvOf(rows).replace(HEADER, HEADER.replaceAll(',', ';'));
    const { response } = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text });
    expect(response.status).toBe(422);
    expect(problemRows(response.text)).toEqual([
      ['4', 'score', 'Poängen &#34;4,5&#34; är inget heltal. Ange ett heltal eller lämna tomt.'],
    ]);
    expect(response.text).not.toContain('saknar konsensusrader');
    // A consensus row that is really missing is still named, on the review's first line.
    const without = paperRound(w, 'sthlm-2019').filter((_, index) => index !== 2);
    const missing = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: csvOf(without) });
    expect(problemRows(missing.response.text)).toEqual([
      ['2', 'is_consensus', 'Granskning &#34;sthlm-2019&#34; saknar konsensusrader för: c1-alpha.'],
    ]);
    expect(countRows(w, 'reviews')).toBe(0);
  });

  it('reads the kind column: an empty kind takes the form’s, a review keeps one kind, and a wrong kind is named', async () => {
    const w = await createImportWorld();
    const withKind = (rows: readonly string[], kind: (index: number) => string) =>
      `${HEADER.replace(',review_date,', ',review_date,kind,')}\r\n${rows
        .map((row, index) => {
          const cells = row.split(',');
          return [...cells.slice(0, 4), kind(index), ...cells.slice(4)].join(',');
        })
        .join('\r\n')}\r\n`;
    const mixed = await postImport(w, {
      rubric: 'mini-five',
      kind: 'peer_review',
      csv: withKind(paperRound(w, 'x-2019'), (index) => (index === 4 ? 'self_assessment' : index === 5 ? 'peer' : '')),
    });
    expect(mixed.response.status).toBe(422);
    const html = mainOf(mixed.response.text);
    expect(html).toMatch(
      /<td class="num">6<\/td>\s*<td>kind<\/td>\s*<td>Granskning &#34;x-2019&#34;: kolumnen kind skiljer sig från rad 2 \(&#34;peer_review&#34;\)\.<\/td>/,
    );
    expect(html).toMatch(/<td class="num">7<\/td>\s*<td>kind<\/td>\s*<td>Ange peer_review, self_assessment eller lämna tomt/);
    expect(countRows(w, 'reviews')).toBe(0);
    const ok = await postImport(w, {
      rubric: 'mini-five',
      kind: 'peer_review',
      csv: withKind(paperRound(w, 'x-2019'), () => 'self_assessment'),
    });
    expect(ok.response.status).toBe(303);
    expect(w.db.prepare('SELECT kind FROM reviews').all()).toEqual([{ kind: 'self_assessment' }]);
  });

  it('reads a file without rater_role (a researcher’s export): every rater is a reviewer', async () => {
    const w = await createImportWorld();
    const rows = paperRound(w, 'sthlm-2019').map((row) => {
      const cells = row.split(',');
      return [...cells.slice(0, 9), ...cells.slice(10)].join(',');
    });
    const { response } = await postImport(w, {
      rubric: 'mini-five',
      kind: 'peer_review',
      csv: `${HEADER.replace(',rater_role', '')}\r\n${rows.join('\r\n')}\r\n`,
    });
    expect(response.status).toBe(303);
    expect(w.db.prepare('SELECT DISTINCT role FROM panel_members').all()).toEqual([{ role: 'reviewer' }]);
    expect(countRows(w, 'ratings')).toBe(2 * 7);
  });

  it('gives a municipality code Excel shortened (0180 saved as 180) its leading zeros back, and names a code that is still wrong as typed', async () => {
    const w = await createImportWorld();
    const short = await postImport(w, {
      rubric: 'mini-five',
      kind: 'peer_review',
      csv: csvOf(paperRound(w, 'sthlm-2019', { code: '180' })),
    });
    expect(short.response.status).toBe(303);
    expect(w.db.prepare('SELECT p.name FROM reviews r JOIN programs p ON p.id = r.program_id').all()).toEqual([
      { name: 'Bostad först Stockholm' },
    ]);
    const rows = paperRound(w, 'gbg-2019', { code: '1480', program: 'Bostad först Göteborg' });
    rows[0] = (rows[0] ?? '').replace(/^1480,/, '7,');
    rows[1] = (rows[1] ?? '').replace(/^1480,/, '14800,');
    const wrong = await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: csvOf(rows) });
    expect(wrong.response.status).toBe(422);
    const html = mainOf(wrong.response.text);
    expect(html).toMatch(/<td class="num">2<\/td>\s*<td>municipality_code<\/td>\s*<td>Det finns ingen kommun med koden 0007\.<\/td>/);
    expect(html).toMatch(/<td class="num">3<\/td>\s*<td>municipality_code<\/td>\s*<td>Ange den fyrsiffriga kommunkoden/);
    expect(html).toContain('14800,Bostad först Göteborg');
    expect(countRows(w, 'reviews')).toBe(1);
  });
});

describe('POST /research/import with a CSV file (multipart)', () => {
  /** Posts the form as a browser does with a file chosen: multipart, the CSRF token first. */
  async function uploadImport(
    w: ResearchWorld,
    file: Buffer | undefined,
    fields: Record<string, string> = {},
    roles: Parameters<ResearchWorld['person']>[0] = ['researcher'],
  ) {
    const agent = await w.login(await w.person(roles));
    const page = await agent.get('/research/import');
    let post = agent
      .post('/research/import')
      .field('_csrf', extractCsrfToken(page.text))
      .field('rubric', 'mini-five')
      .field('kind', 'peer_review');
    for (const [name, value] of Object.entries(fields)) post = post.field(name, value);
    if (file) post = post.attach('csv_file', file, { filename: 'paper-rounds.csv', contentType: 'text/csv' });
    return { agent, response: await post };
  }

  it('imports a chosen file like pasted text, with or without a byte order mark', async () => {
    const w = await createImportWorld();
    const plain = await uploadImport(w, Buffer.from(csvOf(paperRound(w, 'sthlm-2019')), 'utf8'));
    expect(plain.response.status).toBe(303);
    expect((await plain.agent.get(String(plain.response.headers.location))).text).toContain('Bostad först Stockholm');
    const withBom = await uploadImport(
      w,
      Buffer.from(`\uFEFF${csvOf(paperRound(w, 'gbg-2019', { code: '1480', program: 'Bostad först Göteborg' }))}`, 'utf8'),
    );
    expect(withBom.response.status).toBe(303);
    expect(countRows(w, 'imported_reviews')).toBe(2);
  });

  it('knows the same data pasted before, even as a file with other line ends, semicolons and a byte order mark', async () => {
    const w = await createImportWorld();
    const text = csvOf(paperRound(w, 'sthlm-2019'));
    expect((await postImport(w, { rubric: 'mini-five', kind: 'peer_review', csv: text })).response.status).toBe(303);
    const asExcelFile = `\uFEFF${text.replaceAll('\r\n', '\n').replaceAll(',', ';')}`;
    const again = await uploadImport(w, Buffer.from(asExcelFile, 'utf8'));
    expect(again.response.status).toBe(422);
    expect(again.response.text).toContain('Exakt samma uppgifter importerades redan');
    expect(countRows(w, 'imported_reviews')).toBe(1);
  });

  it('reads a file saved by Swedish Excel: semicolons between the fields', async () => {
    const w = await createImportWorld();
    const semicolons = csvOf(paperRound(w, 'sthlm-2019')).replaceAll(',', ';');
    const { response } = await uploadImport(w, Buffer.from(`\uFEFF${semicolons}`, 'utf8'));
    expect(response.status).toBe(303);
    expect(countRows(w, 'imported_reviews')).toBe(1);
  });

  it('lists the bad rows of a file with their line numbers, importing nothing', async () => {
    const w = await createImportWorld();
    const rows = paperRound(w, 'sthlm-2019');
    rows[2] = (rows[2] ?? '').replace(/,0,1$/, ',0,7');
    const { response } = await uploadImport(w, Buffer.from(csvOf(rows), 'utf8'));
    expect(response.status).toBe(422);
    expect(response.text).toContain('<td class="num">4</td>');
    expect(countRows(w, 'imported_reviews')).toBe(0);
  });

  it('refuses a file that is not UTF-8 (an old Excel CSV) with a message saying how to save it, keeping the choices', async () => {
    const w = await createImportWorld();
    const latin1 = Buffer.from(csvOf(paperRound(w, 'gbg-2019', { code: '1480', program: 'Bostad först Göteborg' })), 'latin1');
    const { response } = await uploadImport(w, latin1, { kind: 'self_assessment' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Filen är inte text i UTF-8. Spara den som CSV UTF-8');
    expect(response.text).toMatch(/<option value="mini-five"[^>]*selected/);
    expect(countRows(w, 'imported_reviews')).toBe(0);
  });

  it('refuses a file over 10 MB, and a file together with pasted text', async () => {
    const w = await createImportWorld();
    const huge = Buffer.concat([Buffer.from(csvOf(paperRound(w, 'sthlm-2019'))), Buffer.alloc(10 * 1024 * 1024, 0x20)]);
    const tooLarge = await uploadImport(w, huge);
    expect(tooLarge.response.status).toBe(413);
    expect(tooLarge.response.text).toContain('Filen är större än 10 MB.');
    const both = await uploadImport(w, Buffer.from(csvOf(paperRound(w, 'sthlm-2019'))), { csv: csvOf(paperRound(w, 'sthlm-2019')) });
    expect(both.response.status).toBe(422);
    expect(both.response.text).toContain('Välj en fil eller klistra in text, inte båda.');
    expect(countRows(w, 'imported_reviews')).toBe(0);
  });

  it('when a large file has the same bad line again and again, then the page names the problem once with its lines, and stays small', async () => {
    const w = await createImportWorld();
    const badLines = 200_000;
    const file = Buffer.from(`${HEADER}\r\n${'x,bad,row\r\n'.repeat(badLines)}`, 'utf8');
    const { response } = await uploadImport(w, file);
    expect(response.status).toBe(422);
    expect(problemRows(response.text)).toEqual([[`2–${badLines + 1}`, '–', 'Raden har 3 fält men ska ha 13.']]);
    expect(response.text).not.toContain('fel till');
    expect(Buffer.byteLength(response.text)).toBeLessThan(200 * 1024);
    expect(countRows(w, 'imported_reviews')).toBe(0);
  });

  it('when a file has more than 100 different problems, then the page lists the first 100 by line and counts the rest', async () => {
    const w = await createImportWorld();
    // 150 rows, each naming an indicator of its own that the rubric does not have.
    const rows = Array.from(
      { length: 150 },
      (_, index) => `0180,Bostad först Stockholm,x,2019-05-14,mini-five,0.1-test,,nope-${index},P1,reviewer,1,0,0`,
    );
    const { response } = await uploadImport(w, Buffer.from(csvOf(rows), 'utf8'));
    expect(response.status).toBe(422);
    const problems = problemRows(response.text);
    expect(problems.map(([lines]) => lines)).toEqual(Array.from({ length: 100 }, (_, index) => String(index + 2)));
    expect(problems[0]?.[2]).toBe('Indikatorn &#34;nope-0&#34; finns inte i mallversion 0.1-test.');
    expect(response.text).toContain('Och 50 fel till, som inte visas här.');
    expect(countRows(w, 'imported_reviews')).toBe(0);
  });

  it('lists problems by line when a review-level problem points back to an early line, and counts every problem once', async () => {
    const w = await createImportWorld();
    // Line 2 starts review "early", which never gets its consensus rows; lines 3 to 152 are rows of another review,
    // each with an unknown indicator of its own.
    const first = paperRound(w, 'early')[0] ?? '';
    const bad = Array.from(
      { length: 150 },
      (_, index) => `0180,Bostad först Stockholm,other,2019-06-14,mini-five,0.1-test,,nope-${index},P1,reviewer,1,0,0`,
    );
    const { response } = await uploadImport(w, Buffer.from(csvOf([first, ...bad]), 'utf8'));
    expect(response.status).toBe(422);
    const problems = problemRows(response.text);
    expect(problems.map(([lines]) => Number(lines))).toEqual([2, ...Array.from({ length: 99 }, (_, index) => index + 3)]);
    expect(problems[0]?.[2]).toMatch(/^Granskning &#34;early&#34; saknar konsensusrader för: /);
    // 151 problems: the missing consensus, then 150 bad lines, of which 99 are listed.
    expect(response.text).toContain('Och 51 fel till, som inte visas här.');
  });

  it('answers a multipart body cut short with the form again (400), not a server error', async () => {
    const w = await createImportWorld();
    const agent = await w.login(await w.person(['researcher']));
    const page = await agent.get('/research/import');
    const boundary = 'cut-short-boundary';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="_csrf"',
      '',
      extractCsrfToken(page.text),
      `--${boundary}`,
      'Content-Disposition: form-data; name="csv_file"; filename="x.csv"',
      'Content-Type: text/csv',
      '',
      'municipality_code,program',
    ].join('\r\n');
    const response = await agent.post('/research/import').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(body);
    expect(response.status).toBe(400);
    expect(response.text).toContain('Formuläret kunde inte läsas.');
    expect(countRows(w, 'imported_reviews')).toBe(0);
  });

  it('refuses a file without the CSRF token, and never reads the file of someone without a research role', async () => {
    const w = await createImportWorld();
    const text = Buffer.from(csvOf(paperRound(w, 'sthlm-2019')));
    const agent = await w.login(await w.person(['researcher']));
    const noToken = await agent
      .post('/research/import')
      .field('rubric', 'mini-five')
      .field('kind', 'peer_review')
      .attach('csv_file', text, 'x.csv');
    expect(noToken.status).toBe(403);
    const reviewer = await uploadImport(w, text, {}, ['reviewer']);
    // The reviewer's form is not read, so its token is not seen either: refused before the route.
    expect(reviewer.response.status).toBe(403);
    expect(countRows(w, 'imported_reviews')).toBe(0);
  });
});

describe('GET /research/import', () => {
  it('shows the form with the rubric and kind choices and a CSRF token', async () => {
    const w = await createImportWorld();
    const agent = await w.login(await w.person(['coordinator']));
    const response = await agent.get('/research/import');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<h1>Importera historiska granskningar</h1>');
    expect(response.text).toContain('name="_csrf"');
    expect(response.text).toContain('<textarea id="f-csv" name="csv"');
    expect(response.text).toContain('value="mini-five"');
  });
});
