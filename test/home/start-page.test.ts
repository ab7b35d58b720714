// The start page of a program's people: the action plan line counts the open actions of every round (not only the
// latest, and says so when there are several), and how many of them are overdue; it leaves out actions whose
// recommendation was withdrawn, and says how many recommendations have no action yet, linking to the plan where they
// can be made.
import { describe, expect, it } from 'vitest';
import { createPeerReview, createProgramScenario, finalisePeerReview, type ProgramScenario } from '../helpers/program-scenario.js';

const RECOMMENDATIONS = {
  'c1-first': ['Skriv ner rutinen för alfa.', 'Följ upp beta varje månad.'],
  'c2-second': ['Utbilda all personal i gamma.'],
};

/** The action plan's line of the start page's "My programs" part. */
async function actionLine(s: ProgramScenario, person: ProgramScenario['lead'] = s.programLead, query = ''): Promise<string> {
  const agent = await s.login(person);
  const response = await agent.get(`/${query}`);
  expect(response.status).toBe(200);
  const match = new RegExp(`<li><a href="/programs/${s.programId}/actions">[^<]*</a>:[\\s\\S]*?</li>`).exec(response.text);
  if (!match) throw new Error('no action plan line on the start page');
  return match[0];
}

/** The plan of a final review made through the store; the actions in the order of the recommendations. */
function makePlan(s: ProgramScenario, reviewId: number): number[] {
  expect(s.services.actionPlans.createPlan(reviewId, s.programLead.id)).toMatchObject({ outcome: 'created' });
  return s.actions.listActionsOfReview(reviewId).map((action) => action.id);
}

function setStatus(s: ProgramScenario, id: number, status: 'in_progress' | 'done', dueOn?: string): void {
  const version = s.actions.findAction(id)?.version ?? 0;
  expect(
    s.actions.updateAction(id, { ownerUserId: undefined, ownerName: 'Kim', dueOn, status, expectedVersion: version }, s.programLead.id),
  ).toBe('saved');
}

describe('the start page’s action plan', () => {
  it('when a final review has recommendations and no plan, then it says how many lack an action and links to the plan', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, RECOMMENDATIONS);
    const line = await actionLine(s);
    expect(line).toContain('0 åtgärder pågår eller har inte påbörjats');
    expect(line).toContain(`<a href="/programs/${s.programId}/actions?review=${s.reviewId}">3 rekommendationer saknar åtgärd</a>`);
    expect(line).not.toContain('försenad');
    expect(await actionLine(s, s.staff)).toContain('3 rekommendationer saknar åtgärd');
    expect(await actionLine(s, s.programLead, '?lang=en')).toContain('3 recommendations have no action');

    // Once the plan is made, nothing lacks an action and the actions are counted.
    const [first] = makePlan(s, s.reviewId);
    setStatus(s, first ?? 0, 'in_progress', '2020-01-31');
    const planned = await actionLine(s);
    expect(planned).not.toContain('saknar åtgärd');
    // The overdue action is one of the open ones: "varav", not a second count beside them. One round: no scope named.
    expect(planned).toContain(
      `3 åtgärder pågår eller har inte påbörjats, <strong class="badge badge--rating"><span aria-hidden="true">⚠ </span><a href="/programs/${s.programId}/actions#overdue">varav 1 försenad</a></strong>`,
    );
    const english = await actionLine(s, s.programLead, '?lang=en');
    expect(english).toContain('3 actions in progress or not started,');
    expect(english).toContain('>1 of them overdue</a>');
  });

  it('when a new round is final, then the open and overdue actions of the earlier round are still counted', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, RECOMMENDATIONS);
    const [alfa, beta] = makePlan(s, s.reviewId);
    setStatus(s, alfa ?? 0, 'in_progress', '2020-01-31');
    setStatus(s, beta ?? 0, 'done');

    const nextRound = createPeerReview(s, '2027-03-01', 'mini-five');
    finalisePeerReview(s, nextRound, (min) => min + 2, { 'c1-first': ['Mät hur länge hyresgästerna bor kvar.'] });
    const line = await actionLine(s);
    // Alfa (overdue) and gamma are still open from the first round; the new round has no plan yet. The plan page
    // opens on the new round and counts only its actions, so this count says it covers every round.
    expect(line).toContain('2 åtgärder från alla omgångar pågår eller har inte påbörjats, ');
    expect(line).toContain('>varav 1 försenad</a>');
    expect(await actionLine(s, s.programLead, '?lang=en')).toContain(
      '2 actions from all rounds are in progress or not started, <strong class="badge badge--rating"><span aria-hidden="true">⚠ </span>',
    );
    expect(line).toContain(
      `<a href="/programs/${s.programId}/actions?review=${nextRound}">1 rekommendation saknar åtgärd (granskningen 1 mars 2027)</a>`,
    );
    expect(line).not.toContain(`?review=${s.reviewId}`);
    expect(await actionLine(s, s.programLead, '?lang=en')).toContain('1 recommendation has no action (the review of 1 March 2027)');

    makePlan(s, nextRound);
    const planned = await actionLine(s);
    expect(planned).toContain('3 åtgärder från alla omgångar pågår eller har inte påbörjats');
    expect(planned).toContain('varav 1 försenad');
    expect(planned).not.toContain('saknar åtgärd');
  });

  it('when a reopened review withdrew a recommendation, then its action is not counted, and one open action reads in the singular', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, RECOMMENDATIONS);
    const [alfa, beta, gamma] = makePlan(s, s.reviewId);
    setStatus(s, alfa ?? 0, 'in_progress', '2020-01-31');
    setStatus(s, beta ?? 0, 'done');
    setStatus(s, gamma ?? 0, 'done');

    // Reopened: alfa is dropped from the result, so its open, overdue action is withdrawn; a new recommendation comes in.
    expect(s.reviews.reopenReview(s.reviewId, s.admin.id, 'Rekommendationerna i C1 ses över.')).toBe(true);
    s.reviews.replaceFindings(
      s.reviewId,
      [
        { sectionId: 'c1-first', strengths: [], recommendations: ['Följ upp beta varje månad.', 'Mät hur länge hyresgästerna bor kvar.'] },
        { sectionId: 'c2-second', strengths: [], recommendations: RECOMMENDATIONS['c2-second'] },
      ],
      s.lead.id,
    );
    expect(s.reviews.transition(s.reviewId, 'consensus', 'final')).toBe(true);
    const line = await actionLine(s);
    expect(line).toContain('0 åtgärder pågår eller har inte påbörjats');
    expect(line).not.toContain('försenad');
    expect(line).toContain('>1 rekommendation saknar åtgärd</a>');

    // The plan made again gives the new recommendation its action: one open action, in the singular.
    makePlan(s, s.reviewId);
    const planned = await actionLine(s);
    expect(planned).toContain('1 åtgärd pågår eller har inte påbörjats');
    expect(planned).not.toContain('saknar åtgärd');
    expect(await actionLine(s, s.programLead, '?lang=en')).toContain('1 action in progress or not started');
  });
});
