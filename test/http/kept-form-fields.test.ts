// The page that keeps a form posted after its session ended shows as boxes to edit only what the person typed on that
// form. Every field name the rating, consensus and action forms can post is read from the forms' own HTML (every
// section, the consensus form with and without its "undecided only" filter and with a recommendation's priority and
// owner), with
// what the form made it: a box, a choice, a hidden field or a button. Posted all at once after the session ended, each
// box comes back a box with a label in words, and each hidden field and button is carried hidden: a new marker on
// either form that the kept page would show as a box fails here, without a list of names to keep up to date.
import { describe, expect, it } from 'vitest';
import { createReviewScenario, createScenarioInConsensus, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { type Agent, extractCsrfToken } from '../helpers/test-app.js';
import { createProgramScenario, finalisePeerReview } from '../helpers/program-scenario.js';
import { listNamedControls } from '../helpers/control-names.js';

const SITE = 'hf.test';
const TYPED = 'Skrivet innan sessionen tog slut';

type ControlKind = 'box' | 'choice' | 'hidden' | 'button';
type FormOnPage = { readonly page: string; readonly action: string; readonly token: string; readonly controls: Map<string, Control> };
type Control = { readonly kinds: Set<ControlKind>; value: string };

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** Every named control of the form with this id, by name: what the form makes of it, and a value it can post. */
function readControls(html: string, formId: string): Omit<FormOnPage, 'page' | 'token'> {
  const start = html.search(new RegExp(`<form[^>]*\\sid="${formId}"`));
  if (start < 0) throw new Error(`no form #${formId} on the page`);
  const body = html.slice(start, html.indexOf('</form>', start));
  const action = attribute(/^<form[^>]*>/.exec(body)?.[0] ?? '', 'action') ?? '';
  const controls = new Map<string, Control>();
  const add = (name: string, kind: ControlKind, value: string) => {
    const known = controls.get(name);
    if (known) known.kinds.add(kind);
    else controls.set(name, { kinds: new Set([kind]), value: kind === 'box' ? TYPED : value });
  };
  for (const match of body.matchAll(/<(input|textarea|select|button)\b[^>]*>/g)) {
    const tag = match[0];
    const name = attribute(tag, 'name');
    if (name === undefined || name === '_csrf') continue;
    const value = attribute(tag, 'value') ?? '';
    if (match[1] === 'textarea') add(name, 'box', '');
    else if (match[1] === 'button') add(name, 'button', value);
    else if (match[1] === 'select') add(name, 'choice', /<option value="([^"]*)"/.exec(body.slice(match.index ?? 0))?.[1] ?? '');
    else {
      const type = attribute(tag, 'type') ?? 'text';
      if (type === 'hidden') add(name, 'hidden', value);
      else if (type === 'submit' || type === 'button') add(name, 'button', value);
      else if (type === 'radio' || type === 'checkbox') add(name, 'choice', value);
      else add(name, 'box', value);
    }
  }
  return { action: action.replaceAll('&amp;', '&'), controls };
}

async function readForms(agent: Agent, pages: readonly string[], formId: string): Promise<FormOnPage[]> {
  const forms: FormOnPage[] = [];
  for (const page of pages) {
    const response = await agent.get(page);
    expect(response.status, page).toBe(200);
    forms.push({ page, token: extractCsrfToken(response.text), ...readControls(response.text, formId) });
  }
  return forms;
}

/** What the kept page made of each posted field: a box (with its label), or a hidden field. */
function readKeptPage(html: string) {
  const boxes = new Map(
    listNamedControls(html).flatMap((control) => {
      const tag = /^<[^>]*>/.exec(html.slice(control.at))?.[0] ?? '';
      const name = attribute(tag, 'name') ?? '';
      return name.startsWith('kept.') && control.kind !== 'password' ? [[name.slice('kept.'.length), control.ownName] as const] : [];
    }),
  );
  const hidden = new Set([...html.matchAll(/<input type="hidden" name="kept\.([^"]+)"/g)].map((match) => match[1] ?? ''));
  return { boxes, hidden };
}

/** Posts every field of each form with its page's token after the session ended; checks what the kept page shows. */
async function expectOnlyTypedFieldsAsBoxes(s: ReviewScenario, agent: Agent, forms: readonly FormOnPage[]): Promise<number> {
  s.db.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() - 1);
  let names = 0;
  for (const form of forms) {
    const fields = Object.fromEntries([['_csrf', form.token], ...[...form.controls].map(([name, control]) => [name, control.value])]);
    const response = await agent
      .post(form.action)
      .set('Host', SITE)
      .set('Origin', `http://${SITE}`)
      .set('Referer', `http://${SITE}${form.page}`)
      .type('form')
      .send(fields);
    expect(response.status, form.page).toBe(401);
    const kept = readKeptPage(response.text);
    const typed = [...form.controls].filter(([, control]) => control.kinds.has('box')).map(([name]) => name);
    const carried = [...form.controls].filter(([, control]) => control.kinds.has('hidden') || control.kinds.has('button'));
    expect([...kept.boxes.keys()].sort(), form.page).toEqual(typed.sort());
    for (const [name] of carried) expect(kept.hidden.has(name), `${form.page}: ${name} carried hidden`).toBe(true);
    // Each box is labelled in words ("A1.1 Motivering", "A1 Styrkor"), never by the field's name.
    for (const [name, label] of kept.boxes) {
      expect(label, `${form.page}: ${name}`).not.toMatch(/_|^\s*$/);
      expect(label, `${form.page}: ${name}`).not.toContain(name.split('__')[1] ?? name);
    }
    names += form.controls.size;
  }
  return names;
}

describe('the kept page of a form posted after the session ended', () => {
  it('when every field the consensus form can post is sent, then only the rationales, strengths and recommendations are boxes', async () => {
    const s = await createScenarioInConsensus();
    const [first, second] = s.rubric.sections;
    const decided = first?.indicators[0];
    if (!first || !second || !decided) throw new Error('rubric without sections');
    // A decided indicator (hidden by the filter) and a saved recommendation (its priority and owner row).
    s.reviews.saveConsensus(s.reviewId, { indicatorId: decided.id, score: 3, notApplicable: false, rationale: '' }, s.lead.id);
    s.reviews.replaceFindings(s.reviewId, [{ sectionId: first.id, strengths: [], recommendations: ['Skriv en rutin'] }]);
    const agent = await s.login(s.lead);
    const base = `/reviews/${s.reviewId}/consensus`;
    const pages = s.rubric.sections.flatMap((section) => [`${base}/${section.id}`, `${base}/${section.id}?undecided=1`]);
    const forms = await readForms(agent, pages, 'consensus-form');
    // The markers the audit found as boxes are among those read from the form.
    const all = new Map(forms.flatMap((form) => [...form.controls]));
    for (const name of ['focus', 'goto', 'undecided', 'findings_base', 'findings_version', `version__${decided.id}`])
      expect(all.has(name), name).toBe(true);
    expect([...all.keys()].some((name) => name.startsWith('rec_priority__'))).toBe(true);
    expect(await expectOnlyTypedFieldsAsBoxes(s, agent, forms)).toBeGreaterThan(s.rubric.sections.length * 10);
  });

  it('when every field the rating form can post is sent, then only the notes are boxes', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const agent = await s.login(s.reviewerA);
    // Each section as the start page opens it and as the check page's "Ändra" does (with the way back).
    const pages = s.rubric.sections.flatMap((section) => [
      `/reviews/${s.reviewId}/rate/${section.id}`,
      `/reviews/${s.reviewId}/rate/${section.id}?return=check&return_at=${section.indicators[0]?.id}`,
    ]);
    const forms = await readForms(agent, pages, 'rating-form');
    const all = new Map(forms.flatMap((form) => [...form.controls]));
    for (const name of ['action', 'goto', 'return', 'return_at']) expect(all.has(name), name).toBe(true);
    expect(await expectOnlyTypedFieldsAsBoxes(s, agent, forms)).toBeGreaterThan(s.rubric.sections.length * 10);
  });

  it('when every field the action form can post is sent, then only the owner name, due date and note are boxes', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, { 'c1-first': ['Skriv ner rutinen för alfa.'] });
    s.services.actionPlans.createPlan(s.reviewId, s.programLead.id);
    const id = s.actions.listActionsOfReview(s.reviewId)[0]?.id ?? 0;
    const agent = await s.login(s.programLead);
    const forms = await readForms(agent, [`/actions/${id}`], 'action-form');
    const all = new Map(forms.flatMap((form) => [...form.controls]));
    for (const name of ['version', 'owner_user_id_base', 'owner_name_base']) expect(all.get(name)?.kinds.has('hidden'), name).toBe(true);
    expect(await expectOnlyTypedFieldsAsBoxes(s, agent, forms)).toBe(all.size);
  });
});
