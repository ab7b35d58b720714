// The Stockholm 2026 review's board-report parts in the demo: priorities and owners of its
// recommendations, the panel's overall judgement, the evidence base of the visit, and the program's factual check
// with its response and what the panel changed, each at its date. Fictional, program-level texts only.
import type { SettableClock } from '../clock.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { FindingsInput, RecommendationMeta, RecommendationOwner } from '../reviews/review-types.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import { DEMO_STORY_VISIT_DAY, type DemoDates } from './demo-dates.js';

/** Who each area's recommendations fall to; the rest to the provider. */
const OWNER_BY_CODE: Readonly<Record<string, RecommendationOwner>> = {
  A1: 'housing',
  A3: 'social_services',
  A8: 'board',
  B1: 'social_services',
  B3: 'housing',
  B6: 'board',
};

/**
 * Areas whose first recommendation is high, and whose owner it is, although they are no principle: B2's is the
 * caseload, which caps the level, and its vacant posts are the social services' to fill (the judgement says so).
 */
const HIGH_FIRST: Readonly<Record<string, RecommendationOwner>> = { B2: 'social_services' };

/**
 * Priorities and owners for a round's recommendations: a principle's first recommendation is high (the principles
 * decide the level), as is that of an area holding what caps it; another agreement area's first medium, any second
 * one low.
 */
export function addDemoPriorities(rubric: Rubric, findings: readonly FindingsInput[]): FindingsInput[] {
  return findings.map((section) => {
    const rubricSection = rubric.sections.find((s) => s.id === section.sectionId);
    const code = rubricSection?.code ?? '';
    const principle = rubricSection?.kind === rubric.parts[0]?.id;
    const owner = OWNER_BY_CODE[code] ?? 'provider';
    const firstOwner = HIGH_FIRST[code];
    const recommendationMeta: RecommendationMeta[] = section.recommendations.map((_text, index) => ({
      priority: index > 0 ? 'low' : principle || firstOwner !== undefined ? 'high' : 'medium',
      owner: index === 0 && firstOwner !== undefined ? firstOwner : owner,
    }));
    return { ...section, recommendationMeta };
  });
}

/** When two of the four case manager posts fell vacant (the autumn before the 2026 visit), and when one was filled. */
export const POSTS_VACANT_FROM = '2025-10-01';
export const POST_FILLED_ON = '2026-04-20';

export type DemoReportPeople = { readonly leadId: number; readonly coordinatorId: number; readonly programLeadId: number };

const expectSaved = (step: string, outcome: string) => {
  if (outcome !== 'saved' && outcome !== 'sent') throw new Error(`demo seed: ${step} gave ${outcome}`);
};

/** Writes the judgement and the evidence base of a review in consensus, at the consensus meeting. */
export function seedDemoJudgementAndEvidence(reviews: ReviewStore, reviewId: number, people: DemoReportPeople, dates: DemoDates): void {
  expectSaved(
    'saveJudgement',
    reviews.saveJudgement(
      reviewId,
      'Bostad först Stockholm erbjuder vanliga, spridda lägenheter utan krav på att deltagarna först ska vara redo för eget boende, och stödet är frivilligt och flexibelt. ' +
        'Fler deltagare har i dag ett skriftligt besked om när kontraktet går över till dem, men få har ännu ett eget förstahandskontrakt. ' +
        'Vakanta tjänster som case manager har gett för många deltagare per case manager, och det är det som begränsar nivån. ' +
        'Socialnämnden behöver säkra bemanningen, och bostadsbolagen behöver upplåta fler förstahandskontrakt, för att verksamheten ska nå hög modelltrohet.',
      0,
      people.leadId,
    ),
  );
  expectSaved(
    'saveEvidenceBase',
    reviews.saveEvidenceBase(
      reviewId,
      {
        staff: 7,
        participants: 6,
        caseOfficers: 3,
        landlords: 2,
        partners: 2,
        caseFiles: 10,
        caseFileAccess: 'consent',
        // The plan of the visit's year, and the follow-up of the outcome period before it (seed-demo.ts): the periods
        // move by whole years, and stay the years before the visit's (findDemoYearShift).
        documents: `Verksamhetsplan ${dates.year(DEMO_STORY_VISIT_DAY)}\nÖverenskommelsen om stödet\nRutin för hyresskulder\nUppföljning av utfall ${dates.period('2025-01-01', '2025-12-31')}`,
        meetings: 'Teammöte\nMöte i styrgruppen med bostadsbolaget',
        oralDebrief: true,
      },
      0,
      people.coordinatorId,
    ),
  );
}

/**
 * The factual check, each step at its date: the coordinator sends the draft, the program lead answers some weeks later,
 * and the panel lead corrects the draft (`correct`, run at the same time) and records what changed. The draft said that
 * two case manager posts had been vacant since autumn 2025; the program adds that one was filled after the visit, and
 * the score stays, since the panel rates the practice at the visit. `time` moves the dates and `storyDates` names the
 * moved months and years in the texts.
 */
export function seedDemoFactualCheck(
  reviews: ReviewStore,
  reviewId: number,
  people: DemoReportPeople,
  time: Pick<SettableClock, 'at'>,
  storyDates: DemoDates,
  dates: { readonly sent: string; readonly answered: string; readonly changed: string },
  correct: () => void,
): void {
  time.at(dates.sent, () => expectSaved('sendFactualCheck', reviews.sendFactualCheck(reviewId, people.coordinatorId)));
  time.at(dates.answered, () =>
    expectSaved(
      'saveFactualResponse',
      reviews.saveFactualResponse(
        reviewId,
        {
          corrections: `Under Hinder står det att två tjänster som case manager har varit vakanta sedan ${storyDates.seasonYear(POSTS_VACANT_FROM)}. Den ena är tillsatt sedan ${storyDates.date(POST_FILLED_ON)}.`,
          response:
            'Vi tackar panelen för ett grundligt arbete. Vi delar bilden av bemanningen och tar rekommendationerna om antalet deltagare per case manager och om utbildning till vår handlingsplan.',
        },
        0,
        people.programLeadId,
      ),
    ),
  );
  time.at(dates.changed, () => {
    correct();
    expectSaved(
      'saveFactualChanges',
      reviews.saveFactualChanges(
        reviewId,
        `Texten under Hinder säger nu att den ena tjänsten tillsattes ${storyDates.date(POST_FILLED_ON)}, efter besöket. Poängen ändrades inte: panelen bedömer läget vid besöket, då båda tjänsterna var vakanta.`,
        0,
        people.leadId,
      ),
    );
  });
}
