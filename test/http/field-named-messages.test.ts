// A refused form names each field in its messages ("Ange antal som flyttat in", never "Fyll i
// fältet."), the same words in the error summary at the top and beside the field.
import { describe, expect, it } from 'vitest';
import { postForm } from '../helpers/test-app.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

/** The messages of the error summary, and those beside each field (by field name), of a 422 page. */
function errorsOf(html: string) {
  const summary = [
    ...(html.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0] ?? '').matchAll(/<a href="#f-([^"]+)">([^<]*)<\/a>/g),
  ].map(([, field, message]) => ({ field, message }));
  const beside = new Map(
    [...html.matchAll(/<p class="field-error" id="err-([^"]+)">([\s\S]*?)<\/p>/g)].map(([, field, inner]) => [
      field,
      [...(inner ?? '').matchAll(/<span>([^<]*)<\/span>/g)].map((m) => m[1]),
    ]),
  );
  return { summary, beside };
}

const GENERIC = [
  'Fyll i fältet.',
  'Värdet är ogiltigt.',
  'Välj ett av alternativen.',
  'Ange ett heltal.',
  'Fill in this field.',
  'Choose one of the options.',
];

describe('error messages that name their field', () => {
  it('when an outcome period is sent empty, then every count is asked for by name, in the summary and beside the field', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const refused = await postForm(agent, page, page, {
      period_start: '',
      period_end: '2024-12-31',
      moved_in: '',
      evictions: 'tre',
      case_managers: '',
    });
    expect(refused.status).toBe(422);
    const { summary, beside } = errorsOf(refused.text);
    expect(summary).toContainEqual({ field: 'moved_in', message: 'Ange antal som flyttat in.' });
    expect(summary).toContainEqual({ field: 'period_start', message: 'Ange periodens första dag.' });
    expect(summary).toContainEqual({ field: 'evictions', message: 'Ange antal avhysningar som ett heltal, till exempel 12.' });
    expect(summary).toContainEqual({ field: 'case_managers', message: 'Ange antal case managers.' });
    expect(summary).toContainEqual({ field: 'clients', message: 'Ange antal deltagare.' });
    for (const { field, message } of summary) expect(beside.get(field ?? '')).toContain(message);
    for (const generic of GENERIC) expect(refused.text).not.toContain(generic);
    // What was typed stays.
    expect(refused.text).toContain('value="tre"');
  });

  it('when a program is sent without name and model, then the messages name them, in English too', async () => {
    const s = await createProgramScenario();
    const admin = await s.login(s.admin);
    const path = `/municipalities/0180/programs/new`;
    const refused = await postForm(admin, path, `${path}?lang=en`, {
      name: '',
      support_provider: '',
      support_model: 'stairs',
      start_date: '2021-02-30',
    });
    expect(refused.status).toBe(422);
    const { summary, beside } = errorsOf(refused.text);
    expect(summary).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'Enter the program’s name.' },
        { field: 'support_provider', message: 'Enter the support provider.' },
        { field: 'support_model', message: 'Choose the support model.' },
        { field: 'start_date', message: 'Check the start date: enter a real date, for example 2026-03-10.' },
      ]),
    );
    for (const { field, message } of summary) expect(beside.get(field ?? '')).toContain(message);
  });

  it('when a readiness note holds a personnummer and a date lies ahead, then the indicator is named', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const path = `/programs/${s.programId}/readiness/mini-five/sections/c1-first`;
    const refused = await postForm(agent, path, path, {
      'status__c1-alpha': 'ready',
      'note__c1-alpha': 'Gäller 19121212-1212',
      'checked__c1-beta': '2999-01-01',
    });
    expect(refused.status).toBe(422);
    const { summary } = errorsOf(refused.text);
    expect(summary.map((item) => item.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Anteckningen för C1\.1 innehåller något som ser ut som ett personnummer/),
        'Datum då C1.2 kontrollerades kan inte ligga i framtiden.',
      ]),
    );
  });

  it('when a conflict is declared without a reason, then the reason is asked for by name', async () => {
    const s = await createProgramScenario();
    const admin = await s.login(s.admin);
    const refused = await postForm(admin, '/admin/conflicts', '/admin/conflicts', {
      user_id: String(s.reviewerA.id),
      municipality_id: '',
      provider: 'Stadsmissionen',
      reason: '',
    });
    expect(refused.status).toBe(422);
    expect(errorsOf(refused.text).summary).toContainEqual({ field: 'reason', message: 'Ange motivering.' });
  });
});
