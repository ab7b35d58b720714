import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { toLoadedRubric } from '../../src/rubrics/load-rubrics.js';
import { createResearchWorld, importRound, mainOf, type ResearchWorld } from './research-helpers.js';

/** Stockholm with two rounds (2024, 2025), Göteborg with one (2025) and Huddinge with a review still in draft. */
async function createComparisonWorld(): Promise<ResearchWorld & { stockholm: number; goteborg: number; huddinge: number }> {
  const w = await createResearchWorld();
  const stockholm = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
  const goteborg = w.addProgram('1480', 'Göteborg', 'Bostad först Göteborg');
  const huddinge = w.addProgram('0126', 'Huddinge', 'Bostad först Huddinge');
  w.addFinalReview(stockholm, { date: '2024-03-01', consensus: () => 2 });
  w.addFinalReview(stockholm, { date: '2025-03-01', consensus: (_min, max, index) => (index === 0 ? max : 3) });
  w.addFinalReview(goteborg, { date: '2025-05-01', consensus: () => 4, raters: [() => 4, () => 3, () => 4] });
  w.reviews.insertReview({
    programId: huddinge,
    rubric:
      w.rubrics.get('bostad-forst') ??
      (() => {
        throw new Error('rubric');
      })(),
    kind: 'peer_review',
    visitStart: '2025-06-01',
    visitEnd: '2025-06-01',
    createdBy: w.coordinator.id,
  });
  return { ...w, stockholm, goteborg, huddinge };
}

async function getAs(w: ResearchWorld, roles: Parameters<ResearchWorld['person']>[0], path: string) {
  const agent = await w.login(await w.person(roles));
  return agent.get(path);
}

describe('GET /research: the downloads it links', () => {
  it('when a researcher opens it, then it links the long format, the codebook and the level rules, each also for Excel', async () => {
    const w = await createComparisonWorld();
    const page = await getAs(w, ['researcher'], '/research?lang=en');
    const hrefs = [...page.text.matchAll(/href="(\/research\/export\/[^"]+)"/g)].map((match) => match[1] ?? '');
    for (const file of ['ratings.csv', 'codebook.csv', 'level-rules.csv']) {
      const links = hrefs.filter((href) => href.startsWith(`/research/export/${file}?`) && href.includes('rubric=bostad-forst'));
      expect(
        links.some((href) => !href.includes('bom=1')),
        file,
      ).toBe(true);
      expect(
        links.some((href) => href.endsWith('&amp;bom=1')),
        file,
      ).toBe(true);
    }
    expect(page.text).toContain('Level rules: the levels&#39; bounds, what caps the level and how much must be rated (CSV)');
  });
});

describe('GET /research: who may see it', () => {
  it('when the user is a researcher, a coordinator or an administrator, then the page is shown', async () => {
    const w = await createComparisonWorld();
    for (const roles of [['researcher'], ['coordinator'], ['admin']] as const) {
      const response = await getAs(w, [...roles], '/research');
      expect(response.status, roles.join()).toBe(200);
      expect(response.text).toContain('<h1>Jämförelse mellan kommuner</h1>');
    }
  });

  it('when the user is a reviewer or a program lead, then it is 403 for the page, the exports and the import', async () => {
    const w = await createComparisonWorld();
    for (const roles of [['reviewer'], ['program_lead']] as const) {
      const agent = await w.login(await w.person([...roles]));
      for (const path of [
        '/research',
        '/research/export/ratings.csv?rubric=bostad-forst',
        '/research/export/codebook.csv?rubric=bostad-forst',
        '/research/export/level-rules.csv?rubric=bostad-forst',
        '/research/reviews/1/matrix.csv',
        '/research/import',
      ]) {
        expect((await agent.get(path)).status, `${roles.join()} ${path}`).toBe(403);
      }
    }
  });

  it('when nobody is logged in, then it redirects to the login page', async () => {
    const w = await createComparisonWorld();
    const response = await request(w.app).get('/research');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Fresearch');
  });

  it('when the user may use it, then the navigation links to it', async () => {
    const w = await createComparisonWorld();
    const response = await getAs(w, ['researcher'], '/research');
    expect(response.text).toContain('<a href="/research">Forskning</a>');
  });
});

describe('GET /research: with no final reviews yet', () => {
  it('shows the page with empty states instead of figures', async () => {
    const w = await createResearchWorld();
    const response = await getAs(w, ['researcher'], '/research');
    expect(response.status).toBe(200);
    const html = mainOf(response.text);
    expect(html).toContain('Inga slutförda granskningar matchar urvalet.');
    expect(html).toContain('Det finns inga individuella bedömningar att räkna på.');
    const csv = await (await w.login(await w.person(['researcher']))).get('/research/export/ratings.csv?rubric=bostad-forst');
    expect(csv.text).toBe(
      'municipality_code,program,review_id,source_review_id,review_date,kind,rubric_id,rubric_version,section_id,indicator_id,rater,score,not_applicable,is_consensus\r\n',
    );
  });
});

describe('GET /research: the heat map', () => {
  it('shows each program’s latest final review per section, as SVG with values in the cells and as a table', async () => {
    const w = await createComparisonWorld();
    const html = mainOf((await getAs(w, ['researcher'], '/research')).text);
    // Stockholm's latest round: 4 of 4 on the first indicator, 3 elsewhere → A1 (5 indicators) = 16/20 = 80 %.
    expect(html).toMatch(
      /<th scope="row"><a href="[^"]*program=1#trend"[^>]*>Stockholm<\/a><br><span class="row-meta">.*?<\/th>\s*<td class="num">80<\/td><td class="num">75<\/td>/,
    );
    expect(html).toMatch(/>Göteborg<\/a><br><span class="row-meta">.*?<\/th>\s*<td class="num">100<\/td>/);
    // Only the latest round, only final reviews: the 2024 round (50 %) and Huddinge's draft are not in the heat map.
    expect(html).not.toContain('>Huddinge<');
    expect(html).not.toContain('<td class="num">50</td>');
    // The SVG carries the numbers as text, coloured by fidelity level, with no style attribute anywhere.
    expect(html).toContain('<svg class="heatmap chart"');
    expect(html).toMatch(/<rect [^>]*fill="#08306b"[^>]*\/>\s*<text [^>]*fill="#ffffff"[^>]*>100<\/text>/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).toContain('Hög modelltrogenhet: från 87,5\u00a0%');
  });

  it('when the overall is over every section, then its column is "Overall fidelity" in English, one term as in Swedish', async () => {
    const w = await createComparisonWorld();
    const swedish = mainOf((await getAs(w, ['researcher'], '/research')).text);
    expect(swedish).toContain('<th scope="col" class="num">Sammanvägd modelltrohet</th>');
    const english = mainOf((await getAs(w, ['researcher'], '/research?lang=en')).text);
    expect(english).toContain('<th scope="col" class="num">Overall fidelity</th>');
  });

  it('when a review used another version of the rubric, then its row is marked and the version named', async () => {
    const w = await createComparisonWorld();
    const loaded = w.rubrics.get('bostad-forst');
    if (!loaded) throw new Error('rubric');
    const older = toLoadedRubric({ ...loaded.rubric, version: '0.9' });
    const botkyrka = w.addProgram('0127', 'Botkyrka', 'Bostad först Botkyrka');
    w.addFinalReview(botkyrka, { date: '2025-02-01', rubric: older });
    const html = mainOf((await getAs(w, ['researcher'], '/research')).text);
    expect(html).toContain('Botkyrka †');
    expect(html).toContain('>Botkyrka</a><br><span class="row-meta">Mallversion 0.9 †');
    expect(html).toContain('>Stockholm</a><br><span class="row-meta">Mallversion 1.1</span>');
    // Each review is scored with its own version: the note says so, and no longer that the comparison used another.
    expect(html).toContain(
      '† Bedömd med mallversion 0.9. Varje granskning räknas med den mallversion den gjordes med, så ett avsnitt kan ha andra indikatorer där än i version 1.1.',
    );
    expect(html).not.toContain('jämförelsen använder version');
    // Both versions take the overall figure over the same sections, so nothing more is said of it.
    expect(html).not.toContain('Sammanvägd modelltrohet är medelvärdet av');
  });

  it('only compares reviews of the chosen rubric id', async () => {
    const w = await createComparisonWorld();
    const mini = w.rubrics.get('mini-five');
    if (!mini) throw new Error('rubric');
    const malmo = w.addProgram('1280', 'Malmö', 'Bostad först Malmö');
    w.addFinalReview(malmo, { date: '2025-01-01', rubric: mini });
    const forst = mainOf((await getAs(w, ['researcher'], '/research?rubric=bostad-forst')).text);
    expect(forst).not.toContain('>Malmö</a>');
    const five = mainOf((await getAs(w, ['researcher'], '/research?rubric=mini-five')).text);
    expect(five).toContain('>Malmö</a>');
    expect(five).not.toContain('>Stockholm</a>');
    expect(five).toContain('<abbr title="Första">C1</abbr>');
  });

  it('filters by year and by kind of review', async () => {
    const w = await createComparisonWorld();
    const vasby = w.addProgram('0114', 'Upplands Väsby', 'Bostad först Väsby');
    importRound(w, vasby, { date: '2019-04-01', kind: 'self_assessment', source: 'vasby-2019' });
    const in2024 = mainOf((await getAs(w, ['researcher'], '/research?year=2024')).text);
    expect(in2024).toMatch(/>Stockholm<\/a><br><span class="row-meta">.*?<\/th>\s*<td class="num">50<\/td>/);
    expect(in2024).not.toContain('>Göteborg</a>');
    const selfOnly = mainOf((await getAs(w, ['researcher'], '/research?kind=self_assessment')).text);
    expect(selfOnly).toContain('>Upplands Väsby</a>');
    expect(selfOnly).not.toContain('>Stockholm</a>');
    const peerOnly = mainOf((await getAs(w, ['researcher'], '/research?kind=peer_review')).text);
    expect(peerOnly).not.toContain('>Upplands Väsby</a>');
  });

  it('shows peer reviews unless another kind is chosen: an imported self-assessment never takes a program’s row, nor counts in the agreement', async () => {
    const w = await createComparisonWorld();
    // Stockholm's latest peer review (2025-03-01) is 80 % in A1; a later imported self-assessment scores 75 %.
    importRound(w, w.stockholm, { date: '2025-09-01', kind: 'self_assessment', source: 'sthlm-self-2025' });
    const agent = await w.login(await w.person(['researcher']));
    for (const query of ['', '?kind=', '?kind=peer_review']) {
      const html = mainOf((await agent.get(`/research${query}`)).text);
      expect(html, query).toMatch(/>Stockholm<\/a><br><span class="row-meta">.*?<\/th>\s*<td class="num">80<\/td>/);
      expect(html, query).toContain('<a href="/reviews/2/result">2025-03-01</a>');
      expect(html, query).not.toContain('2025-09-01');
      // The kind is chosen in the form, the rows need not say it, and the agreement counts the three peer reviews only.
      expect(html, query).toMatch(/<option value="peer_review" selected>Kollegial granskning<\/option>/);
      expect(html, query).toContain('Urvalet har bara granskningar av typen Kollegial granskning');
      expect(html, query).not.toContain('<th scope="col">Typ av granskning</th>');
      expect(html, query).toContain('alla slutförda granskningar i urvalet (3 granskningar)');
      // The downloads offered are of the same selection.
      expect(html, query).toContain('href="/research/export/ratings.csv?rubric=bostad-forst&amp;kind=peer_review"');
    }
    const selfOnly = mainOf((await agent.get('/research?kind=self_assessment')).text);
    expect(selfOnly).toMatch(/>Stockholm<\/a><br><span class="row-meta">.*?<\/th>\s*<td class="num">75<\/td>/);
    expect(selfOnly).toContain('(1 granskning)');
    expect(selfOnly).not.toContain('granskningar)');
  });

  it('when all kinds are chosen, then each row says which kind of round it shows, in the table and the SVG', async () => {
    const w = await createComparisonWorld();
    importRound(w, w.stockholm, { date: '2025-09-01', kind: 'self_assessment', source: 'sthlm-self-2025' });
    const html = mainOf((await getAs(w, ['researcher'], '/research?kind=all')).text);
    expect(html).toMatch(/<option value="all" selected>Alla typer<\/option>/);
    expect(html).toContain('Urvalet har alla typer av granskningar');
    // Stockholm's latest round is now the self-assessment, and says so beside its name; Göteborg's is a peer review.
    expect(html).toMatch(
      />Stockholm<\/a><br><span class="row-meta">Självskattning, mallversion 1\.1<\/span><\/th>\s*<td class="num">75<\/td>[\s\S]*?<td class="iso-date"><a href="\/reviews\/\d+\/result">2025-09-01<\/a><\/td>/,
    );
    expect(html).toMatch(
      />Göteborg<\/a><br><span class="row-meta">Kollegial granskning, mallversion 1\.1<\/span><\/th>[\s\S]*?<td class="iso-date"><a href="\/reviews\/3\/result">2025-05-01<\/a><\/td>/,
    );
    expect(html).toContain('<title>Stockholm: Bostad först Stockholm (Självskattning, 2025-09-01)</title>');
    expect(html).toMatch(/<text x="264" y="17" fill="#4a4f57">Självskattning<\/text>/);
    // Its links keep the choice; the download is of every kind.
    expect(html).toContain(`kind=all&amp;program=${w.stockholm}#trend`);
    expect(html).toContain('href="/research/export/ratings.csv?rubric=bostad-forst"');
    const english = mainOf((await getAs(w, ['researcher'], '/research?kind=all&lang=en')).text);
    expect(english).toMatch(/<span class="row-meta">Self-assessment, rubric version 1\.1<\/span>/);
  });

  it('never shows a self-assessment made in the app: it belongs to the people of its program', async () => {
    const w = await createComparisonWorld();
    const sigtuna = w.addProgram('0191', 'Sigtuna', 'Bostad först Sigtuna');
    const reviewId = w.addFinalReview(sigtuna, { date: '2025-04-01', kind: 'self_assessment' });
    const agent = await w.login(await w.person(['researcher']));
    for (const query of ['', '?kind=self_assessment', '?kind=all']) {
      const html = mainOf((await agent.get(`/research${query}`)).text);
      expect(html, query).not.toContain('>Sigtuna</a>');
      expect(html, query).not.toContain('2025-04-01');
      // Where the table has rows, the program is named only as one without a final review in the selection.
      if (query !== '?kind=self_assessment') expect(html, query).toMatch(/Ingen slutförd granskning i urvalet: [^<]*Sigtuna/);
    }
    expect((await agent.get('/research/export/ratings.csv?rubric=bostad-forst')).text).not.toContain('Sigtuna');
    expect((await agent.get(`/research/reviews/${reviewId}/matrix.csv`)).status).toBe(404);
  });

  it('when a filter is not valid, then the page comes back with 422 and says what is wrong', async () => {
    const w = await createComparisonWorld();
    const response = await getAs(w, ['researcher'], '/research?year=20x5&kind=secret');
    expect(response.status).toBe(422);
    expect(response.text).toContain('Ange ett årtal med fyra siffror.');
    expect(response.text).toContain('Välj ett av alternativen.');
  });
});

describe('GET /research?program=: the trend', () => {
  it('shows every final round of the program, oldest first, per section, as SVG and as a table', async () => {
    const w = await createComparisonWorld();
    const html = mainOf((await getAs(w, ['researcher'], `/research?program=${w.stockholm}`)).text);
    expect(html).toContain('Utveckling över tid: Stockholm: Bostad först Stockholm');
    expect(html).toContain('<svg class="trend-charts chart"');
    expect(html).toMatch(/Omgång 1<br><a href="\/reviews\/1\/result">2024-03-01<\/a>/);
    expect(html).toMatch(/Omgång 2<br><a href="\/reviews\/2\/result">2025-03-01<\/a>/);
    expect(html).toMatch(/<th scope="row">A1 [^<]+<\/th>\s*<td class="num">50\u00a0%<\/td><td class="num">80\u00a0%<\/td>/);
    expect(html).toContain('<polyline points=');
  });

  it('when no program is chosen, then it asks for one', async () => {
    const w = await createComparisonWorld();
    const html = mainOf((await getAs(w, ['researcher'], '/research')).text);
    expect(html).toContain('Välj en verksamhet i urvalet ovan');
  });
});

describe('GET /research: agreement across reviews', () => {
  it('shows ICC, alpha and pairwise figures with their bands, in English on request', async () => {
    const w = await createComparisonWorld();
    const html = mainOf((await getAs(w, ['researcher'], '/research?lang=en')).text);
    expect(html).toContain('Agreement between raters');
    expect(html).toContain('all final reviews in the selection (3 reviews)');
    for (const form of ['ICC(1,1)', 'ICC(2,1)', 'ICC(3,1)', 'ICC(1,k)', 'ICC(2,k)', 'ICC(3,k)']) expect(html).toContain(form);
    expect(html).toContain('α Ordinal');
    expect(html).toContain('Koo and Li (2016)');
    expect(html).toContain('Exactly the same score');
    // No rater names anywhere on the page's content.
    for (const rater of w.raters) expect(html).not.toContain(rater.displayName);
  });
});
