// Barriers (hinder): systemic, organisational and individual, agreed in the consensus phase with the findings and
// shown on the result page and in the report.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createScenarioInConsensus, type ReviewScenario } from '../helpers/review-scenario.js';
import { extractCsrfToken, postForm } from '../helpers/test-app.js';

const FINDINGS = (s: ReviewScenario) => `/reviews/${s.reviewId}/findings`;

describe('barriers on the findings form', () => {
  it('when the lead writes barriers per category, one per line, then they are stored in order and the form shows them again', async () => {
    const s = await createScenarioInConsensus();
    const lead = await s.login(s.lead);
    const form = await lead.get(FINDINGS(s));
    expect(form.text).toContain('Strukturella hinder');
    expect(form.text).toContain('for="f-barriers__organisational"');
    const saved = await postForm(lead, FINDINGS(s), FINDINGS(s), {
      barriers__systemic: 'Brist på hyresrätter med förstahandskontrakt\n- Otydligt kostnadsansvar mellan nämnder',
      barriers__organisational: 'Hög personalomsättning',
      barriers__individual: '',
      version: '0',
    });
    expect(saved.status).toBe(303);
    expect(s.reviews.listBarriers(s.reviewId)).toEqual([
      { category: 'systemic', position: 1, text: 'Brist på hyresrätter med förstahandskontrakt' },
      { category: 'systemic', position: 2, text: 'Otydligt kostnadsansvar mellan nämnder' },
      { category: 'organisational', position: 1, text: 'Hög personalomsättning' },
    ]);
    const again = await lead.get(FINDINGS(s));
    expect(again.text).toContain('Brist på hyresrätter med förstahandskontrakt\nOtydligt kostnadsansvar mellan nämnder');
    // Every change is in the audit log, like the findings.
    const logged = s.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'barrier' AND review_id = ?").get(s.reviewId) as {
      n: number;
    };
    expect(logged.n).toBe(3);
  });

  it('when a barrier holds a personnummer, then nothing is saved and the form comes back with the text and a message at the field', async () => {
    const s = await createScenarioInConsensus();
    const lead = await s.login(s.lead);
    const refused = await postForm(lead, FINDINGS(s), `${FINDINGS(s)}?lang=en`, { barriers__individual: 'Gäller 19121212-1212' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Gäller 19121212-1212');
    expect(refused.text).toMatch(/id="err-barriers__individual"/);
    expect(refused.text).toContain('The list of individual barriers contains what looks like');
    expect(s.reviews.listBarriers(s.reviewId)).toEqual([]);
  });
});

describe('the findings form after the review was finalised', () => {
  it('when the lead posts it after finalising, then 409 keeps every typed box, offers no Save, and nothing changes', async () => {
    const s = await createScenarioInConsensus();
    const lead = await s.login(s.lead);
    const form = await lead.get(FINDINGS(s));
    s.reviews.replaceFindings(s.reviewId, [], s.lead.id, [{ category: 'systemic', items: ['Få lediga lägenheter'] }]);
    for (const { indicator } of listIndicators(s.rubric)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    expect(s.reviews.transition(s.reviewId, 'consensus', 'final')).toBe(true);
    const section = s.rubric.sections[0];
    if (!section) throw new Error('missing');
    const posted = await lead
      .post(FINDINGS(s))
      .type('form')
      .send({
        _csrf: extractCsrfToken(form.text),
        version: '0',
        [`strengths__${section.id}`]: 'Tydlig rutin för nycklar',
        barriers__organisational: 'Hög personalomsättning',
      });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('Granskningen är slutförd och låst, så inget sparades.');
    expect(posted.text).toContain('Tydlig rutin för nycklar</textarea>');
    expect(posted.text).toContain('Hög personalomsättning</textarea>');
    expect(posted.text).not.toContain('Spara styrkor, rekommendationer och hinder');
    expect(s.reviews.listFindings(s.reviewId)).toEqual([]);
    expect(s.reviews.listBarriers(s.reviewId)).toEqual([{ category: 'systemic', position: 1, text: 'Få lediga lägenheter' }]);
    // Anyone else gets the plain refusal, with nothing given back.
    const coordinator = await s.login(s.coordinator);
    const page = await coordinator.get(`/reviews/${s.reviewId}/consensus`);
    const refused = await coordinator
      .post(FINDINGS(s))
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), barriers__individual: 'Koordinatorns text' });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('Koordinatorns text');
  });
});

describe('barriers on the result page', () => {
  it('shows each category with its barriers, and "none given" for an empty one', async () => {
    const s = await createScenarioInConsensus();
    s.reviews.replaceFindings(s.reviewId, [], s.lead.id, [
      { category: 'systemic', items: ['Få lediga lägenheter'] },
      { category: 'organisational', items: [] },
      { category: 'individual', items: ['Personalen saknar utbildning i MI'] },
    ]);
    for (const { indicator } of listIndicators(s.rubric)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    s.reviews.transition(s.reviewId, 'consensus', 'final');
    const reader = await s.login(s.outsider);
    const page = await reader.get(`/reviews/${s.reviewId}/result`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2 id="barriers">Hinder</h2>');
    expect(page.text).toContain('<li>Få lediga lägenheter</li>');
    expect(page.text).toContain('<li>Personalen saknar utbildning i MI</li>');
    const organisational = page.text.slice(page.text.indexOf('Hinder i organisationen'));
    expect(organisational.slice(0, 200)).toContain('Inga angivna.');
    const english = await reader.get(`/reviews/${s.reviewId}/result?lang=en`);
    expect(english.text).toContain('Systemic barriers');
  });
});
