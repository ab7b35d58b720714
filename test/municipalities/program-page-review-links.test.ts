// The program page links a review only for those who may open it (review-access.ts): the program's own people are not
// on the panel of a peer review in progress, so they see it named with its kind, status and visit dates, but no link
// that would end in a 404. Once final, its result is for everyone logged in.
import { describe, expect, it } from 'vitest';
import { startRating } from '../helpers/review-scenario.js';
import { createProgramScenario, finalisePeerReview, type ProgramScenario } from '../helpers/program-scenario.js';

/** The body rows of the reviews table, first to last (later tables on the page may follow). */
function reviewRows(html: string): string[] {
  const table = html.slice(html.indexOf('<caption>Granskningar</caption>'));
  return [...table.matchAll(/<tr role="row">\s*<th role="rowheader" scope="row">[\s\S]*?<\/tr>/g)].map((match) => match[0]);
}

async function programPage(s: ProgramScenario, person: ProgramScenario['lead'], query = ''): Promise<string> {
  const agent = await s.login(person);
  const response = await agent.get(`/programs/${s.programId}${query}`);
  expect(response.status).toBe(200);
  return response.text;
}

const HINT = 'En granskning utan länk pågår och kan bara öppnas av dem som genomför den.';

describe('GET /programs/:id: links to the program’s reviews', () => {
  it('when a peer review is a draft, then the program lead sees its kind, status and visit dates but no link, and the review is indeed closed to them', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    const html = await programPage(s, s.programLead);
    expect(html).not.toContain(`href="/reviews/${s.reviewId}"`);
    expect(html).not.toContain(`href="/reviews/${s.reviewId}/result"`);
    const [row] = reviewRows(html);
    expect(row).toContain('<th role="rowheader" scope="row">Kollegial granskning</th>');
    expect(row).toContain('<span class="badge badge--draft">Utkast</span>');
    expect(row).toContain('2026-03-02 – 2026-03-03');
    expect(html).toContain(HINT);
    // The link the page used to give: not one the program lead may follow.
    expect((await (await s.login(s.programLead)).get(`/reviews/${s.reviewId}`)).status).toBe(404);

    const english = await programPage(s, s.programLead, '?lang=en');
    expect(english).toContain('<th role="rowheader" scope="row">Peer review</th>');
    expect(english).toContain('A review without a link is in progress and can be opened only by those carrying it out.');
  });

  it('when a peer review is being rated, then the program’s staff see it without a link, with its dates', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    startRating(s);
    for (const person of [s.programLead, s.staff]) {
      const html = await programPage(s, person);
      expect(html).not.toContain(`href="/reviews/${s.reviewId}`);
      const [row] = reviewRows(html);
      expect(row).toContain('badge--rating');
      expect(row).toContain('2026-03-02 – 2026-03-03');
    }
  });

  it('when a peer review is in progress, then a coordinator and a panel member still get the link to its overview', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    startRating(s);
    for (const person of [s.coordinator, s.reviewerA]) {
      const html = await programPage(s, person);
      expect(html).toContain(`<th role="rowheader" scope="row"><a href="/reviews/${s.reviewId}">Kollegial granskning</a></th>`);
      expect(html).not.toContain(HINT);
      expect((await (await s.login(person)).get(`/reviews/${s.reviewId}`)).status).toBe(200);
    }
  });

  it('when the peer review is final, then it links to its result for the program lead, and the result opens', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1);
    const html = await programPage(s, s.programLead);
    expect(html).toContain(`<th role="rowheader" scope="row"><a href="/reviews/${s.reviewId}/result">Kollegial granskning</a></th>`);
    expect(html).not.toContain(HINT);
    expect((await (await s.login(s.programLead)).get(`/reviews/${s.reviewId}/result`)).status).toBe(200);
  });
});
