// What the comparison page's figures mean, said on the page: kinds and versions never joined into one line or pooled
// into one agreement, the overall column named for the sections it is the mean of and its caps explained, and small
// numbers flagged in plain words (docs/research-data.md, "Small numbers").
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { FROZEN_1_1_RUBRIC_FILE, loadTestRubrics, SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';
import { createResearchWorld, importRound, mainOf, type ResearchWorld } from './research-helpers.js';

/** Stockholm with two peer rounds (2024, 2025), Göteborg with one (2025), Huddinge with none: rubric 1.1. */
async function createComparisonWorld(): Promise<ResearchWorld & { stockholm: number }> {
  const w = await createResearchWorld();
  const stockholm = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
  const goteborg = w.addProgram('1480', 'Göteborg', 'Bostad först Göteborg');
  w.addProgram('0126', 'Huddinge', 'Bostad först Huddinge');
  w.addFinalReview(stockholm, { date: '2024-03-01', consensus: () => 2 });
  w.addFinalReview(stockholm, { date: '2025-03-01' });
  w.addFinalReview(goteborg, { date: '2025-05-01', consensus: () => 4 });
  return { ...w, stockholm };
}

async function pageOf(w: ResearchWorld, path: string): Promise<string> {
  const agent = await w.login(await w.person(['researcher']));
  const response = await agent.get(path);
  expect(response.status).toBe(200);
  return mainOf(response.text);
}

/** The first panel of the trend's SVG: the overall figure. */
function overallPanelOf(html: string): string {
  const svg = /<svg class="trend-charts chart"[\s\S]*?<\/svg>/.exec(html)?.[0];
  const panel = svg?.split('<g transform="translate(')[1];
  if (!panel?.startsWith('0,0)')) throw new Error('no trend panel');
  return panel;
}

/** The series of one kind in a panel. */
function seriesOf(panel: string, kind: string): string {
  return new RegExp(`<g class="series series--${kind}"[^>]*>([\\s\\S]*?)</g>`).exec(panel)?.[1] ?? '';
}

describe('GET /research with all kinds: self-assessments and peer reviews are never one series or one pool', () => {
  it('when a program has rounds of both kinds, then each kind is its own series with its own marker and legend entry', async () => {
    const w = await createComparisonWorld();
    importRound(w, w.stockholm, { date: '2024-09-01', kind: 'self_assessment', source: 'sthlm-self-2024' });
    const html = await pageOf(w, `/research?kind=all&program=${w.stockholm}`);
    const panel = overallPanelOf(html);
    const peer = seriesOf(panel, 'peer_review');
    const self = seriesOf(panel, 'self_assessment');
    // The peer line joins the two peer rounds only (rounds 1 and 3); the self-assessment (round 2) is a square alone.
    expect(peer.match(/<polyline /g)).toHaveLength(1);
    expect(peer.match(/<circle /g)).toHaveLength(2);
    expect(self).not.toContain('<polyline');
    expect(self).not.toContain('<circle');
    expect(self.match(/<rect /g)).toHaveLength(1);
    // The legend names each kind beside its marker, and the intro says why they are apart.
    const legend = /<ul class="chart-legend trend-legend"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    expect(legend).toMatch(/<circle [^>]*\/><\/svg> Kollegial granskning<\/li>/);
    expect(legend).toMatch(/<rect [^>]*stroke-width="2"\/><\/svg> Självskattning<\/li>/);
    expect(html).toContain('Självskattningar och kollegiala granskningar är skilda linjer med var sin markör');
  });

  it('when all kinds are chosen, then the agreement comes per kind and says why, never pooled over both', async () => {
    const w = await createComparisonWorld();
    importRound(w, w.stockholm, { date: '2024-09-01', kind: 'self_assessment', source: 'sthlm-self-2024' });
    const html = await pageOf(w, '/research?kind=all');
    expect(html).toContain('Självskattningar och kollegiala granskningar räknas var för sig.');
    const peer =
      /<h3 id="agreement-peer-review">Kollegial granskning<\/h3>([\s\S]*?)<h3 id="agreement-self-assessment">/.exec(html)?.[1] ?? '';
    const self = /<h3 id="agreement-self-assessment">Självskattning<\/h3>([\s\S]*)$/.exec(html)?.[1] ?? '';
    expect(peer).toContain('alla slutförda granskningar i urvalet (3 granskningar)');
    expect(peer).toMatch(/<p>3 bedömare, \d+ indikatorer/);
    expect(self).toContain('alla slutförda granskningar i urvalet (1 granskning)');
    expect(self).toMatch(/<p>2 bedömare, \d+ indikatorer/);
    // Nothing over both: not 4 reviews, not 5 raters.
    expect(html).not.toContain('(4 granskningar)');
    expect(html).not.toMatch(/<p>5 bedömare/);
    // Each kind's figures have their own ids, so every heading and region is named once.
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids).toEqual(
      expect.arrayContaining(['agreement-peer-review-icc', 'agreement-self-assessment-icc', 'agreement-self-assessment-items']),
    );
  });
});

describe('GET /research?program=: rounds of different rubric versions', () => {
  it('when a round was made with 1.1 and later ones with 2.0, then no line joins them and the notes say how each is scored', async () => {
    const w = await createResearchWorld('bostad-forst', [SHIPPED_RUBRIC_FILE]);
    const v11 = loadTestRubrics([FROZEN_1_1_RUBRIC_FILE]).get('bostad-forst');
    if (!v11) throw new Error('rubric 1.1 missing');
    const stockholm = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
    w.addFinalReview(stockholm, { date: '2023-03-01', rubric: v11 });
    w.addFinalReview(stockholm, { date: '2024-03-01' });
    w.addFinalReview(stockholm, { date: '2025-03-01', consensus: () => 4 });
    const html = await pageOf(w, `/research?program=${stockholm}`);
    const panel = overallPanelOf(html);
    // Three points, one line: the two 2.0 rounds; the change of version is marked between rounds 1 and 2.
    expect(seriesOf(panel, 'peer_review').match(/<circle /g)).toHaveLength(3);
    expect(seriesOf(panel, 'peer_review').match(/<polyline /g)).toHaveLength(1);
    expect(panel.match(/<line class="version-break" /g)).toHaveLength(1);
    expect(html).toContain('Streckad lodrät linje: mallversionen byts (1.1 till 2.0). Linjen bryts där');
    // The † note: each round is scored with its own version, and the overall figure is another measure in each.
    expect(html).toContain(
      '† Bedömd med mallversion 1.1. Varje granskning räknas med den mallversion den gjordes med, så ett avsnitt kan ha andra indikatorer där än i version 2.0. Sammanvägd modelltrohet är medelvärdet av A1–B6 i version 1.1 men av A1–A8 i version 2.0: två olika mått, som inte kan jämföras rakt av.',
    );
    expect(html).not.toContain('jämförelsen använder version');
    expect(html).toContain('<th scope="row">Sammanvägd modelltrohet (A1–A8)</th>');
    const english = await pageOf(w, `/research?program=${stockholm}&lang=en`);
    expect(english).toContain('Overall fidelity is the mean of A1–B6 in version 1.1 but of A1–A8 in version 2.0');
  });
});

describe('GET /research: the heat map’s overall column', () => {
  it('when the level is capped by a core element, then the column names A1–A8, the cell is marked and the cap is said in words', async () => {
    const w = await createResearchWorld('bostad-forst', [SHIPPED_RUBRIC_FILE]);
    const caseload = listIndicators(w.rubric).findIndex(({ indicator }) => indicator.id === 'b2-caseload');
    const stockholm = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
    w.addFinalReview(stockholm, { date: '2025-03-01', consensus: (min, max, index) => (index === caseload ? min : max) });
    const html = await pageOf(w, '/research');
    // The head says which sections the figure is the mean of, in the table and in the SVG (wrapped over lines).
    expect(html).toContain('<th scope="col" class="num">Sammanvägd modelltrohet (<span class="section-codes">A1–A8</span>)</th>');
    expect(html).toMatch(
      /<g class="heatmap-overall-head"[^>]*><text [^>]*>Sammanvägd<\/text><text [^>]*>modelltrohet<\/text><text [^>]*>\(A1–A8\)<\/text><\/g>/,
    );
    expect(html).toContain('Sammanvägd modelltrohet (A1–A8) är medelvärdet av de avsnitt som avgör nivån');
    // Every deciding section is at 100 %, yet the level is capped: the cell is marked, in the SVG and in the table.
    expect(html).toMatch(/font-weight="700"[^>]*>100 \*<\/text>/);
    expect(html).toContain(
      '<strong>100</strong> *<span class="visually-hidden"> (nivån begränsas av en kärnkomponent)</span><br><span class="muted">Delvis modelltrohet</span>',
    );
    expect(html).toContain('* Nivån begränsas av en kärnkomponent: rutans färg är den begränsade nivån, lägre än bandet för siffran.');
    expect(html).toMatch(
      /<p class="muted">\* Stockholm: Nivån begränsas till Delvis modelltrohet: indikatorn B2\.1 ”[^”]+” fick 1 av 4 \([^)]+\)\. En kärnkomponent saknas/,
    );
  });

  it('when no level is capped and every section decides it, then there is no mark, no cap note and no codes in the head', async () => {
    const w = await createComparisonWorld();
    const html = await pageOf(w, '/research');
    expect(html).toContain('<th scope="col" class="num">Sammanvägd modelltrohet</th>');
    expect(html).not.toContain('Nivån begränsas');
    expect(html).not.toContain('är medelvärdet av de avsnitt som avgör nivån');
  });
});

describe('GET /research: small numbers are said in words', () => {
  it('when the agreement rests on one or two reviews, then it says so; from three on it does not', async () => {
    const w = await createComparisonWorld();
    importRound(w, w.stockholm, { date: '2024-09-01', kind: 'self_assessment', source: 'sthlm-self-2024' });
    expect(await pageOf(w, '/research?kind=self_assessment')).toContain(
      'Bygger på 1 granskning: osäkert. Med en enda panel kan några få poäng ändra måtten mycket.',
    );
    expect(await pageOf(w, '/research?year=2025')).toContain(
      'Bygger på bara 2 granskningar: osäkert. Med färre än 3 granskningar kan några få poäng ändra måtten mycket.',
    );
    expect(await pageOf(w, '/research')).not.toContain('osäkert');
    expect(await pageOf(w, '/research?kind=self_assessment&lang=en')).toContain('Based on 1 review: uncertain.');
  });

  it('when an indicator’s disagreement rests on fewer than 10 pairs, then its row is marked and the mark explained', async () => {
    const w = await createComparisonWorld();
    // Three reviews of three raters: 9 pairs an indicator.
    const few = await pageOf(w, '/research');
    expect(few).toContain('Rader markerade ”få par” bygger på färre än 10 par av bedömningar');
    expect(few).toMatch(/<td class="num score-cell">9 <span class="muted">\(få par\)<\/span><\/td>/);
    // A fourth review makes 12 pairs: nothing is marked.
    w.addFinalReview(w.stockholm, { date: '2023-03-01' });
    const enough = await pageOf(w, '/research');
    expect(enough).toMatch(/<td class="num score-cell">12<\/td>/);
    expect(enough).not.toContain('få par');
  });

  it('when programs have no final review in the selection, then the page names them, and warns when the rows are few', async () => {
    const w = await createComparisonWorld();
    const two = await pageOf(w, '/research');
    expect(two).toContain(
      '<p class="warning">Bygger på bara 2 verksamheter: jämför med försiktighet. Tabellen har 2 av 3 verksamheter. Ingen slutförd granskning i urvalet: Huddinge.</p>',
    );
    const one = await pageOf(w, '/research?year=2024');
    expect(one).toContain(
      'Bygger på 1 verksamhet: det finns inget att jämföra med. Tabellen har 1 av 3 verksamheter. Ingen slutförd granskning i urvalet: Göteborg, Huddinge.',
    );
    // From three rows on there is no warning, and beyond 20 names the rest are counted.
    for (let index = 0; index < 22; index++) w.addProgram(String(2000 + index), `Ort ${String(index).padStart(2, '0')}`, 'Bostad först');
    w.addFinalReview(w.addProgram('0127', 'Botkyrka', 'Bostad först Botkyrka'), { date: '2025-01-01' });
    const many = await pageOf(w, '/research');
    expect(many).not.toContain('class="warning">Bygger på');
    expect(many).toContain('<p>Tabellen har 3 av 26 verksamheter. Ingen slutförd granskning i urvalet: Huddinge, Ort 00,');
    expect(many).toContain('Ort 18 och 3 till.</p>');
  });
});
