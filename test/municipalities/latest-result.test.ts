// The result is where people look. The municipality list and the program page show the latest
// level, figure and date; the report PDF is one click from the program page and the result page; a program lead's
// start page shows their program's latest result, its open and overdue actions and when the next review is due,
// instead of "Du ingår inte i någon granskningspanel".
import { describe, expect, it } from 'vitest';
import { createPeerReview, createProgramScenario, finalisePeerReview, type ProgramScenario } from '../helpers/program-scenario.js';

/**
 * Finalised on the last day of the visit (3 March 2026), so the next review counts from the visit (a later
 * finalisation would move it: see test/reports/report-follow-up.test.ts), whatever day the test runs.
 */
function finaliseOnVisitDay(s: ProgramScenario, reviewId: number): void {
  s.db.prepare('UPDATE reviews SET finalised_at = ? WHERE id = ?').run('2026-03-03T15:00:00.000Z', reviewId);
}

describe('the latest result where people look', () => {
  it('when a program has a final peer review, then the municipality list and the program page show its level, figure and date', async () => {
    const s = await createProgramScenario();
    finalisePeerReview(s, s.reviewId, (_min, max) => max);
    finaliseOnVisitDay(s, s.reviewId);
    const reader = await s.login(s.outsider);

    const list = await reader.get('/municipalities');
    expect(list.status).toBe(200);
    // A table: the date as tables write it (ux.md §8).
    expect(list.text).toContain(
      `<a href="/reviews/${s.reviewId}/result">Bostad först Stockholm: Hög modelltrohet, 100\u00a0% av maxpoängen (2026-03-02)</a>`,
    );

    // The municipality's page names the program with its latest result too, and each page of the program's own work.
    const municipality = await reader.get('/municipalities/0180');
    expect(municipality.text).toContain(
      `<a href="/reviews/${s.reviewId}/result">Hög modelltrohet, 100\u00a0% av maxpoängen (2026-03-02)</a>`,
    );
    const lead = await s.login(s.programLead);
    for (const path of [
      `/programs/${s.programId}/actions`,
      `/programs/${s.programId}/outcomes`,
      `/programs/${s.programId}/self-assessments`,
      `/programs/${s.programId}/readiness/mini-five`,
    ]) {
      const page = await lead.get(path);
      expect(page.status, path).toBe(200);
      expect(page.text, path).toContain(
        `<p class="latest-line">Senaste resultat: <a href="/reviews/${s.reviewId}/result">Hög modelltrohet, 100\u00a0% av maxpoängen (2 mars 2026)</a>`,
      );
    }

    const program = await reader.get(`/programs/${s.programId}`);
    expect(program.text).toContain('<dt>Nivå av modelltrohet</dt><dd><strong>Hög modelltrohet</strong></dd>');
    expect(program.text).toContain('<dd>100\u00a0%</dd>');
    expect(program.text).toContain('<dd>2 mars 2026</dd>');
    // High fidelity: the next review 12 months after the visit (which ended 3 March 2026).
    expect(program.text).toContain('<dt>Nästa granskning</dt><dd>senast 3 mars 2027</dd>');
    expect(program.text).toContain(`href="/reviews/${s.reviewId}/result"`);
    expect(program.text).toContain('href="/municipalities/0180/report.pdf"');
    const english = await reader.get(`/programs/${s.programId}?lang=en`);
    expect(english.text).toContain('<dd><strong>High fidelity</strong></dd>');
    expect(english.text).toContain('<dd>2 March 2026</dd>');
    expect(english.text).toContain('Download the report (PDF)');
    // Beside a level, a bare percentage reads as "78 % fidelity": it is the share of the maximum score.
    expect((await lead.get(`/programs/${s.programId}/actions?lang=en`)).text).toContain(
      `<a href="/reviews/${s.reviewId}/result">High fidelity, 100% of the maximum score (2 March 2026)</a>`,
    );
  });

  it('when a program has no final peer review yet, then its page says so and offers no report', async () => {
    const s = await createProgramScenario();
    const reader = await s.login(s.outsider);
    const program = await reader.get(`/programs/${s.programId}`);
    expect(program.text).toContain('Ingen slutförd granskning ännu.');
    expect(program.text).not.toContain('report.pdf');
    expect((await reader.get('/municipalities')).text).toContain('Ingen slutförd granskning ännu.');
  });

  it('when a later round is final, then the program page shows the later one', async () => {
    const s = await createProgramScenario();
    finalisePeerReview(s, s.reviewId, (_min, max) => max);
    const later = createPeerReview(s, '2027-02-01');
    finalisePeerReview(s, later, (min) => min);
    const program = await (await s.login(s.outsider)).get(`/programs/${s.programId}`);
    expect(program.text).toContain('<dd>1 februari 2027</dd>');
    expect(program.text).toContain(`href="/reviews/${later}/result"`);
    // The lowest scores give the lowest level.
    expect(program.text).toContain('<dd><strong>Låg modelltrohet</strong></dd>');
  });

  it('when a peer review is final, then its result page links to the report', async () => {
    const s = await createProgramScenario();
    finalisePeerReview(s, s.reviewId, (_min, max) => max);
    const result = await (await s.login(s.outsider)).get(`/reviews/${s.reviewId}/result`);
    expect(result.status).toBe(200);
    expect(result.text).toContain(
      '<a class="button secondary" href="/municipalities/0180/report.pdf" type="application/pdf" download>Ladda ner rapporten (PDF)</a>',
    );
  });

  it('when a program lead on no panel opens the start page, then it shows the latest result, the actions and the next review', async () => {
    const s = await createProgramScenario();
    finalisePeerReview(s, s.reviewId, (_min, max) => max - 1, { [s.rubric.sections[0]?.id ?? '']: ['Skriv ner rutinen.'] });
    finaliseOnVisitDay(s, s.reviewId);
    expect(s.services.actionPlans.createPlan(s.reviewId, s.programLead.id)).toMatchObject({ outcome: 'created' });
    const [action] = s.actions.listActionsOfReview(s.reviewId);
    s.actions.updateAction(
      action?.id ?? 0,
      { ownerUserId: undefined, ownerName: 'Kim', dueOn: '2026-04-30', status: 'in_progress', expectedVersion: action?.version ?? 0 },
      s.programLead.id,
    );
    const home = await (await s.login(s.programLead)).get('/');
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('Du ingår inte i någon granskningspanel');
    expect(home.text).toContain(
      `<a href="/reviews/${s.reviewId}/result">Godtagbar modelltrohet, 75\u00a0% av maxpoängen (2 mars 2026)</a>`,
    );
    expect(home.text).toContain('href="/municipalities/0180/report.pdf"');
    // Adequate fidelity: within 6–12 months of the visit, so by 3 March 2027 at the latest.
    expect(home.text).toContain('<dt>Nästa granskning</dt><dd>senast 3 mars 2027</dd>');
    expect(home.text).toContain('1 åtgärd pågår eller har inte påbörjats');
    expect(home.text).toContain('varav 1 försenad');
    // Someone who is neither on a panel nor in a program still gets the sentence.
    expect((await (await s.login(s.outsider)).get('/')).text).toContain('Du ingår inte i någon granskningspanel');
  });
});
