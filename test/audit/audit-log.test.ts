import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAuditStore } from '../../src/audit/audit-store.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { createTestUser, postForm } from '../helpers/test-app.js';

function entriesOf(s: { db: Parameters<typeof createAuditStore>[0] }, reviewId?: number) {
  return [...createAuditStore(s.db).iterateEntries(reviewId)];
}

describe('the audit log', () => {
  it('records who changed a rating, with the old and the new value', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const a = await s.login(s.reviewerA);
    const section = s.rubric.sections[0];
    const indicator = section?.indicators[0];
    if (!section || !indicator) throw new Error('missing');
    const versions = Object.fromEntries(section.indicators.map((i) => [`version__${i.id}`, '0']));
    expect(
      (
        await postForm(a, `/reviews/${s.reviewId}/rate/${section.id}`, `/reviews/${s.reviewId}/rate/${section.id}`, {
          ...versions,
          [`score__${indicator.id}`]: '2',
        })
      ).status,
    ).toBe(303);
    const page = await a.get(`/reviews/${s.reviewId}/rate/${section.id}`);
    expect(page.text).toContain(`name="version__${indicator.id}" value="1"`);
    expect(
      (
        await postForm(a, `/reviews/${s.reviewId}/rate/${section.id}`, `/reviews/${s.reviewId}/rate/${section.id}`, {
          ...versions,
          [`version__${indicator.id}`]: '1',
          [`score__${indicator.id}`]: '3',
        })
      ).status,
    ).toBe(303);
    // The log table holds the values (what readers are shown of them is the next test's subject).
    const changes = s.db
      .prepare("SELECT action, actor_id, old_value, new_value FROM audit_log WHERE entity = 'rating' AND entity_key = ? ORDER BY id")
      .all(`${s.reviewerA.id}/${indicator.id}`) as { action: string; actor_id: number; old_value: string | null; new_value: string }[];
    expect(changes.map((e) => e.action)).toEqual(['insert', 'update']);
    expect(changes[1]?.actor_id).toBe(s.reviewerA.id);
    expect(JSON.parse(changes[1]?.old_value ?? '{}')).toMatchObject({ score: 2 });
    expect(JSON.parse(changes[1]?.new_value ?? '{}')).toMatchObject({ score: 3 });
  });

  it('when a rater saves a draft, then no reader of the log sees its values: not the coordinator, not an administrator, not in CSV', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const indicators = listIndicators(s.rubric);
    const first = indicators[0]?.indicator;
    if (!first) throw new Error('missing');
    const draft = s.reviews.saveRatings(s.reviewId, s.reviewerA.id, [
      { indicatorId: first.id, score: first.scale.min, notApplicable: false, evidence: [], note: 'HEMLIGT-UTKAST om teamets arbete' },
    ]);
    expect(draft.outcome).toBe('saved');
    const admin = await createTestUser(s.db, ['admin']);
    const readers = [
      { agent: await s.login(s.coordinator), paths: [`/reviews/${s.reviewId}/audit`, `/reviews/${s.reviewId}/audit.csv`] },
      { agent: await s.login(admin), paths: ['/admin/audit', '/admin/audit.csv', `/reviews/${s.reviewId}/audit`] },
    ];
    for (const { agent, paths } of readers) {
      for (const path of paths) {
        const response = await agent.get(path);
        expect(response.status, path).toBe(200);
        expect(response.text, path).toContain(`${s.reviewerA.id}/${first.id}`);
        expect(response.text, path).not.toContain('HEMLIGT-UTKAST');
        expect(response.text, path).not.toContain('"score"');
        expect(response.text, path).not.toMatch(/"score":/);
      }
    }
    const page = await readers[0]?.agent.get(`/reviews/${s.reviewId}/audit`);
    expect(page?.text).toContain('utkast, visas inte');
    const csv = await readers[0]?.agent.get(`/reviews/${s.reviewId}/audit.csv`);
    const header = csv?.text.split('\r\n')[0] ?? '';
    // values_withheld, then the command-line tool and its OS user, empty for the app's own entries.
    expect(header.endsWith('old_value;new_value;values_withheld;command;os_user')).toBe(true);
    const ratingLine = csv?.text.split('\r\n').find((line) => line.includes(`;${s.reviewerA.id}/${first.id};`));
    expect(ratingLine?.endsWith(';;;1;;')).toBe(true);
  });

  it('when the review has reached consensus, then drafts stay withheld and only changes after a rater submitted show their values', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1, 'Utkastets anteckning');
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const indicator = listIndicators(s.rubric)[0]?.indicator;
    if (!indicator) throw new Error('missing');
    // A change after submitting (the app allows none; here it is made behind its back) is exactly what the log must show.
    // It follows the submission at once, most often in the same millisecond: the rule goes by the log's order.
    s.db
      .prepare("UPDATE ratings SET note = 'Ändrad efter inlämning' WHERE review_id = ? AND rater_id = ? AND indicator_id = ?")
      .run(s.reviewId, s.reviewerA.id, indicator.id);
    const coordinator = await s.login(s.coordinator);
    const page = await coordinator.get(`/reviews/${s.reviewId}/audit.csv`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Utkastets anteckning"}";');
    const lines = page.text.split('\r\n').filter((line) => line.includes(`;${s.reviewerA.id}/${indicator.id};`));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(';insert;;;1;;');
    expect(lines[1]).toContain('Ändrad efter inlämning');
    expect(lines[1]?.endsWith(';0;;')).toBe(true);
  });

  it('when a change is logged in the same millisecond as the submission, then it still counts as after it: the log order decides', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1, 'Utkastets anteckning');
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const indicator = listIndicators(s.rubric)[0]?.indicator;
    if (!indicator) throw new Error('missing');
    const key = `${s.reviewerA.id}/${indicator.id}`;
    s.db
      .prepare("UPDATE ratings SET note = 'Ändrad i samma millisekund' WHERE review_id = ? AND rater_id = ? AND indicator_id = ?")
      .run(s.reviewId, s.reviewerA.id, indicator.id);
    // The submission's time is forced to the change's own millisecond, as a fast machine (or a coarse clock) gives.
    s.db
      .prepare(
        "UPDATE panel_members SET submitted_at = (SELECT at FROM audit_log WHERE entity = 'rating' AND entity_key = ? ORDER BY id DESC LIMIT 1) WHERE review_id = ? AND user_id = ?",
      )
      .run(key, s.reviewId, s.reviewerA.id);
    const entries = entriesOf(s, s.reviewId).filter((e) => e.entity === 'rating' && e.entityKey === key);
    expect(entries.map((e) => [e.action, e.valuesWithheld])).toEqual([
      ['insert', true],
      ['update', false],
    ]);
    expect(entries[1]?.newValue).toContain('Ändrad i samma millisekund');
    const coordinator = await s.login(s.coordinator);
    const csv = await coordinator.get(`/reviews/${s.reviewId}/audit.csv`);
    const lines = csv.text.split('\r\n').filter((line) => line.includes(`;${key};`));
    expect(lines[1]).toContain('Ändrad i samma millisekund');
    expect(lines[1]?.endsWith(';0;;')).toBe(true);
  });

  it('when the clock stamps a draft later than the submission, then the draft stays withheld: the log order decides', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1, 'HEMLIGT-UTKAST');
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    // A clock set back (or a skewed one) leaves the submission with an earlier time than the drafts logged before it.
    s.db.prepare("UPDATE panel_members SET submitted_at = '2000-01-01T00:00:00.000Z' WHERE review_id = ?").run(s.reviewId);
    const ratings = entriesOf(s, s.reviewId).filter((e) => e.entity === 'rating');
    expect(ratings.length).toBeGreaterThan(0);
    expect(ratings.every((e) => e.valuesWithheld && e.newValue === undefined)).toBe(true);
    const coordinator = await s.login(s.coordinator);
    const csv = await coordinator.get(`/reviews/${s.reviewId}/audit.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).not.toContain('HEMLIGT-UTKAST');
  });

  it('records status changes, panel changes and consensus with their actor', async () => {
    const s = await createReviewScenario();
    const coordinator = await s.login(s.coordinator);
    await postForm(coordinator, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, { user_id: String(s.lead.id), role: 'lead' });
    await postForm(coordinator, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, {
      user_id: String(s.reviewerA.id),
      role: 'reviewer',
    });
    await postForm(coordinator, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'rating' });
    const entries = entriesOf(s, s.reviewId);
    const panel = entries.filter((e) => e.entity === 'panel_member' && e.action === 'insert');
    expect(panel.map((e) => [e.entityKey, e.actorId])).toEqual([
      [String(s.lead.id), s.coordinator.id],
      [String(s.reviewerA.id), s.coordinator.id],
    ]);
    const status = entries.find((e) => e.entity === 'review' && e.action === 'update');
    expect(status?.actorId).toBe(s.coordinator.id);
    expect(JSON.parse(status?.oldValue ?? '{}').status).toBe('draft');
    expect(JSON.parse(status?.newValue ?? '{}').status).toBe('rating');
  });

  it('records user and role changes without the password hash', async () => {
    const s = await createReviewScenario();
    const users = createUserStore(s.db);
    users.updatePassword(s.reviewerA.id, 'new-hash-value', s.reviewerA.id);
    const entries = entriesOf(s).filter((e) => e.entity === 'user' && e.entityKey === String(s.reviewerA.id));
    expect(entries.map((e) => e.action)).toEqual(['insert', 'update']);
    expect(entries[1]?.newValue).toContain('"password_changed":1');
    expect(JSON.stringify(entries)).not.toContain('new-hash-value');
    expect(entriesOf(s).some((e) => e.entity === 'user_role' && e.entityKey === `${s.reviewerA.id}/reviewer`)).toBe(true);
  });

  it('records each rubric version the app pins', async () => {
    const s = await createReviewScenario();
    const rubric = entriesOf(s).find((e) => e.entity === 'rubric');
    expect(rubric?.entityKey).toBe(`bostad-forst@${s.rubric.version}`);
  });

  it('records a rubric version the server loads once, however often it starts', async () => {
    const s = await createReviewScenario();
    const mini = s.rubrics.get('mini-five');
    if (!mini) throw new Error('fixture missing');
    const first = s.reviews.recordRubricSnapshot(mini);
    expect(s.reviews.recordRubricSnapshot(mini)).toBe(first);
    const logged = entriesOf(s).filter((e) => e.entity === 'rubric' && e.entityKey === `mini-five@${mini.rubric.version}`);
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]?.newValue ?? '{}').content_hash).toBe(mini.contentHash);
  });

  it('cannot be edited or deleted, even with SQL', async () => {
    const s = await createReviewScenario();
    expect(entriesOf(s).length).toBeGreaterThan(0);
    expect(() => s.db.prepare("UPDATE audit_log SET new_value = 'forged'").run()).toThrow(/append-only/);
    expect(() => s.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('is shown to administrators in full and as CSV, and to a coordinator for their own reviews only', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const admin = await createTestUser(s.db, ['admin']);
    const otherCoordinator = await createTestUser(s.db, ['coordinator']);
    const adminAgent = await s.login(admin);
    const page = await adminAgent.get('/admin/audit');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Panelmedlem');
    const csv = await adminAgent.get('/admin/audit.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toContain('id;at;actor_id;actor;entity;entity_key;review_id;action;old_value;new_value');
    const own = await s.login(s.coordinator);
    expect((await own.get(`/reviews/${s.reviewId}/audit`)).status).toBe(200);
    expect((await own.get(`/reviews/${s.reviewId}/audit.csv`)).status).toBe(200);
    expect((await own.get('/admin/audit')).status).toBe(403);
    const other = await s.login(otherCoordinator);
    expect((await other.get(`/reviews/${s.reviewId}/audit`)).status).toBe(403);
    const reviewer = await s.login(s.reviewerA);
    expect((await reviewer.get(`/reviews/${s.reviewId}/audit`)).status).toBe(403);
    // Someone who may not see the review at all learns nothing of it: the same 404 as for an unknown id.
    const outsider = await s.login(s.outsider);
    expect((await outsider.get(`/reviews/${s.reviewId}/audit`)).status).toBe(404);
    expect((await outsider.get('/reviews/999999/audit')).status).toBe(404);
    expect((await request(s.app).get('/admin/audit')).status).toBe(303);
  });
});

describe('reopening a final review', () => {
  async function finalReview() {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    for (const { indicator } of listIndicators(s.rubric)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    s.reviews.transition(s.reviewId, 'consensus', 'final');
    return s;
  }

  it('needs an administrator and a reason, which is logged and listed', async () => {
    const s = await finalReview();
    const coordinator = await s.login(s.coordinator);
    expect((await postForm(coordinator, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/reopen`, { reason: 'Fel i A1' })).status).toBe(
      403,
    );
    const admin = await createTestUser(s.db, ['admin']);
    const agent = await s.login(admin);
    const empty = await postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/reopen`, { reason: '' });
    expect(empty.status).toBe(422);
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('final');
    const reopened = await postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/reopen`, {
      reason: 'Konsensus för A1 fördes in fel',
    });
    expect(reopened.status).toBe(303);
    const review = s.reviews.findReviewById(s.reviewId);
    expect(review?.status).toBe('consensus');
    expect(review?.finalisedAt).toBeUndefined();
    expect(s.reviews.listReopenings(s.reviewId)).toMatchObject([{ reopenedBy: admin.id, reason: 'Konsensus för A1 fördes in fel' }]);
    expect(entriesOf(s, s.reviewId).some((e) => e.entity === 'reopening' && e.actorId === admin.id)).toBe(true);
    expect((await agent.get(`/reviews/${s.reviewId}`)).text).toContain('Konsensus för A1 fördes in fel');
  });
});
