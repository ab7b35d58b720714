// The gap view as a project leader reads it on a phone before the peer review: a summary first (how many indicators are
// below the top score, the core elements below it, the largest differences), the sections' table as the contents, each
// section's indicators below the top as rows and the rest folded away, and a filter link that shows only those below
// the top. Whatever is folded or filtered, every indicator below the top score stays on the page.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createProgramScenario, finalisePeerReview, finaliseSelfAssessment } from '../helpers/program-scenario.js';

type Pick = (min: number, max: number, index: number) => number | 'na';

/**
 * The panel gives every third indicator one below the top and the first indicator that may be N/A "ej tillämplig";
 * the program gives itself the top everywhere but every fifth indicator, which it puts at the scale's minimum.
 */
async function createGapScenario() {
  const s = await createProgramScenario();
  const indicators = listIndicators(s.rubric);
  const naIndex = indicators.findIndex(({ indicator }) => indicator.scale.allow_na && !indicator.critical);
  const peer: Pick = (min, max, index) => (index === naIndex ? 'na' : index % 3 === 0 ? Math.max(min, max - 1) : max);
  const self: Pick = (min, max, index) => (index % 5 === 0 ? min : max);
  finalisePeerReview(s, s.reviewId, peer);
  const selfId = finaliseSelfAssessment(s, self);
  const compared = indicators
    .map(({ section, indicator }, index) => {
      const { min, max } = indicator.scale;
      const [selfScore, peerScore] = [self(min, max, index), peer(min, max, index)];
      return { section, indicator, selfScore, peerScore, bothAtTop: selfScore === max && peerScore === max };
    })
    .filter((item) => item.peerScore !== 'na');
  return { ...s, selfId, compared, notApplicable: indicators[naIndex]?.indicator };
}

/** The part of a page from one marker up to another. */
function between(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  const end = html.indexOf(to, start);
  if (start < 0 || end < 0) throw new Error(`no part between ${from} and ${to}`);
  return html.slice(start, end);
}

const SUMMARY = ['<h2 id="summary">', '<nav aria-labelledby="gap-contents">'] as const;

describe('GET /programs/:id/gap: the summary at the top', () => {
  it('when the program and the panel differ, then the page leads with the count below the top score, the core elements below it and the largest differences, each linking to its row', async () => {
    const s = await createGapScenario();
    const belowTop = s.compared.filter((item) => !item.bothAtTop);
    const lead = await s.login(s.programLead);
    const page = (await lead.get(`/programs/${s.programId}/gap`)).text;
    const summary = between(page, ...SUMMARY);
    expect(summary).toContain(`${belowTop.length} av ${s.compared.length} jämförda indikatorer ligger under högsta poäng`);
    expect(summary).toContain(`${s.compared.length - belowTop.length} har högsta poäng i båda.`);
    // The core elements below the top, each with both scores and a link to its row; none at the top in both.
    const core = s.compared.filter((item) => item.indicator.critical);
    const coreBelowTop = core.filter((item) => !item.bothAtTop);
    expect(coreBelowTop.length).toBeGreaterThan(0);
    expect(core.length).toBeGreaterThan(coreBelowTop.length);
    const coreList = between(summary, '<h3 id="summary-core">Kärnkomponenter under högsta poäng</h3>', '<h3 id="summary-largest">');
    for (const item of core) {
      expect(coreList.includes(`href="#gap-ind-${item.indicator.id}"`), item.indicator.id).toBe(!item.bothAtTop);
    }
    const first = coreBelowTop[0];
    expect(coreList).toContain(`självskattningen ${first?.selfScore}, granskningen ${first?.peerScore} (skala 1–4)`);
    // The largest differences: five, the program's minimum against the panel's top (−3 on 1–4), each a link to its row.
    const largest = between(summary, '<h3 id="summary-largest">Störst skillnad mellan självskattning och granskning</h3>', '</ol>');
    const targets = [...largest.matchAll(/href="#(gap-ind-[^"]+)"/g)].map((match) => match[1]);
    expect(targets).toHaveLength(5);
    expect(largest).toContain('−3 <span class="muted">självskattningen lägre</span>');
    for (const target of targets) expect(page).toContain(`<tr role="row" id="${target}">`);
    // All of it before the first section's indicators.
    expect(page.indexOf('<h2 id="summary">')).toBeLessThan(page.indexOf('<h2 id="indicators">'));

    const english = between((await lead.get(`/programs/${s.programId}/gap?lang=en`)).text, ...SUMMARY);
    expect(english).toContain(`${belowTop.length} of ${s.compared.length} compared indicators are below the top score`);
    expect(english).toContain('<h3 id="summary-core">Core elements below the top score</h3>');
    expect(english).toContain('<h3 id="summary-largest">Largest differences between self-assessment and review</h3>');
    expect(english).toContain(`self-assessment ${first?.selfScore}, review ${first?.peerScore} (scale 1–4)`);
  });

  it('when every compared indicator has the top score in both, then the summary says so and nothing is listed below the top', async () => {
    const s = await createProgramScenario();
    finalisePeerReview(s, s.reviewId, (_min, max) => max);
    finaliseSelfAssessment(s, (_min, max) => max);
    const lead = await s.login(s.programLead);
    const page = (await lead.get(`/programs/${s.programId}/gap`)).text;
    const summary = between(page, ...SUMMARY);
    expect(summary).toContain('Alla 70 jämförda indikatorer har högsta poäng i både självskattningen och granskningen.');
    expect(summary).toContain('Alla jämförda kärnkomponenter har högsta poäng i båda.');
    expect(summary).toContain('Självskattningen och granskningen har samma poäng på alla jämförda indikatorer.');
    expect(page).not.toContain('<tr role="row" id="gap-ind-');
    expect(page).toContain('Ingen indikator i avsnittet ligger under högsta poäng.');
  });
});

describe('GET /programs/:id/gap: one indicator at the top in both', () => {
  it('when exactly one compared indicator has the top score in both, then the summary says so in the singular', async () => {
    const s = await createProgramScenario();
    // Everything one below the top but the first indicator, which both give the top.
    const onlyFirstAtTop: Pick = (min, max, index) => (index === 0 ? max : Math.max(min, max - 1));
    finalisePeerReview(s, s.reviewId, onlyFirstAtTop);
    finaliseSelfAssessment(s, onlyFirstAtTop);
    const lead = await s.login(s.programLead);
    const summary = between((await lead.get(`/programs/${s.programId}/gap`)).text, ...SUMMARY);
    expect(summary).toContain('1 har högsta poäng i båda.');
    const english = between((await lead.get(`/programs/${s.programId}/gap?lang=en`)).text, ...SUMMARY);
    expect(english).toContain('1 has the top score in both.');
    expect(english).not.toContain('1 have');
  });
});

describe('GET /programs/:id/gap: the contents', () => {
  it('links each section in the sections’ table to its indicators, with the number below the top score, and the page’s parts from the contents list', async () => {
    const s = await createGapScenario();
    const lead = await s.login(s.programLead);
    for (const [lang, heading, belowTopLabel] of [
      ['sv', 'Innehåll', 'Under högsta poäng'],
      ['en', 'Contents', 'Below the top score'],
    ] as const) {
      const page = (await lead.get(`/programs/${s.programId}/gap?lang=${lang}`)).text;
      const contents = between(page, '<nav aria-labelledby="gap-contents">', '</nav>');
      expect(contents).toContain(`<h2 id="gap-contents">${heading}</h2>`);
      for (const target of ['levels', 'sections', 'indicators', 'uncompared']) {
        expect(contents).toContain(`href="#${target}"`);
        expect(page).toContain(`<h2 id="${target}">`);
      }
      const table = between(page, '<h2 id="sections">', '</table>');
      for (const section of s.rubric.sections) {
        const count = s.compared.filter((item) => item.section.id === section.id && !item.bothAtTop).length;
        const row = between(table, `<a href="#gap-${section.id}">`, '</tr>');
        expect(row, section.id).toContain(`data-label="${belowTopLabel}">${count}</td>`);
        expect(page).toContain(`<h3 id="gap-${section.id}">${section.code} `);
      }
    }
  });
});

describe('GET /programs/:id/gap?below_top=1: the filter', () => {
  it('shows only the indicators below the top score, says how many are hidden and links back; without it they are folded away', async () => {
    const s = await createGapScenario();
    // A second self-assessment, so the page has the form choosing one: the filter stays on when another is chosen.
    const olderId = finaliseSelfAssessment(s, (_min, max) => max, '2025-10-01');
    const atTop = s.compared.filter((item) => item.bothAtTop);
    const belowTop = s.compared.filter((item) => !item.bothAtTop);
    const lead = await s.login(s.programLead);
    const base = `/programs/${s.programId}/gap`;

    const all = (await lead.get(`${base}?self=${s.selfId}`)).text;
    const filterLink = `<a href="${base}?self=${s.selfId}&amp;below_top=1">Visa bara indikatorer under högsta poäng</a>`;
    expect(all).toContain(filterLink);
    expect(all).toContain('<details class="gap-at-top">');
    expect(all).toContain('Indikatorer med högsta poäng i båda visas hopfällda sist i varje avsnitt.');
    expect(all).not.toContain('name="below_top"');

    const filtered = (await lead.get(`${base}?self=${s.selfId}&below_top=1`)).text;
    expect(filtered).not.toContain(filterLink);
    expect(filtered).toContain(`<a href="${base}?self=${s.selfId}">Visa alla jämförda indikatorer</a>`);
    expect(filtered).toContain(
      `Bara de ${belowTop.length} indikatorer som ligger under högsta poäng visas; ${atTop.length} med högsta poäng i båda är dolda.`,
    );
    expect(filtered).not.toContain('<details class="gap-at-top">');
    expect(filtered).not.toContain('visas hopfällda');
    for (const item of atTop) expect(filtered).not.toContain(`id="gap-ind-${item.indicator.id}"`);
    expect(filtered).toContain('<input type="hidden" name="below_top" value="1">');
    // The other self-assessment, chosen through the form, keeps the filter: at the top everywhere, it leaves the
    // panel's scores below the top.
    const other = (await lead.get(`${base}?self=${olderId}&below_top=1`)).text;
    expect(other).toContain(`<option value="${olderId}" selected>`);
    const panelBelowTop = s.compared.filter((item) => item.peerScore !== item.indicator.scale.max).length;
    expect(other).toContain(`Bara de ${panelBelowTop} indikatorer som ligger under högsta poäng visas`);
    expect(other).toContain(`<a href="${base}?self=${olderId}">Visa alla jämförda indikatorer</a>`);

    const english = (await lead.get(`${base}?self=${s.selfId}&lang=en`)).text;
    expect(english).toContain(`<a href="${base}?self=${s.selfId}&amp;below_top=1">Show only indicators below the top score</a>`);
    expect(english).toContain(`${atTop.filter((item) => item.section.id === s.rubric.sections[0]?.id).length} with the top score in both`);
    const englishFiltered = (await lead.get(`${base}?self=${s.selfId}&below_top=1&lang=en`)).text;
    expect(englishFiltered).toContain(`<a href="${base}?self=${s.selfId}">Show every compared indicator</a>`);
    expect(englishFiltered).toContain(
      `Only the ${belowTop.length} indicators below the top score are shown; ${atTop.length} with the top score in both are hidden.`,
    );

    // Any other value of the filter shows everything, as without it.
    const odd = (await lead.get(`${base}?self=${s.selfId}&below_top=yes`)).text;
    expect(odd).toContain('<details class="gap-at-top">');
    expect(odd).toContain(filterLink);
  });
});

describe('GET /programs/:id/gap: nothing is lost', () => {
  it('shows every indicator below the top score as a row in both views, folds the others without dropping them, and keeps the uncompared list', async () => {
    const s = await createGapScenario();
    const lead = await s.login(s.programLead);
    const all = (await lead.get(`/programs/${s.programId}/gap`)).text;
    const filtered = (await lead.get(`/programs/${s.programId}/gap?below_top=1`)).text;
    for (const item of s.compared) {
      const row = `<tr role="row" id="gap-ind-${item.indicator.id}">`;
      if (item.bothAtTop) {
        expect(all).not.toContain(row);
        const folded = between(all, `<h3 id="gap-${item.section.id}">`, '</section>');
        expect(between(folded, '<details class="gap-at-top">', '</details>')).toContain(`<li id="gap-ind-${item.indicator.id}">`);
      } else {
        expect(all, item.indicator.id).toContain(row);
        expect(filtered, item.indicator.id).toContain(row);
        // In its own section's part.
        expect(between(all, `<h3 id="gap-${item.section.id}">`, '</section>')).toContain(row);
      }
    }
    // Every link of the summary and the sections' table leads somewhere on the filtered page too.
    for (const [, target] of filtered.matchAll(/href="#([^"]+)"/g)) expect(filtered, target).toContain(`id="${target}"`);
    for (const [, target] of all.matchAll(/href="#([^"]+)"/g)) expect(all, target).toContain(`id="${target}"`);
    // The indicator the panel found not applicable is listed as not compared, in both views.
    for (const page of [all, filtered]) {
      expect(between(page, '<h2 id="uncompared">', '</ul>')).toContain(
        `${s.notApplicable?.text.sv} <span class="muted">(ej tillämplig)</span>`,
      );
    }
  });
});
