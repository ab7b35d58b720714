// The two forms of /admin/conflicts when they come back refused: values kept, each error on the field that failed,
// and ids (with the labels, error links and descriptions that point at them) unique across both forms.
import { describe, expect, it } from 'vitest';
import { createConflictStore } from '../../src/conflicts/conflict-store.js';
import { createFormView } from '../../src/http/render-page.js';
import { viewRendererOf } from '../../src/http/view-renderer.js';
import { createTranslator } from '../../src/i18n/messages.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReviewScenario, type ReviewScenario } from '../helpers/review-scenario.js';
import { type Agent, createTestUser, expectErrorSummaryFirst, postForm } from '../helpers/test-app.js';

const UNKNOWN_ID = '99999';

async function adminScenario(): Promise<{ s: ReviewScenario; agent: Agent; stockholmId: number; goteborgId: number }> {
  const s = await createReviewScenario();
  const municipalities = createMunicipalityStore(s.db);
  const stockholmId = municipalities.findMunicipalityByCode('0180')?.id;
  if (stockholmId === undefined) throw new Error('no Stockholm');
  // A second municipality, so a kept selection is not just the first (or only) option.
  const goteborgId = municipalities.insertMunicipality({ code: '1480', name: 'Göteborg' });
  const admin = await createTestUser(s.db, ['admin']);
  return { s, agent: await s.login(admin), stockholmId, goteborgId };
}

/** The <select name="…" id="…"> element with its options. */
function selectHtml(html: string, id: string): string {
  const match = new RegExp(`<select id="${id}"[^>]*>[\\s\\S]*?</select>`).exec(html);
  if (!match) throw new Error(`no select #${id}`);
  return match[0];
}

function selectedValues(html: string, id: string): string[] {
  return [...selectHtml(html, id).matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1] ?? '');
}

function idsOf(html: string): string[] {
  return [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1] ?? '');
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** Every id a label, error-summary link or aria-describedby points at, that is not on the page. */
function danglingReferences(html: string): string[] {
  const ids = new Set(idsOf(html));
  const refs = [
    ...[...html.matchAll(/<label for="([^"]*)"/g)].map((m) => m[1] ?? ''),
    ...[...html.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1] ?? ''),
    ...[...html.matchAll(/aria-describedby="([^"]*)"/g)].flatMap((m) => (m[1] ?? '').split(/\s+/)),
  ];
  return refs.filter((ref) => ref !== '' && !ids.has(ref));
}

function expectWellFormedIds(html: string): void {
  expect(duplicates(idsOf(html))).toEqual([]);
  expect(danglingReferences(html)).toEqual([]);
}

describe('POST /admin/conflicts/dismissals refused', () => {
  it('puts an unknown municipality on municipality_id and keeps the person and the reason', async () => {
    const { s, agent } = await adminScenario();
    const response = await postForm(agent, '/admin/conflicts', '/admin/conflicts/dismissals', {
      user_id: String(s.reviewerB.id),
      municipality_id: UNKNOWN_ID,
      reason: 'Skäl',
    });
    expect(response.status).toBe(422);
    const html = response.text;
    expect(html).toContain(
      '<p class="field-error" id="err-municipality_id-dismiss"><span>Den valda kommunen finns inte. Välj en kommun i listan.</span>',
    );
    expect(html).toContain('<a href="#f-municipality_id-dismiss">Den valda kommunen finns inte. Välj en kommun i listan.</a>');
    expect(selectHtml(html, 'f-municipality_id-dismiss')).toContain('aria-describedby="err-municipality_id-dismiss" aria-invalid="true"');
    expect(html).not.toContain('id="err-user_id');
    expect(selectHtml(html, 'f-user_id-dismiss')).not.toContain('aria-invalid');
    expect(selectedValues(html, 'f-user_id-dismiss')).toEqual([String(s.reviewerB.id)]);
    // The unknown id is no option, so no other municipality may pose as the one chosen.
    expect(selectedValues(html, 'f-municipality_id-dismiss')).toEqual([]);
    expect(html).toMatch(/<textarea id="f-reason-dismiss" name="reason"[^>]*>Skäl<\/textarea>/);
    // The declare form stays as it was: nothing selected, no errors.
    expect(selectedValues(html, 'f-user_id')).toEqual([]);
    expect(selectedValues(html, 'f-municipality_id')).toEqual(['']);
    expect(createConflictStore(s.db).listDismissals()).toEqual([]);
    expectWellFormedIds(html);
  });

  it('puts an unknown person on user_id and keeps the chosen municipality selected', async () => {
    const { s, agent, goteborgId } = await adminScenario();
    const response = await postForm(agent, '/admin/conflicts', '/admin/conflicts/dismissals', {
      user_id: UNKNOWN_ID,
      municipality_id: String(goteborgId),
      reason: 'Skäl',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain(
      '<p class="field-error" id="err-user_id-dismiss"><span>Den valda personen finns inte. Välj en person i listan.</span>',
    );
    expect(response.text).toContain('<a href="#f-user_id-dismiss">');
    expect(response.text).not.toContain('id="err-municipality_id');
    expect(selectedValues(response.text, 'f-municipality_id-dismiss')).toEqual([String(goteborgId)]);
    expect(createConflictStore(s.db).listDismissals()).toEqual([]);
    expectWellFormedIds(response.text);
  });

  it('keeps both selections when the reason is missing, and answers in English when asked', async () => {
    const { s, agent, goteborgId } = await adminScenario();
    const response = await postForm(agent, '/admin/conflicts?lang=en', '/admin/conflicts/dismissals?lang=en', {
      user_id: String(s.reviewerA.id),
      municipality_id: String(goteborgId),
      reason: '   ',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('id="err-reason-dismiss"');
    expect(response.text).toContain('<a href="#f-reason-dismiss">');
    expect(selectedValues(response.text, 'f-user_id-dismiss')).toEqual([String(s.reviewerA.id)]);
    expect(selectedValues(response.text, 'f-municipality_id-dismiss')).toEqual([String(goteborgId)]);

    const unknown = await postForm(agent, '/admin/conflicts?lang=en', '/admin/conflicts/dismissals?lang=en', {
      user_id: String(s.reviewerA.id),
      municipality_id: UNKNOWN_ID,
      reason: 'Reason',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain(
      '<a href="#f-municipality_id-dismiss">The chosen municipality does not exist. Choose a municipality from the list.</a>',
    );
  });

  it('reports an unknown person and an unknown municipality each on its own field', async () => {
    const { agent } = await adminScenario();
    const response = await postForm(agent, '/admin/conflicts', '/admin/conflicts/dismissals', {
      user_id: UNKNOWN_ID,
      municipality_id: UNKNOWN_ID,
      reason: 'Skäl',
    });
    expect(response.status).toBe(422);
    expectErrorSummaryFirst(response.text, 'f-user_id-dismiss');
    expect(response.text).toContain('id="err-user_id-dismiss"');
    expect(response.text).toContain('id="err-municipality_id-dismiss"');
    expectWellFormedIds(response.text);
  });
});

describe('POST /admin/conflicts (declare) refused', () => {
  it('puts an unknown municipality on municipality_id and keeps the person and the reason', async () => {
    const { s, agent } = await adminScenario();
    const response = await postForm(agent, '/admin/conflicts', '/admin/conflicts', {
      user_id: String(s.reviewerA.id),
      municipality_id: UNKNOWN_ID,
      provider: '',
      reason: 'Tidigare anställd',
    });
    expect(response.status).toBe(422);
    expectErrorSummaryFirst(response.text, 'f-municipality_id');
    const html = response.text;
    expect(html).toContain(
      '<p class="field-error" id="err-municipality_id"><span>Den valda kommunen finns inte. Välj en kommun i listan.</span>',
    );
    expect(html).toContain('<a href="#f-municipality_id">Den valda kommunen finns inte. Välj en kommun i listan.</a>');
    expect(selectHtml(html, 'f-municipality_id')).toContain(
      'aria-describedby="hint-municipality_id err-municipality_id" aria-invalid="true"',
    );
    expect(html).not.toContain('id="err-user_id');
    expect(selectedValues(html, 'f-user_id')).toEqual([String(s.reviewerA.id)]);
    expect(selectedValues(html, 'f-municipality_id')).toEqual([]);
    expect(html).toMatch(/<textarea id="f-reason" name="reason"[^>]*>Tidigare anställd<\/textarea>/);
    // The dismiss form stays as it was.
    expect(html).not.toContain('-dismiss"><span>');
    expect(createConflictStore(s.db).listDeclaredConflicts()).toEqual([]);
    expectWellFormedIds(html);
  });

  it('puts an unknown person on user_id and keeps the chosen municipality selected', async () => {
    const { s, agent, goteborgId } = await adminScenario();
    const response = await postForm(agent, '/admin/conflicts', '/admin/conflicts', {
      user_id: UNKNOWN_ID,
      municipality_id: String(goteborgId),
      provider: '',
      reason: 'Tidigare anställd',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain(
      '<p class="field-error" id="err-user_id"><span>Den valda personen finns inte. Välj en person i listan.</span>',
    );
    expect(response.text).not.toContain('id="err-municipality_id');
    expect(selectedValues(response.text, 'f-municipality_id')).toEqual([String(goteborgId)]);
    expect(createConflictStore(s.db).listDeclaredConflicts()).toEqual([]);
    expectWellFormedIds(response.text);
  });

  it('keeps both selections and the provider when municipality and provider are both given', async () => {
    const { s, agent, goteborgId } = await adminScenario();
    const response = await postForm(agent, '/admin/conflicts', '/admin/conflicts', {
      user_id: String(s.reviewerB.id),
      municipality_id: String(goteborgId),
      provider: 'Stadsmissionen',
      reason: 'Styrelseledamot',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('<a href="#f-municipality_id">Välj en kommun eller skriv en utförare, inte båda.</a>');
    expect(selectedValues(response.text, 'f-user_id')).toEqual([String(s.reviewerB.id)]);
    expect(selectedValues(response.text, 'f-municipality_id')).toEqual([String(goteborgId)]);
    expect(response.text).toContain('<input id="f-provider" name="provider" type="text" value="Stadsmissionen"');
  });
});

describe('GET /admin/conflicts ids', () => {
  it('has unique ids, and labels and descriptions pointing at fields of their own form', async () => {
    const { s, agent } = await adminScenario();
    const page = await agent.get('/admin/conflicts');
    expect(page.status).toBe(200);
    expectWellFormedIds(page.text);
    for (const name of ['user_id', 'municipality_id', 'reason']) {
      expect(page.text).toContain(`<label for="f-${name}-dismiss">`);
    }
    // With rows in both tables too.
    const conflicts = createConflictStore(s.db);
    const stockholmId = createMunicipalityStore(s.db).findMunicipalityByCode('0180')?.id ?? 0;
    conflicts.insertDeclaredConflict(
      { userId: s.reviewerA.id, municipalityId: stockholmId, provider: undefined, reason: 'Skäl' },
      s.coordinator.id,
    );
    conflicts.insertDismissal({ userId: s.reviewerB.id, municipalityId: stockholmId, reason: 'Skäl' }, s.coordinator.id);
    expectWellFormedIds((await agent.get('/admin/conflicts')).text);
  });

  it('keeps ids unique and error links pointing at their own form when both forms come back with errors', async () => {
    const { s } = await adminScenario();
    const t = createTranslator('sv');
    const errors = { user_id: ['fel'], municipality_id: ['fel'], reason: ['fel'] };
    const options = [{ value: String(s.reviewerA.id), label: 'Anna' }];
    const html = viewRendererOf(s.app).render('conflicts/admin', {
      t,
      csrfToken: 'token',
      title: 'Jäv',
      declared: [],
      dismissals: [],
      userOptions: options,
      municipalityOptions: [{ value: '', label: '(ingen)' }],
      requiredMunicipalityOptions: [],
      declareForm: createFormView({ user_id: String(s.reviewerA.id), provider: 'x' }, { ...errors, provider: ['fel'] }, true),
      dismissForm: createFormView({ user_id: String(s.reviewerA.id) }, errors, true),
    });
    expect(html.match(/class="error-summary"/g)).toHaveLength(2);
    for (const name of ['user_id', 'municipality_id', 'reason']) {
      expect(html).toContain(`<a href="#f-${name}">`);
      expect(html).toContain(`<a href="#f-${name}-dismiss">`);
      expect(html).toContain(`id="err-${name}"`);
      expect(html).toContain(`id="err-${name}-dismiss"`);
    }
    expectWellFormedIds(html);
  });
});

describe('POST /admin/users/:id/affiliation refused', () => {
  it('puts an unknown municipality on its field and keeps what was typed', async () => {
    const { s, agent } = await adminScenario();
    const path = `/admin/users/${s.reviewerB.id}/affiliation`;
    const before = s.services.users.findAffiliation(s.reviewerB.id);
    const response = await postForm(agent, path, path, {
      affiliation_kind: 'municipality',
      affiliation_municipality_id: UNKNOWN_ID,
      affiliation: ' Socialtjänsten ',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('<a href="#f-affiliation_municipality_id">Den valda kommunen finns inte. Välj en kommun i listan.</a>');
    expect(selectedValues(response.text, 'f-affiliation_kind')).toEqual(['municipality']);
    expect(response.text).toContain('value=" Socialtjänsten "');
    expect(s.services.users.findAffiliation(s.reviewerB.id)).toEqual(before);
    expectWellFormedIds(response.text);
  });
});
