// The Stockholm program's self-assessment in the demo: made by the program lead alone on the shipped rubric some weeks
// before the 2026 visit, finalised, and shared with that round's panel, since a program assesses itself before the
// peer review (domain.md §4; the 2026 raters' notes "Stämmer med verksamhetens självskattning" read it). It is rated
// honestly against what the panel then found, so the project leader's gap view has something to compare: the panel's
// consensus, except where the story below says otherwise. A few indicators are higher, a core element among them, as
// self-assessments tend to be; two are lower, as the raters who noted that they agreed with it scored them; two are
// ej tillämplig. Written through the same stores and workflow as the app's routes, each step at its date (DemoTime);
// nothing is drawn from the demo's seeded stream, so the rest of the demo stays as it was.
import type { SettableClock } from '../clock.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { ConsensusInput, RatingInput } from '../reviews/review-types.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import { allowsNotApplicable, listIndicators, type RubricIndicator } from '../rubrics/rubric-schema.js';
import type { SelfAssessments } from '../self-assessment/self-assessment-workflow.js';
import type { DemoDates } from './demo-dates.js';
import { POSTS_VACANT_FROM } from './demo-report-parts.js';

/**
 * The day the program assessed itself and when each step was taken: three to four weeks before the 2026 visit
 * (10 March), after the round was opened (19 January), and shared with its panel before the visit.
 */
export const SELF_ASSESSMENT_DAY = '2026-02-09';
const SELF_ASSESSMENT_TIMES = {
  started: '2026-02-09T08:30:00.000Z',
  rated: '2026-02-11T14:00:00.000Z',
  agreed: '2026-02-12T09:00:00.000Z',
  finalised: '2026-02-12T09:30:00.000Z',
  shared: '2026-02-13T10:00:00.000Z',
} as const;

/**
 * Where the lead's rating differs from the panel's later consensus, or needs the lead's reasons (a core element at a
 * score that caps the level, for which the consensus form asks one): the level ('na' for ej tillämplig, only where
 * the rubric allows it) and the consensus rationale the lead wrote after adopting the ratings. Program-level texts in
 * the lead's words; none is about a single participant.
 */
type ToldRating = { readonly level: number | 'na'; readonly rationale: (dates: DemoDates) => string };
const TOLD: Readonly<Record<string, ToldRating>> = {
  // Higher than the panel, the core element A1.1 among them: the lead estimated from the newer leases.
  'a1-lease-type': {
    level: 4,
    rationale: (dates) =>
      `Alla som har flyttat in sedan ${dates.seasonYear('2025-04-01')} har fått ett skriftligt och daterat besked om när kontraktet går över till dem. Med dem som redan har förstahandskontrakt bedömer vi att det gäller minst 80 % av deltagarna.`,
  },
  'a2-choice-of-home': {
    level: 3,
    rationale: () =>
      'Vi frågar alltid efter önskemål om område, och den som tackar nej får oftast ett nytt erbjudande. Valet är ändå litet, eftersom bostadsbolagen erbjuder de lägenheter som blir lediga.',
  },
  'a7-individual-plan': {
    level: 3,
    rationale: (dates) =>
      `De flesta deltagare har en daterad plan som är skriven tillsammans med dem. Sedan ${dates.seasonYear(POSTS_VACANT_FROM)} har några planer inte följts upp i tid, eftersom två tjänster är vakanta.`,
  },
  'b4-employment-services': {
    level: 2,
    rationale: () => 'Vi har kontakt med arbetsmarknadsenheten, men bara i enstaka ärenden och utan någon överenskommelse.',
  },
  // Lower than the panel, where the vacancies weigh on the practice. The raters who scored these as the lead did
  // noted that their rating agreed with the self-assessment.
  'a8-re-housing': {
    level: 3,
    rationale: () =>
      'Vi har en rutin för ny bostad och använder den oftast, men när bostadsbolagen har få lediga lägenheter tar det lång tid.',
  },
  'b2-response-time': {
    level: 2,
    rationale: () => 'Med två tjänster vakanta tar det ofta flera dagar innan vi svarar, och när en kontakt kom in dokumenteras sällan.',
  },
  // What the program cannot judge by itself.
  'b6-respite': {
    level: 'na',
    rationale: () =>
      'Vi har inte behövt någon sviktplats under det senaste året och kan därför inte bedöma hur avtalet fungerar i praktiken.',
  },
  'b6-landlord-satisfaction': {
    level: 'na',
    rationale: () =>
      'Hur nöjda hyresvärdarna är kan bara de själva svara på, och vi har inte frågat dem inför självskattningen. Vi lämnar det till hyresvärdsintervjun vid besöket.',
  },
  // As the panel found it; the consensus form asks for the reasons of a core element at the minimum.
  'b2-caseload': {
    level: 1,
    rationale: (dates) =>
      `Två av de fyra tjänsterna som case manager har varit vakanta sedan ${dates.seasonYear(POSTS_VACANT_FROM)}, så varje case manager har i dag över 20 deltagare. Båda tjänsterna är utannonserade.`,
  },
};

/** The lead's working notes while rating, where the lead wrote down what the rating rests on. */
const NOTES: Readonly<Record<string, string>> = {
  'a1-lease-type': 'Uppskattat utifrån inflyttningslistan. De äldre kontrakten har vi inte gått igenom ett och ett.',
  'a7-individual-plan': 'Stickprov i åtta akter.',
  'b1-staff-continuity': 'Fyra case managers har slutat på två år.',
  'b2-caseload': 'Enligt bemanningslistan och deltagarlistan.',
};

/** The sources a program has of its own: its documents, its case files and its staff. */
const OWN_SOURCES: ReadonlySet<string> = new Set(['D', 'C', 'S']);

/** The lead's rating of one indicator: the story's, or else the panel's consensus. */
function rateIndicator(indicator: RubricIndicator, panel: ConsensusInput | undefined): RatingInput {
  const told = TOLD[indicator.id];
  const level = told?.level ?? (panel === undefined || panel.notApplicable ? 'na' : panel.score);
  if (level === null) throw new Error(`demo seed: the panel left ${indicator.id} undecided`);
  if (level === 'na' && !allowsNotApplicable(indicator)) throw new Error(`demo seed: ${indicator.id} cannot be ej tillämplig`);
  const note = NOTES[indicator.id] ?? '';
  if (level === 'na') return { indicatorId: indicator.id, score: null, notApplicable: true, evidence: [], note };
  return {
    indicatorId: indicator.id,
    score: level,
    notApplicable: false,
    evidence: indicator.evidence.filter((code) => OWN_SOURCES.has(code)),
    note,
  };
}

function expectStep(step: string, actual: string | boolean, expected: string | boolean): void {
  if (actual !== expected) throw new Error(`demo seed: ${step} returned ${String(actual)}, expected ${String(expected)}`);
}

/**
 * Seeds the self-assessment as the app's routes take it, each step at its date: the lead starts it alone, rates and
 * submits, adopts the ratings as consensus in one step (a lone rater's), writes the rationales, finalises, and shares
 * it with the coming peer review `peerReviewId` (which must not be final yet). `panelConsensus` is what that round's
 * panel decided. Returns the self-assessment's id.
 */
export function seedDemoSelfAssessment(
  { reviews, selfAssessments }: { readonly reviews: ReviewStore; readonly selfAssessments: SelfAssessments },
  time: Pick<SettableClock, 'at'>,
  dates: DemoDates,
  input: {
    readonly programId: number;
    readonly leadId: number;
    readonly rubric: LoadedRubric;
    readonly peerReviewId: number;
    readonly panelConsensus: ReadonlyMap<string, ConsensusInput>;
  },
): number {
  const { leadId, rubric } = input;
  const indicators = listIndicators(rubric.rubric).map(({ indicator }) => indicator);
  const id = time.at(SELF_ASSESSMENT_TIMES.started, () =>
    selfAssessments.startSelfAssessment({
      programId: input.programId,
      rubric,
      leadId,
      coRaterIds: [],
      date: dates.day(SELF_ASSESSMENT_DAY),
    }),
  );
  time.at(SELF_ASSESSMENT_TIMES.rated, () => {
    const ratings = indicators.map((indicator) => rateIndicator(indicator, input.panelConsensus.get(indicator.id)));
    expectStep('saveRatings', reviews.saveRatings(id, leadId, ratings).outcome, 'saved');
    expectStep(
      'submitRatings',
      reviews.submitRatings(
        id,
        leadId,
        indicators.map((indicator) => indicator.id),
      ),
      'submitted',
    );
  });
  time.at(SELF_ASSESSMENT_TIMES.agreed, () => {
    const adopted = selfAssessments.adoptAgreedRatings(id, leadId, { startConsensus: true });
    expectStep('adoptAgreedRatings', adopted.outcome === 'adopted' && adopted.undecided === 0, true);
    for (const decision of reviews.listConsensus(id)) {
      const told = TOLD[decision.indicatorId];
      if (told === undefined) continue;
      const saved = reviews.saveConsensus(
        id,
        {
          indicatorId: decision.indicatorId,
          score: decision.score,
          notApplicable: decision.notApplicable,
          rationale: told.rationale(dates),
          expectedVersion: decision.version,
        },
        leadId,
      );
      expectStep('saveConsensus', saved.outcome, 'saved');
    }
  });
  time.at(SELF_ASSESSMENT_TIMES.finalised, () =>
    expectStep('transition to final', reviews.transition(id, 'consensus', 'final', leadId), true),
  );
  time.at(SELF_ASSESSMENT_TIMES.shared, () => expectStep('share', selfAssessments.share(id, input.peerReviewId, leadId), 'shared'));
  return id;
}
