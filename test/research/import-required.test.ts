// The research import refuses N/A on an indicator the rubric requires (rubric 2.0's core items), naming it,
// and imports nothing.
import { describe, expect, it } from 'vitest';
import { createReviewScenario } from '../helpers/review-scenario.js';
import { createTestUser, extractCsrfToken, loginAgent } from '../helpers/test-app.js';

const HEADER =
  'municipality_code,program,review_id,review_date,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus';

describe('POST /research/import of a required indicator marked N/A', () => {
  it('when a consensus row marks A1.1 (a1-lease-type, rubric 2.0) N/A, then the row is refused by name and nothing is imported', async () => {
    const s = await createReviewScenario();
    expect(s.rubric.version).toBe('2.0');
    const researcher = await createTestUser(s.db, ['researcher'], { displayName: 'Rut Researcher' });
    const agent = await loginAgent(s.app, researcher.email);
    const page = await agent.get('/research/import');
    const base = '0180,Bostad först Stockholm,paper-1,2019-05-14,bostad-forst,2.0,a1-housing-right';
    const csv = `${HEADER}\r\n${base},a1-lease-type,,,,1,1\r\n${base},a1-affordability,,,,1,1\r\n`;
    const before = (s.db.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n;
    const response = await agent
      .post('/research/import')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), rubric: 'bostad-forst', kind: 'peer_review', csv });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Indikatorn a1-lease-type måste bedömas: den kan inte vara ej tillämplig.');
    expect(response.text).not.toContain('Indikatorn a1-affordability måste bedömas');
    expect((s.db.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n).toBe(before);
  });
});
