import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/accounts/roles.js';
import { createMunicipalityStore, type ProgramFields } from '../../src/municipalities/municipality-store.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { type Agent, createTestUser, extractCsrfToken, loginAgent, makeTestApp, postForm } from '../helpers/test-app.js';

const PERSONNUMMER = '19121212-1212';

const PROGRAM: ProgramFields = {
  name: 'Bostad först Södermalm',
  supportProvider: 'Socialtjänsten Södermalm',
  housingPartners: 'Stockholmshem\nFamiljebostäder',
  supportModel: 'icm',
  startDate: '2010-09-01',
};

const PROGRAM_FORM = {
  name: 'Bostad först Kista',
  support_provider: 'Stadsmissionen',
  housing_partners: 'Svenska Bostäder',
  support_model: 'act',
  start_date: '2021-03-15',
};

/** A fresh app with one logged-in user of the given roles. */
async function setUp(roles: readonly Role[] = ['admin']) {
  const testApp = makeTestApp();
  const user = await createTestUser(testApp.db, roles);
  const agent = await loginAgent(testApp.app, user.email);
  const store = createMunicipalityStore(testApp.db);
  return { ...testApp, user, agent, store };
}

/** A municipality with one program, made through the store. */
function seed(store: ReturnType<typeof createMunicipalityStore>) {
  const municipalityId = store.insertMunicipality({ code: '0180', name: 'Stockholm' });
  const programId = store.insertProgram({ ...PROGRAM, municipalityId });
  return { municipalityId, programId };
}

/** An agent that is not logged in but holds a session with a CSRF token. */
async function anonymousAgent(app: ReturnType<typeof makeTestApp>['app']): Promise<{ agent: Agent; token: string }> {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  return { agent, token: extractCsrfToken(page.text) };
}

describe('GET /municipalities', () => {
  it('lists municipalities with code and number of programs, and shows admins the "new" link', async () => {
    const { agent, store } = await setUp();
    seed(store);
    store.insertMunicipality({ code: '0126', name: 'Huddinge' });

    const response = await agent.get('/municipalities');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<h1>Kommuner och verksamheter</h1>');
    // The cells carry their column's name (data-label) for the stacked rows on phones, and their ARIA roles, which
    // keep the table a table for screen readers when the rows are shown as blocks.
    expect(response.text).toMatch(
      /<a href="\/municipalities\/0180">Stockholm<\/a><\/th>\s*<td[^>]*>0180<\/td>\s*<td[^>]*class="num"[^>]*>1<\/td>/,
    );
    expect(response.text).toMatch(/<table role="table" class="stack-table">/);
    expect(response.text).toMatch(/<tr role="row">\s*<th role="rowheader" scope="row"><a href="\/municipalities\/0180">/);
    expect(response.text).toMatch(/<td role="cell" data-label="Kommunkod">0180<\/td>/);
    expect(response.text).toMatch(
      /<a href="\/municipalities\/0126">Huddinge<\/a><\/th>\s*<td[^>]*>0126<\/td>\s*<td[^>]*class="num"[^>]*>0<\/td>/,
    );
    expect(response.text.indexOf('Huddinge')).toBeLessThan(response.text.indexOf('Stockholm'));
    expect(response.text).toContain('href="/municipalities/new"');
  });

  it('when there are none, then it says so', async () => {
    const { agent } = await setUp();
    const response = await agent.get('/municipalities');
    expect(response.text).toContain('Inga kommuner är registrerade ännu.');
  });

  it('when the user is not an admin, then the list shows but not the "new" link', async () => {
    const { agent, store } = await setUp(['reviewer']);
    seed(store);
    const response = await agent.get('/municipalities');
    expect(response.status).toBe(200);
    expect(response.text).toContain('Stockholm');
    expect(response.text).not.toContain('href="/municipalities/new"');
  });

  it('when nobody is logged in, then it redirects to the login page', async () => {
    const { app } = makeTestApp();
    const response = await request(app).get('/municipalities');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Fmunicipalities');
  });
});

describe('POST /municipalities/new', () => {
  it('creates the municipality and redirects to its page', async () => {
    const { agent, store } = await setUp();
    const response = await postForm(agent, '/municipalities/new', '/municipalities/new', { code: ' 1281 ', name: 'Lund' });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/municipalities/1281');
    expect(store.findMunicipalityByCode('1281')).toMatchObject({ code: '1281', name: 'Lund' });

    const page = await agent.get('/municipalities/1281');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Lund</h1>');
    expect(page.text).toContain('Sparat.');
    expect(page.text).toContain('Kommunen har inga verksamheter ännu.');
  });

  it('re-renders with 422 and a Swedish message when the code is not four digits, keeping the values', async () => {
    const { agent, store } = await setUp();
    const response = await postForm(agent, '/municipalities/new', '/municipalities/new', { code: '180', name: 'Stockholm' });

    expect(response.status).toBe(422);
    expect(response.text).toContain('Ange den fyrsiffriga kommunkoden (till exempel 0180).');
    expect(response.text).toContain('value="180"');
    expect(response.text).toContain('value="Stockholm"');
    expect(response.text).toContain('aria-invalid="true"');
    expect(store.listMunicipalities()).toEqual([]);
  });

  it('gives the messages in English when the POST asks for ?lang=en', async () => {
    const { agent } = await setUp();
    const response = await postForm(agent, '/municipalities/new', '/municipalities/new?lang=en', { code: '01A0', name: '' });

    expect(response.status).toBe(422);
    expect(response.text).toContain('Enter the four-digit municipality code (for example 0180).');
    expect(response.text).toContain('Enter the municipality’s name.');
    expect(response.text).toContain('value="01A0"');
  });

  it('gives the messages in English when the language cookie says so', async () => {
    const { agent } = await setUp();
    await agent.get('/language/en?next=/municipalities');
    const response = await postForm(agent, '/municipalities/new', '/municipalities/new', { code: 'x', name: 'Lund' });

    expect(response.status).toBe(422);
    expect(response.text).toContain('<html lang="en">');
    expect(response.text).toContain('Enter the four-digit municipality code');
  });

  it('re-renders with 422 when the code is already taken', async () => {
    const { agent, store } = await setUp();
    seed(store);
    const response = await postForm(agent, '/municipalities/new', '/municipalities/new', { code: '0180', name: 'Dubbel' });

    expect(response.status).toBe(422);
    expect(response.text).toContain('Det finns redan en kommun med den koden.');
    expect(response.text).toContain('value="Dubbel"');
    expect(store.listMunicipalities()).toHaveLength(1);
  });

  it('refuses a personal identity number in the name with 422', async () => {
    const { agent, store } = await setUp();
    const response = await postForm(agent, '/municipalities/new', '/municipalities/new', {
      code: '0180',
      name: `Stockholm ${PERSONNUMMER}`,
    });

    expect(response.status).toBe(422);
    expect(response.text).toContain('ser ut som ett personnummer');
    expect(response.text).toContain(PERSONNUMMER);
    expect(store.findMunicipalityByCode('0180')).toBeUndefined();
  });

  it('answers 403 to a user who is not an admin, for GET and POST', async () => {
    const { agent, store } = await setUp(['reviewer', 'coordinator', 'researcher', 'program_lead']);
    expect((await agent.get('/municipalities/new')).status).toBe(403);
    const response = await postForm(agent, '/municipalities', '/municipalities/new', { code: '1281', name: 'Lund' });
    expect(response.status).toBe(403);
    expect(store.listMunicipalities()).toEqual([]);
  });

  it('sends anonymous visitors to the login page, for GET and POST', async () => {
    const { app, db } = makeTestApp();
    const { agent, token } = await anonymousAgent(app);
    const get = await agent.get('/municipalities/new');
    expect(get.status).toBe(303);
    expect(get.headers.location).toBe('/login?next=%2Fmunicipalities%2Fnew');
    const post = await agent.post('/municipalities/new').type('form').send({ _csrf: token, code: '1281', name: 'Lund' });
    expect(post.status).toBe(303);
    expect(post.headers.location).toMatch(/^\/login/);
    expect(createMunicipalityStore(db).listMunicipalities()).toEqual([]);
  });
});

describe('GET /municipalities/:code', () => {
  it('shows the facts and the programs, with edit links for admins', async () => {
    const { agent, store } = await setUp();
    const { programId } = seed(store);

    const response = await agent.get('/municipalities/0180');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<h1>Stockholm</h1>');
    expect(response.text).toContain('<dd>0180</dd>');
    expect(response.text).toContain(`<a href="/programs/${programId}">Bostad först Södermalm</a>`);
    expect(response.text).toContain('Socialtjänsten Södermalm');
    expect(response.text).toContain('ICM – intensiv case management');
    expect(response.text).toContain('href="/municipalities/0180/edit"');
    expect(response.text).toContain('href="/municipalities/0180/programs/new"');
  });

  it('shows no edit links to other users', async () => {
    const { agent, store } = await setUp(['coordinator']);
    seed(store);
    const response = await agent.get('/municipalities/0180');
    expect(response.status).toBe(200);
    expect(response.text).not.toContain('/municipalities/0180/edit');
    expect(response.text).not.toContain('/programs/new');
  });

  it('answers 404 for an unknown or malformed code', async () => {
    const { agent } = await setUp();
    const unknown = await agent.get('/municipalities/9999');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Sidan finns inte');
    expect((await agent.get('/municipalities/abcd')).status).toBe(404);
    expect((await agent.get('/municipalities/01800')).status).toBe(404);
    expect((await agent.get('/municipalities/9999/edit')).status).toBe(404);
  });
});

describe('POST /municipalities/:code/edit', () => {
  it('shows the current values, then saves a new name and code and redirects to the new address', async () => {
    const { agent, store } = await setUp();
    const { municipalityId } = seed(store);

    const form = await agent.get('/municipalities/0180/edit');
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="0180"');
    expect(form.text).toContain('value="Stockholm"');

    const response = await postForm(agent, '/municipalities/0180/edit', '/municipalities/0180/edit', {
      code: '0181',
      name: 'Stockholms stad',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/municipalities/0181');
    expect(store.findMunicipalityById(municipalityId)).toEqual({ id: municipalityId, code: '0181', name: 'Stockholms stad' });
    expect((await agent.get('/municipalities/0181')).text).toContain('<h1>Stockholms stad</h1>');
    expect((await agent.get('/municipalities/0180')).status).toBe(404);
  });

  it('re-renders with 422 when the new code belongs to another municipality', async () => {
    const { agent, store } = await setUp();
    seed(store);
    store.insertMunicipality({ code: '0126', name: 'Huddinge' });

    const response = await postForm(agent, '/municipalities/0126/edit', '/municipalities/0126/edit', {
      code: '0180',
      name: 'Huddinge kommun',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Det finns redan en kommun med den koden.');
    expect(response.text).toContain('value="Huddinge kommun"');
    expect(store.findMunicipalityByCode('0126')?.name).toBe('Huddinge');
  });

  it('answers 403 to a non-admin for GET and POST', async () => {
    const { agent, store } = await setUp(['reviewer']);
    seed(store);
    expect((await agent.get('/municipalities/0180/edit')).status).toBe(403);
    const response = await postForm(agent, '/municipalities', '/municipalities/0180/edit', { code: '0180', name: 'X' });
    expect(response.status).toBe(403);
    expect(store.findMunicipalityByCode('0180')?.name).toBe('Stockholm');
  });
});

describe('POST /municipalities/:code/programs/new', () => {
  it('creates the program and redirects to its page', async () => {
    const { agent, store } = await setUp();
    const { municipalityId } = seed(store);

    const form = await agent.get('/municipalities/0180/programs/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Ny verksamhet i Stockholm');
    expect(form.text).toContain('<option value="fact">FACT – flexibel ACT</option>');

    const response = await postForm(agent, '/municipalities/0180/programs/new', '/municipalities/0180/programs/new', PROGRAM_FORM);
    expect(response.status).toBe(303);
    const id = Number(/^\/programs\/(\d+)$/.exec(response.headers.location ?? '')?.[1]);
    expect(store.findProgramById(id)).toEqual({
      id,
      municipalityId,
      municipalityCode: '0180',
      municipalityName: 'Stockholm',
      name: 'Bostad först Kista',
      supportProvider: 'Stadsmissionen',
      housingPartners: 'Svenska Bostäder',
      supportModel: 'act',
      startDate: '2021-03-15',
    });

    const page = await agent.get(`/programs/${id}`);
    expect(page.text).toContain('<h1>Bostad först Kista</h1>');
    expect(page.text).toContain('ACT – aktivt uppsökande team');
    expect(page.text).toContain('2021-03-15');
  });

  it('re-renders with 422 and keeps every value when fields are invalid', async () => {
    const { agent, store } = await setUp();
    const { municipalityId } = seed(store);
    const response = await postForm(agent, '/municipalities/0180/programs/new', '/municipalities/0180/programs/new', {
      name: '',
      support_provider: 'Stadsmissionen',
      housing_partners: 'Svenska Bostäder',
      support_model: 'staircase',
      start_date: '2021-02-30',
    });

    expect(response.status).toBe(422);
    expect(response.text).toContain('Ange verksamhetens namn.');
    expect(response.text).toContain('Välj stödmodell.');
    expect(response.text).toContain('Kontrollera startdatum: ange ett datum som finns, till exempel 2026-03-10.');
    expect(response.text).toContain('value="Stadsmissionen"');
    expect(response.text).toContain('>Svenska Bostäder</textarea>');
    expect(response.text).toContain('value="2021-02-30"');
    expect(store.listProgramsOfMunicipality(municipalityId)).toHaveLength(1);
  });

  it('refuses a personal identity number in the housing partners with 422', async () => {
    const { agent, store } = await setUp();
    const { municipalityId } = seed(store);
    const response = await postForm(agent, '/municipalities/0180/programs/new', '/municipalities/0180/programs/new?lang=en', {
      ...PROGRAM_FORM,
      housing_partners: `Contact: ${PERSONNUMMER}`,
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('looks like a Swedish personal identity number');
    expect(store.listProgramsOfMunicipality(municipalityId)).toHaveLength(1);
  });

  it('re-renders with 422 when the municipality already has a program of that name', async () => {
    const { agent, store } = await setUp();
    const { municipalityId } = seed(store);
    const response = await postForm(agent, '/municipalities/0180/programs/new', '/municipalities/0180/programs/new', {
      ...PROGRAM_FORM,
      name: PROGRAM.name,
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Kommunen har redan en verksamhet med det namnet.');
    expect(store.listProgramsOfMunicipality(municipalityId)).toHaveLength(1);
  });

  it('answers 404 for an unknown municipality', async () => {
    const { agent } = await setUp();
    expect((await agent.get('/municipalities/9999/programs/new')).status).toBe(404);
    const response = await postForm(agent, '/municipalities', '/municipalities/9999/programs/new', PROGRAM_FORM);
    expect(response.status).toBe(404);
  });

  it('answers 403 to a non-admin for GET and POST', async () => {
    const { agent, store } = await setUp(['coordinator']);
    const { municipalityId } = seed(store);
    expect((await agent.get('/municipalities/0180/programs/new')).status).toBe(403);
    const response = await postForm(agent, '/municipalities', '/municipalities/0180/programs/new', PROGRAM_FORM);
    expect(response.status).toBe(403);
    expect(store.listProgramsOfMunicipality(municipalityId)).toHaveLength(1);
  });
});

describe('GET /programs/:id', () => {
  it('shows the facts, no reviews yet, and the edit and new-review links to an admin', async () => {
    const { agent, store } = await setUp();
    const { programId } = seed(store);

    const response = await agent.get(`/programs/${programId}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain('<h1>Bostad först Södermalm</h1>');
    expect(response.text).toContain('<a href="/municipalities/0180">Stockholm</a>');
    expect(response.text).toContain('Socialtjänsten Södermalm');
    expect(response.text).toContain('Stockholmshem<br>Familjebostäder');
    expect(response.text).toContain('ICM – intensiv case management');
    expect(response.text).toContain('2010-09-01');
    expect(response.text).toContain('Verksamheten har inte granskats ännu.');
    expect(response.text).toContain(`href="/programs/${programId}/edit"`);
    expect(response.text).toContain(`href="/programs/${programId}/reviews/new"`);
  });

  it('shows a coordinator the new-review link but not the edit link, and a reviewer neither', async () => {
    const { app, db, store, agent: coordinator } = await setUp(['coordinator']);
    const { programId } = seed(store);
    const coordinatorPage = await coordinator.get(`/programs/${programId}`);
    expect(coordinatorPage.text).toContain(`/programs/${programId}/reviews/new`);
    expect(coordinatorPage.text).not.toContain(`/programs/${programId}/edit`);

    const reviewer = await createTestUser(db, ['reviewer']);
    const reviewerPage = await (await loginAgent(app, reviewer.email)).get(`/programs/${programId}`);
    expect(reviewerPage.status).toBe(200);
    expect(reviewerPage.text).not.toContain(`/programs/${programId}/reviews/new`);
    expect(reviewerPage.text).not.toContain(`/programs/${programId}/edit`);
  });

  it('lists the reviews with kind, status, rubric and visit dates, linking final ones to their result', async () => {
    const { agent, store, db, rubrics, user } = await setUp();
    const { programId } = seed(store);
    const reviews = createReviewStore(db);
    const rubric = rubrics.get('mini-five');
    if (!rubric) throw new Error('fixture rubric missing');
    const draftId = reviews.insertReview({
      programId,
      rubric,
      kind: 'self_assessment',
      visitStart: undefined,
      visitEnd: undefined,
      createdBy: user.id,
    });
    const finalId = reviews.insertReview({
      programId,
      rubric,
      kind: 'peer_review',
      visitStart: '2025-03-10',
      visitEnd: '2025-03-11',
      createdBy: user.id,
    });
    expect(reviews.transition(finalId, 'draft', 'rating')).toBe(true);
    expect(reviews.transition(finalId, 'rating', 'consensus')).toBe(true);
    expect(reviews.transition(finalId, 'consensus', 'final')).toBe(true);

    const response = await agent.get(`/programs/${programId}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain(`<a href="/reviews/${draftId}">Självskattning</a>`);
    expect(response.text).toContain(`<a href="/reviews/${finalId}/result">Kollegial granskning</a>`);
    expect(response.text).toContain('<span class="badge badge--draft">Utkast</span>');
    expect(response.text).toContain('<span class="badge badge--final">Slutförd</span>');
    expect(response.text).toContain('Liten testmall, version 0.1-test');
    expect(response.text).toContain('2025-03-10 – 2025-03-11');

    const english = await agent.get(`/programs/${programId}?lang=en`);
    expect(english.text).toContain('Small test rubric, version 0.1-test');
    expect(english.text).toContain('<span class="badge badge--final">Final</span>');
  });

  it('answers 404 for an unknown or malformed id', async () => {
    const { agent } = await setUp();
    expect((await agent.get('/programs/999')).status).toBe(404);
    expect((await agent.get('/programs/abc')).status).toBe(404);
    expect((await agent.get('/programs/-1')).status).toBe(404);
    expect((await agent.get('/programs/999/edit')).status).toBe(404);
  });

  it('sends anonymous visitors to the login page', async () => {
    const { app } = makeTestApp();
    const response = await request(app).get('/programs/1');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Fprograms%2F1');
  });
});

describe('POST /programs/:id/edit', () => {
  it('shows the current values, then saves the changes and redirects to the program', async () => {
    const { agent, store } = await setUp();
    const { programId } = seed(store);

    const form = await agent.get(`/programs/${programId}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Bostad först Södermalm"');
    expect(form.text).toContain('<option value="icm" selected>');
    expect(form.text).toContain('value="2010-09-01"');

    const response = await postForm(agent, `/programs/${programId}/edit`, `/programs/${programId}/edit`, {
      ...PROGRAM_FORM,
      start_date: '',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/programs/${programId}`);
    expect(store.findProgramById(programId)).toMatchObject({
      name: 'Bostad först Kista',
      supportProvider: 'Stadsmissionen',
      supportModel: 'act',
      startDate: undefined,
    });
    const page = await agent.get(`/programs/${programId}`);
    expect(page.text).toContain('<h1>Bostad först Kista</h1>');
    expect(page.text).toContain('Sparat.');
  });

  it('when an administrator renames a program or changes a municipality, then the audit log says who, what was and what is', async () => {
    const { agent, store, db, user } = await setUp();
    const { municipalityId, programId } = seed(store);
    await postForm(agent, `/programs/${programId}/edit`, `/programs/${programId}/edit`, PROGRAM_FORM);
    await postForm(agent, `/municipalities/0180/edit`, `/municipalities/0180/edit`, { code: '0180', name: 'Stockholms stad' });
    const rows = db
      .prepare(
        "SELECT actor_id, entity, entity_key, action, old_value, new_value FROM audit_log WHERE entity IN ('program', 'municipality') AND action = 'update' ORDER BY id",
      )
      .all() as { actor_id: number; entity: string; entity_key: string; action: string; old_value: string; new_value: string }[];
    expect(rows.map((row) => [row.entity, row.entity_key, row.actor_id])).toEqual([
      ['program', String(programId), user.id],
      ['municipality', String(municipalityId), user.id],
    ]);
    expect(JSON.parse(rows[0]?.old_value ?? '{}')).toMatchObject({ name: 'Bostad först Södermalm', support_model: 'icm' });
    expect(JSON.parse(rows[0]?.new_value ?? '{}')).toMatchObject({ name: 'Bostad först Kista', support_model: 'act' });
    expect(JSON.parse(rows[1]?.new_value ?? '{}')).toEqual({ code: '0180', name: 'Stockholms stad' });
    // The administrator's log page names them in words.
    const log = await agent.get('/admin/audit');
    expect(log.text).toContain('Verksamhet');
    expect(log.text).toContain('Utförare av stödet');
    expect(log.text).toContain('ACT – aktivt uppsökande team');
  });

  it('re-renders with 422 when another program of the municipality has the new name', async () => {
    const { agent, store } = await setUp();
    const { municipalityId, programId } = seed(store);
    const otherId = store.insertProgram({ ...PROGRAM, name: 'Annat program', municipalityId });

    const response = await postForm(agent, `/programs/${otherId}/edit`, `/programs/${otherId}/edit`, {
      ...PROGRAM_FORM,
      name: PROGRAM.name,
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Kommunen har redan en verksamhet med det namnet.');
    expect(store.findProgramById(otherId)?.name).toBe('Annat program');
    expect(store.findProgramById(programId)?.name).toBe(PROGRAM.name);
  });

  it('answers 403 to a non-admin for GET and POST', async () => {
    const { agent, store } = await setUp(['coordinator', 'program_lead']);
    const { programId } = seed(store);
    expect((await agent.get(`/programs/${programId}/edit`)).status).toBe(403);
    const response = await postForm(agent, `/programs/${programId}`, `/programs/${programId}/edit`, PROGRAM_FORM);
    expect(response.status).toBe(403);
    expect(store.findProgramById(programId)?.name).toBe(PROGRAM.name);
  });
});
