// What the consensus pages tell the people in the meeting: which indicators are core elements and what one at its lowest
// level does to the fidelity level (from the rubric's caps), the decided level with its anchor for those following
// read-only, and the next step once the last section or the last decision is reached.
import { describe, expect, it } from 'vitest';
import { listIndicators, type RubricIndicator } from '../../src/rubrics/rubric-schema.js';
import {
  createScenarioInConsensus,
  createReviewScenario,
  rateAndSubmit,
  type ReviewScenario,
  startRating,
} from '../helpers/review-scenario.js';
import { loadTestRubrics, MINI_RUBRIC_FILE, makeTestApp, ROOT, SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';

const CAPPED_FILE = `${ROOT}test/fixtures/rubrics/capped-mix.yaml`;

/** The HTML of one indicator's block on a section page. */
function indicatorBlock(html: string, indicatorId: string): string {
  const start = html.indexOf(`id="ind-${indicatorId}"`);
  if (start === -1) throw new Error(`no block for ${indicatorId}`);
  return html.slice(start, html.indexOf('</section>', start));
}

/** Decides every indicator of the review at one above its scale's lowest, as the lead. */
function decideAll(s: ReviewScenario): void {
  for (const { indicator } of listIndicators(s.rubric)) {
    const input = { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' };
    expect(s.reviews.saveConsensus(s.reviewId, input, s.lead.id).outcome).toBe('saved');
  }
}

const SHIPPED_CORE_NOTE =
  'Kärnkomponent</strong> – poäng 1 begränsar nivån till högst Delvis modelltrohet; 2 eller fler kärnkomponenter på lägsta nivån begränsar den till högst Låg modelltrohet.';

describe('core elements on the consensus pages', () => {
  it('when the lead opens a section, then each core element is tagged with what a low score does to the level, in words, and the others are not', async () => {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    if (!section) throw new Error('missing');
    const core = section.indicators.filter((indicator) => indicator.critical === true);
    const other = section.indicators.filter((indicator) => indicator.critical !== true);
    expect(core.length).toBeGreaterThan(0);
    expect(other.length).toBeGreaterThan(0);
    const lead = await s.login(s.lead);
    const page = (await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`)).text;
    for (const indicator of core) {
      const block = indicatorBlock(page, indicator.id);
      expect(block).toContain(`<p class="core-element" id="core-${indicator.id}"><strong class="badge">${SHIPPED_CORE_NOTE}</p>`);
      // The score's radio group is described by the tag, so a screen reader hears it with the choices.
      expect(block).toContain(`<fieldset class="choices" aria-describedby="core-${indicator.id}">`);
    }
    for (const indicator of other) {
      const block = indicatorBlock(page, indicator.id);
      expect(block).not.toContain('Kärnkomponent');
      expect(block).toContain('<fieldset class="choices">');
    }
    const english = (await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}?lang=en`)).text;
    expect(indicatorBlock(english, core[0]?.id ?? '')).toContain(
      'Core element</strong> – a score of 1 limits the level to at most Partial fidelity; 2 or more core elements at the lowest level limit it to at most Low fidelity.</p>',
    );
  });

  it('when the rubric has other caps and scales, then the tag reads them from that rubric', async () => {
    const app = makeTestApp({ rubrics: loadTestRubrics([SHIPPED_RUBRIC_FILE, MINI_RUBRIC_FILE, CAPPED_FILE]) });
    const s = await createReviewScenario({ app, rubricId: 'capped-mix' });
    startRating(s);
    for (const rater of [s.lead, s.reviewerA]) rateAndSubmit(s, rater.id, (min) => min + 1);
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    const lead = await s.login(s.lead);
    // k1-lease is on a 0–2 scale: the lowest level is 0; the second cap counts two core elements at 1 or lower.
    const k1 = (await lead.get(`/reviews/${s.reviewId}/consensus/k1-housing`)).text;
    expect(indicatorBlock(k1, 'k1-lease')).toContain(
      'Kärnkomponent</strong> – poäng 0 begränsar nivån till högst Godkänd; 2 eller fler kärnkomponenter på 1 eller lägre begränsar den till högst Svag.</p>',
    );
    // m1-caseload is on a 1–5 scale: its lowest level, 1, is also "1 or lower".
    const m1 = (await lead.get(`/reviews/${s.reviewId}/consensus/m1-method`)).text;
    expect(indicatorBlock(m1, 'm1-caseload')).toContain(
      'Kärnkomponent</strong> – poäng 1 begränsar nivån till högst Godkänd; 2 eller fler kärnkomponenter på 1 eller lägre begränsar den till högst Svag.</p>',
    );
    expect(indicatorBlock(m1, 'm1-plan')).not.toContain('Kärnkomponent');
  });

  it('when the section list is shown, then each section names its core elements and the page says what they do to the level', async () => {
    const s = await createScenarioInConsensus();
    const reviewer = await s.login(s.reviewerA);
    const page = (await reviewer.get(`/reviews/${s.reviewId}/consensus`)).text;
    expect(page).toContain(
      'Ett högt medelvärde kan inte väga upp kärnkomponenterna: en kärnkomponent på lägsta nivån begränsar nivån till högst Delvis modelltrohet; 2 eller fler kärnkomponenter på lägsta nivån begränsar den till högst Låg modelltrohet.',
    );
    const rowOf = (code: string) => {
      const start = page.indexOf(`>${code} `);
      return page.slice(start, page.indexOf('</tr>', start));
    };
    expect(rowOf('A1')).toContain('<span class="core-element">Kärnkomponenter: A1.1, A1.2, A1.3</span>');
    expect(rowOf('B2')).toContain('<span class="core-element">Kärnkomponent: B2.1</span>');
    expect(rowOf('A2')).not.toContain('Kärnkomponent');
    const english = (await reviewer.get(`/reviews/${s.reviewId}/consensus?lang=en`)).text;
    expect(english).toContain('Core elements: A1.1, A1.2, A1.3');
    expect(english).toContain('A high average cannot make up for the core elements: one core element at the lowest level limits the level');
  });

  it('when the rubric has no core elements, then neither page mentions them', async () => {
    const s = await createScenarioInConsensus({ rubricId: 'mini-five' });
    const lead = await s.login(s.lead);
    const list = (await lead.get(`/reviews/${s.reviewId}/consensus`)).text;
    const section = (await lead.get(`/reviews/${s.reviewId}/consensus/${s.rubric.sections[0]?.id}`)).text;
    for (const html of [list, section]) expect(html).not.toContain('Kärnkomponent');
  });
});

describe('the decided level for those following read-only', () => {
  it('when a panel member who is not the lead opens a section, then each decision shows its level with the anchor text', async () => {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    const [scored, withRationale] = section?.indicators ?? [];
    if (!section || !scored || !withRationale) throw new Error('missing');
    const anchor = (indicator: RubricIndicator, level: number) => indicator.scale.anchors[String(level)];
    s.reviews.saveConsensus(s.reviewId, { indicatorId: scored.id, score: 1, notApplicable: false, rationale: '' }, s.lead.id);
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: withRationale.id, score: 3, notApplicable: false, rationale: 'Enligt aktgranskningen.' },
      s.lead.id,
    );
    const reviewer = await s.login(s.reviewerA);
    const page = (await reviewer.get(`/reviews/${s.reviewId}/consensus/${section.id}`)).text;
    expect(page).not.toContain('id="consensus-form"');
    expect(indicatorBlock(page, scored.id)).toContain(
      `<p class="decided-level"><strong>Konsensuspoäng:</strong> 1 – ${anchor(scored, 1)?.sv}</p>`,
    );
    const second = indicatorBlock(page, withRationale.id);
    expect(second).toContain(`<p class="decided-level"><strong>Konsensuspoäng:</strong> 3 – ${anchor(withRationale, 3)?.sv}</p>`);
    expect(second).toContain('<strong>Motivering:</strong> Enligt aktgranskningen.');
    const english = (await reviewer.get(`/reviews/${s.reviewId}/consensus/${section.id}?lang=en`)).text;
    expect(indicatorBlock(english, scored.id)).toContain(`<strong>Consensus score:</strong> 1 – ${anchor(scored, 1)?.en}</p>`);
  });

  it('when an indicator was decided not applicable, then the reader sees that, with no anchor', async () => {
    const s = await createScenarioInConsensus({ rubricId: 'mini-five' });
    const section = s.rubric.sections[0];
    const indicator = section?.indicators.find((candidate) => candidate.scale.allow_na && candidate.required !== true);
    if (!section || !indicator) throw new Error('the mini rubric needs an indicator that allows N/A');
    s.reviews.saveConsensus(s.reviewId, { indicatorId: indicator.id, score: null, notApplicable: true, rationale: '' }, s.lead.id);
    const reviewer = await s.login(s.reviewerB);
    const page = (await reviewer.get(`/reviews/${s.reviewId}/consensus/${section.id}`)).text;
    expect(indicatorBlock(page, indicator.id)).toContain('<p class="decided-level"><strong>Konsensuspoäng:</strong> Ej tillämplig</p>');
  });
});

describe('the next step after the consensus', () => {
  it('when the lead reaches the last section, then it links to the overall judgement and to check and finalise; earlier sections do not', async () => {
    const s = await createScenarioInConsensus();
    const sections = s.rubric.sections;
    const last = sections[sections.length - 1];
    const first = sections[0];
    if (!last || !first) throw new Error('missing');
    const lead = await s.login(s.lead);
    const page = (await lead.get(`/reviews/${s.reviewId}/consensus/${last.id}`)).text;
    const step = page.slice(
      page.indexOf('<section class="next-step"'),
      page.indexOf('</section>', page.indexOf('<section class="next-step"')),
    );
    expect(step).toContain('<h2 id="h-next-step">Nästa steg</h2>');
    expect(step).toContain('Det här är det sista avsnittet.');
    expect(step).toContain(`<a href="/reviews/${s.reviewId}/judgement">Samlad bedömning</a>`);
    expect(step).toContain(`<a href="/reviews/${s.reviewId}/finalise">Kontrollera och slutför</a>`);
    expect((await lead.get(`/reviews/${s.reviewId}/consensus/${first.id}`)).text).not.toContain('class="next-step"');
    // Those following read-only cannot take these steps: no links for them.
    const reviewer = await s.login(s.reviewerA);
    const theirs = (await reviewer.get(`/reviews/${s.reviewId}/consensus/${last.id}`)).text;
    expect(theirs).not.toContain('class="next-step"');
    expect(theirs).not.toContain(`/reviews/${s.reviewId}/finalise"`);
  });

  it('when every indicator is decided, then the section list says what comes next, with the links the viewer may use', async () => {
    const s = await createScenarioInConsensus();
    const lead = await s.login(s.lead);
    const before = (await lead.get(`/reviews/${s.reviewId}/consensus`)).text;
    expect(before).not.toContain('class="next-step"');
    decideAll(s);
    const page = (await lead.get(`/reviews/${s.reviewId}/consensus`)).text;
    const total = listIndicators(s.rubric).length;
    expect(page).toContain(`${total} av ${total} indikatorer har konsensus`);
    expect(page).toContain(
      'Alla indikatorer har konsensus. Nästa steg är panelens samlade bedömning och sedan kontrollen innan granskningen slutförs.',
    );
    expect(page).toContain(`<li><a href="/reviews/${s.reviewId}/judgement">Samlad bedömning</a></li>`);
    expect(page).toContain(`<li><a href="/reviews/${s.reviewId}/finalise">Kontrollera och slutför</a></li>`);
    const reviewer = await s.login(s.reviewerB);
    const theirs = (await reviewer.get(`/reviews/${s.reviewId}/consensus`)).text;
    expect(theirs).toContain('Alla indikatorer har konsensus. Nu återstår att granskningsledaren (ordföranden) slutför.');
    expect(theirs).not.toContain(`/reviews/${s.reviewId}/judgement"`);
    expect(theirs).not.toContain(`/reviews/${s.reviewId}/finalise"`);
    const english = (await lead.get(`/reviews/${s.reviewId}/consensus?lang=en`)).text;
    expect(english).toContain('Every indicator has a consensus. Next come the panel’s overall judgement');
    expect(english).toContain('>Check and finalise</a>');
  });

  it('when the review is final, then the section list offers no next step', async () => {
    const s = await createScenarioInConsensus();
    decideAll(s);
    expect(s.reviews.transition(s.reviewId, 'consensus', 'final')).toBe(true);
    const lead = await s.login(s.lead);
    expect((await lead.get(`/reviews/${s.reviewId}/consensus`)).text).not.toContain('class="next-step"');
  });
});

describe('the skip link of a consensus section page', () => {
  it('when some indicators are decided, then the skip link leads past the header to the first undecided one shown', async () => {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    const [first, second] = section?.indicators ?? [];
    if (!section || !first || !second) throw new Error('missing');
    const lead = await s.login(s.lead);
    const before = (await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`)).text;
    const firstShown = /id="ind-([^"]+)"/.exec(before)?.[1];
    expect(before).toContain(`<a class="skip-link" href="#h-${firstShown}">Hoppa till första indikatorn utan konsensus</a>`);
    // Decide the first indicator the page shows: the link moves on to the next one without a consensus.
    const decided = section.indicators.find((indicator) => indicator.id === firstShown);
    if (!decided) throw new Error('missing');
    const input = { indicatorId: decided.id, score: decided.scale.max, notApplicable: false, rationale: 'Panelen enades.' };
    expect(s.reviews.saveConsensus(s.reviewId, input, s.lead.id).outcome).toBe('saved');
    const after = (await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`)).text;
    const target = /<a class="skip-link" href="#h-([^"]+)">/.exec(after)?.[1];
    expect(target).toBeDefined();
    expect(target).not.toBe(decided.id);
    expect(after).toContain(`id="h-${target}"`);
  });
});
