// findRatingBlocks checks many people at once for the panel form's list: it must say for each exactly what
// findRatingBlock (the per-person check the save and every rating request use) says.
import { describe, expect, it } from 'vitest';
import type { Affiliation } from '../../src/accounts/affiliation.js';
import { createConflictStore } from '../../src/conflicts/conflict-store.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { countStatements } from '../helpers/count-statements.js';
import { createReviewScenario, setUpReciprocalWarning } from '../helpers/review-scenario.js';
import { createTestUser } from '../helpers/test-app.js';

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('findRatingBlocks', () => {
  it('when people have every kind of conflict, or none, then each gets what findRatingBlock gives them', async () => {
    const s = await createReviewScenario();
    // The lead (Stockholm staff) reviewed Göteborg two months ago: reviewer A (Göteborg) is warned, the lead refused.
    setUpReciprocalWarning(s);
    const municipalities = createMunicipalityStore(s.db);
    const conflicts = createConflictStore(s.db);
    const stockholmId = municipalities.findMunicipalityByCode('0180')?.id ?? 0;
    const goteborgId = municipalities.findMunicipalityByCode('1480')?.id ?? 0;
    const malmoId = municipalities.insertMunicipality({ code: '1280', name: 'Malmö' });
    // Stockholm staff reviewed Uppsala, but long before the window.
    const uppsalaId = municipalities.insertMunicipality({ code: '0380', name: 'Uppsala' });
    const uppsalaProgram = municipalities.insertProgram({
      municipalityId: uppsalaId,
      name: 'Bostad först Uppsala',
      supportProvider: 'Uppsala stadsmission',
      housingPartners: '',
      supportModel: 'icm',
      startDate: undefined,
    });
    const rubric = s.rubrics.get('bostad-forst');
    if (!rubric) throw new Error('rubric missing');
    const oldReview = s.reviews.insertReview({
      programId: uppsalaProgram,
      rubric,
      kind: 'peer_review',
      visitStart: daysFromToday(-400),
      visitEnd: undefined,
      createdBy: s.coordinator.id,
    });
    s.reviews.setPanelMember(oldReview, s.lead.id, 'lead');
    if (!s.reviews.transition(oldReview, 'draft', 'rating')) throw new Error('could not start the old review');

    const person = async (name: string, affiliation: Affiliation) => {
      const created = await createTestUser(s.db, ['reviewer'], { displayName: name });
      s.services.users.updateAffiliation(created.id, affiliation, undefined);
      return created.id;
    };
    const goteborg: Affiliation = { kind: 'municipality', municipalityId: goteborgId, organisation: 'Göteborgs stad' };
    const confirmed = await person('Göteborg, bekräftad', goteborg);
    conflicts.confirmWarning(s.reviewId, confirmed, 'Enda granskaren med ACT-erfarenhet', s.coordinator.id);
    const dismissed = await person('Göteborg, avfärdad', goteborg);
    conflicts.insertDismissal(
      { userId: dismissed, municipalityId: stockholmId, reason: 'Arbetar inte med Bostad först' },
      s.coordinator.id,
    );
    const refusedAndWarned = await person('Göteborg, med jäv', goteborg);
    conflicts.insertDeclaredConflict(
      { userId: refusedAndWarned, municipalityId: stockholmId, provider: undefined, reason: 'Tidigare anställd' },
      s.coordinator.id,
    );
    const programPerson = await person('Programmets medarbetare', { kind: 'other', municipalityId: undefined, organisation: 'Konsult' });
    s.services.members.setMember(s.programId, programPerson, 'staff', s.coordinator.id);
    const provider = await person('Utförarens medarbetare', {
      kind: 'provider',
      municipalityId: undefined,
      organisation: 'STADSMISSIONEN',
    });
    const declaredProvider = await person('Jäv mot utföraren', {
      kind: 'university',
      municipalityId: undefined,
      organisation: 'Lunds universitet',
    });
    conflicts.insertDeclaredConflict(
      { userId: declaredProvider, municipalityId: undefined, provider: 'Stadsmissionen', reason: 'Styrelseledamot' },
      s.coordinator.id,
    );
    const malmo = await person('Malmö', { kind: 'municipality', municipalityId: malmoId, organisation: 'Malmö stad' });
    const uppsala = await person('Uppsala', { kind: 'municipality', municipalityId: uppsalaId, organisation: 'Uppsala kommun' });

    const ids = [
      s.coordinator.id,
      s.lead.id,
      s.reviewerA.id,
      s.reviewerB.id,
      confirmed,
      dismissed,
      refusedAndWarned,
      programPerson,
      provider,
      declaredProvider,
      malmo,
      uppsala,
      999_999,
    ];
    const checker = s.services.conflictChecker;
    const blocks = checker.findRatingBlocks(ids, s.programId, s.reviewId);
    for (const id of ids) expect(blocks.get(id), `person ${id}`).toEqual(checker.findRatingBlock(id, s.programId, s.reviewId));

    // The scenario holds every case, so the comparison above compares something.
    const codes = (id: number) => {
      const block = blocks.get(id);
      return block ? [block.refusals.map((r) => r.code), block.unconfirmedWarnings.map((r) => r.code)] : undefined;
    };
    expect(codes(s.lead.id)).toEqual([['own-municipality'], []]);
    expect(codes(s.reviewerA.id)).toEqual([[], ['reciprocal']]);
    expect(codes(refusedAndWarned)).toEqual([['declared'], ['reciprocal']]);
    expect(codes(programPerson)).toEqual([['program-person'], []]);
    expect(codes(provider)).toEqual([['own-provider'], []]);
    expect(codes(declaredProvider)).toEqual([['declared'], []]);
    for (const id of [s.coordinator.id, s.reviewerB.id, confirmed, dismissed, malmo, uppsala, 999_999]) expect(codes(id)).toBeUndefined();

    // The panel form lists everyone: the check reads its facts once for all of them, never once per person.
    const few = countStatements(s.db, () => checker.findRatingBlocks(ids.slice(0, 2), s.programId, s.reviewId));
    const all = countStatements(s.db, () => checker.findRatingBlocks(ids, s.programId, s.reviewId));
    expect(all.result.size).toBeGreaterThan(few.result.size);
    expect(all.statements).toEqual(few.statements);
    expect(all.statements.length).toBeGreaterThan(0);
    expect(all.statements.length).toBeLessThanOrEqual(8);
  });

  it('when asked about the earlier review of the other municipality, then its people are refused there and its own panel is not warned', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    const checker = s.services.conflictChecker;
    const earlier = s.db.prepare('SELECT id, program_id FROM reviews ORDER BY id DESC LIMIT 1').get() as { id: number; program_id: number };
    const ids = [s.lead.id, s.reviewerA.id];
    const blocks = checker.findRatingBlocks(ids, earlier.program_id, earlier.id);
    for (const id of ids) expect(blocks.get(id)).toEqual(checker.findRatingBlock(id, earlier.program_id, earlier.id));
    // Reviewer A works in Göteborg; the lead sat on that review, which does not count against itself.
    expect(blocks.get(s.reviewerA.id)?.refusals.map((r) => r.code)).toEqual(['own-municipality']);
    expect(blocks.get(s.lead.id)).toBeUndefined();
  });
});
