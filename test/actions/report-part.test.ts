// The report's part on last round's recommendations (and the outcome indicators): built into each program chapter
// of the municipality's PDF report, only where an earlier round exists.
import { describe, expect, it } from 'vitest';
import { gatherReportData } from '../../src/reports/report-data.js';
import { type Block, buildReportModel } from '../../src/reports/report-model.js';
import { binaryParser, extractPdfText, normalizeSpace } from '../reports/pdf-text.js';
import { createReportScenario, RECOMMENDATION } from '../reports/report-fixtures.js';

function textOf(blocks: readonly Block[]): string {
  return blocks
    .map((block) => {
      if (block.type === 'heading') return block.text;
      if (block.type === 'paragraph') return block.paragraph.text;
      if (block.type === 'list') return block.items.join('\n');
      if (block.type === 'table')
        return block.rows.map((row) => row.map((cell) => cell.map((p) => p.text).join(' ')).join(' | ')).join('\n');
      return '';
    })
    .join('\n');
}

async function scenario(reviewsPerProgram: number) {
  const s = await createReportScenario({ rubricId: 'mini-five', reviewsPerProgram });
  const program = s.programs[0];
  if (!program) throw new Error('no program');
  const { actions, actionPlans, outcomes } = s.services;
  const author = s.panel[0]?.id ?? 0;
  return { s, program, actions, actionPlans, outcomes, author };
}

function buildModel(s: Awaited<ReturnType<typeof createReportScenario>>, locale: 'sv' | 'en' = 'sv') {
  const gathered = gatherReportData(
    { municipalities: s.services.municipalities, reviews: s.reviews, programWork: s.services },
    s.municipalityCode,
  );
  if (gathered.kind !== 'ok') throw new Error(gathered.kind);
  return { model: buildReportModel(gathered.data, locale), data: gathered.data };
}

describe('the report’s part on last round’s recommendations', () => {
  it('when an earlier round exists, then its recommendations appear with their action’s status, owner, date and latest note', async () => {
    const { s, program, actions, actionPlans, author } = await scenario(2);
    const earlier = program.reviewIds[0] ?? 0;
    actionPlans.createPlan(earlier, author);
    const [action] = actions.listActionsOfReview(earlier);
    if (!action) throw new Error('no action');
    actions.updateAction(
      action.id,
      {
        ownerUserId: undefined,
        ownerName: 'Kim Karlsson',
        dueOn: '2024-12-31',
        status: 'done',
        expectedVersion: 1,
        note: { notedOn: '2024-11-02', text: 'Rutinen antagen av ledningsgruppen.' },
      },
      author,
    );
    const { model } = buildModel(s);
    const chapter = model.chapters.find((c) => c.runningTitle === program.name);
    const text = textOf(chapter?.blocks ?? []);
    expect(text).toContain('Förra omgångens rekommendationer och vad som blev av dem');
    expect(text).toContain(RECOMMENDATION);
    // The status is the action's, beside the scores that say whether the goal was reached.
    expect(text).toContain('Åtgärden klar');
    expect(text).toContain('Kim Karlsson, klart senast 2024-12-31');
    expect(text).toContain('2024-11-02: Rutinen antagen av ledningsgruppen.');
    // The part has a line in the contents.
    expect(model.contents.entries.map((e) => e.text)).toContain('Förra omgångens rekommendationer och vad som blev av dem');
    // Statuses are facts of the report: a change gives another verification code.
    const before = model.verification.code;
    actions.updateAction(
      action.id,
      { ownerUserId: undefined, ownerName: 'Kim Karlsson', dueOn: '2024-12-31', status: 'dropped', expectedVersion: 2 },
      author,
    );
    expect(buildModel(s).model.verification.code).not.toBe(before);
    expect(buildModel(s, 'en').model.verification.code).toBe(buildModel(s).model.verification.code);
  });

  it('says that a recommendation has no action when nobody made one', async () => {
    const { s } = await scenario(2);
    const text = textOf(buildModel(s, 'en').model.chapters.flatMap((c) => c.blocks));
    expect(text).toContain('Last round’s recommendations and what became of them');
    expect(text).toContain('no action recorded');
  });

  it('when there is no earlier round, then the part is left out', async () => {
    const { s } = await scenario(1);
    const text = textOf(buildModel(s).model.chapters.flatMap((c) => c.blocks));
    expect(text).not.toContain('Förra omgångens rekommendationer');
  });

  it('shows the outcome indicators with both retention figures and their definitions', async () => {
    const { s, program, outcomes, author } = await scenario(1);
    outcomes.insertPeriod(
      program.id,
      {
        periodStart: '2024-01-01',
        periodEnd: '2024-12-31',
        movedIn: 29,
        stillFirstFlat: 18,
        stillInProgram: 21,
        firstHandLeases: 5,
        evictions: 1,
        complaints: 4,
        clients: 21,
        caseManagers: 3,
        note: '',
      },
      author,
    );
    const text = textOf(buildModel(s).model.chapters.flatMap((c) => c.blocks));
    expect(text).toContain('Utfall');
    expect(text).toContain('18 / 29 (62\u00a0%)');
    expect(text).toContain('21 / 29 (72\u00a0%)');
    expect(text).toContain(
      'Kvar i första bostaden: Antalet som bor kvar i den första bostaden de fick, delat med alla som flyttat in under perioden.',
    );
  });
});

describe('the report’s action plan after the latest review', () => {
  it('lists the latest review’s recommendations with the actions planned for them, or says none is recorded yet', async () => {
    const { s, program, actions, actionPlans, author } = await scenario(1);
    const latest = program.reviewIds[0] ?? 0;
    const empty = textOf(buildModel(s).model.chapters.flatMap((c) => c.blocks));
    expect(empty).toContain('Åtgärdsplan efter den här granskningen');
    expect(empty).toContain(RECOMMENDATION);
    // A plan without any action is one line, not a table of dashes.
    expect(empty).toContain('Inga åtgärder är planerade ännu för granskningens rekommendationer (1)');
    actionPlans.createPlan(latest, author);
    const [action] = actions.listActionsOfReview(latest);
    if (!action) throw new Error('no action');
    actions.updateAction(
      action.id,
      { ownerUserId: undefined, ownerName: 'Sam Svensson', dueOn: '2025-06-30', status: 'in_progress', expectedVersion: 1 },
      author,
    );
    const { model } = buildModel(s);
    const chapter = model.chapters.find((c) => c.runningTitle === program.name);
    const text = textOf(chapter?.blocks ?? []);
    expect(text).toContain('Sam Svensson, klart senast 2025-06-30');
    expect(model.contents.entries.map((e) => e.text)).toContain('Åtgärdsplan efter den här granskningen');
    // Domain order: scores and findings, then last round (none here), the action plan, the follow-up, outcomes.
    const headings = (chapter?.blocks ?? []).flatMap((block) => (block.type === 'heading' ? [block.text] : []));
    expect(headings.indexOf('Åtgärdsplan efter den här granskningen')).toBeLessThan(headings.indexOf('Uppföljning'));
    expect(textOf(buildModel(s, 'en').model.chapters.flatMap((c) => c.blocks))).toContain('Action plan after this review');
    // The plan is a fact of the report.
    const before = model.verification.code;
    actions.updateAction(
      action.id,
      { ownerUserId: undefined, ownerName: 'Sam Svensson', dueOn: '2025-06-30', status: 'done', expectedVersion: 2 },
      author,
    );
    expect(buildModel(s).model.verification.code).not.toBe(before);
  });
});

describe('the report’s barriers', () => {
  it('lists the latest review’s barriers per category after the sections, and they are facts of the report', async () => {
    const { s, program } = await scenario(1);
    const latest = program.reviewIds[0] ?? 0;
    const before = buildModel(s).model.verification.code;
    // The review is final; its barriers were agreed in the consensus phase.
    s.db
      .prepare(
        "INSERT INTO review_barriers (review_id, category, position, text) VALUES (?, 'systemic', 1, 'Brist på lägenheter i allmännyttan')",
      )
      .run(latest);
    const { model } = buildModel(s);
    const chapter = model.chapters.find((c) => c.runningTitle === program.name);
    const text = textOf(chapter?.blocks ?? []);
    expect(text).toContain('Hinder');
    expect(text).toContain('Strukturella hinder\nBrist på lägenheter i allmännyttan');
    expect(text).toContain('Hinder i organisationen\nInga angivna.');
    const headings = (chapter?.blocks ?? []).flatMap((block) => (block.type === 'heading' ? [block.text] : []));
    expect(headings.indexOf('Hinder')).toBeGreaterThan(headings.lastIndexOf('Rekommendationer'));
    expect(headings.indexOf('Hinder')).toBeLessThan(headings.indexOf('Åtgärdsplan efter den här granskningen'));
    expect(model.verification.code).not.toBe(before);
  });
});

describe('the report’s follow-up', () => {
  it('dates the next review from the site visit by the interval the rubric sets for the level reached', async () => {
    const { s, program } = await scenario(1);
    const gathered = buildModel(s).data;
    // Finalised on the last day of the visit: the window counts from the visit (it counts from the later of
    // the two, and the fixture finalises its reviews today).
    const data = {
      ...gathered,
      programs: gathered.programs.map((entry) => ({
        ...entry,
        latest: { ...entry.latest, review: { ...entry.latest.review, finalisedAt: '2024-03-11T16:00:00.000Z' } },
      })),
    };
    const model = buildReportModel(data, 'sv');
    const programData = data.programs.find((entry) => entry.program.id === program.id);
    const chapter = model.chapters.find((c) => c.runningTitle === program.name);
    const text = textOf(chapter?.blocks ?? []);
    expect(text).toContain('Uppföljning');
    expect(text).toContain('Nästa granskning följer upp den här granskningens rekommendationer och åtgärdsplanen ovan.');
    // The visit ended 11 March 2024; the fixture's levels set 12, 6–12 and 6–9 months.
    expect(programData?.latest.review.visitEnd).toBe('2024-03-11');
    expect(text).toContain(
      'Med nivån Svag bör nästa granskning göras 6–9 månader efter platsbesöket 11 mars 2024, det vill säga mellan 11 september 2024 och 11 december 2024.',
    );
    const english = textOf(buildReportModel(data, 'en').chapters.flatMap((c) => c.blocks));
    expect(english).toContain('Follow-up');
    expect(english).toContain(
      'At the level Poor the next review should take place 6–9 months after the site visit of 11 March 2024, that is between 11 September 2024 and 11 December 2024.',
    );
  });
});

describe('GET /municipalities/:code/report.pdf with last round’s recommendations', { timeout: 90_000 }, () => {
  it('prints the part in the PDF', async () => {
    const { s, program, actionPlans, author } = await scenario(2);
    actionPlans.createPlan(program.reviewIds[0] ?? 0, author);
    const agent = await s.login(s.reader);
    const response = await agent.get(`/municipalities/${s.municipalityCode}/report.pdf`).buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const text = normalizeSpace(extractPdfText(response.body as Buffer));
    expect(text).toContain('Förra omgångens rekommendationer och vad som blev av dem');
    expect(text).toContain('Åtgärden inte påbörjad');
    // The recommendation names no indicator: its section's mean then and now, against the top of the scale.
    expect(text).toContain('C1 medelvärde: 1,50 → 2,50 (skala 1–5)');
    expect(text).toContain('Högsta poäng (5) inte nådd');
  });
});
