// Fills an empty database with fictional demo data: municipalities, programs, users and peer reviews.
// Everything random comes from a seeded PRNG, so every run gives the same ratings and texts.
//
// The Stockholm story, modelled on the city's 2014 report: two rounds, 2024 and 2026. In 2024 most tenants sublet,
// a few live in clustered flats, the tenancy-act routines are thin and follow-up runs without the templates; the
// panel recommends first-hand leases, scattered flats and the templates. By 2026 those recommendations are followed up
// in the action plan and the principles reach the band of Godtagbar, but staff turnover has left two case managers
// with more than 20 participants each: the caseload (a core element) is at its minimum and caps the level at Delvis.
// The barriers name the same causes, and the outcome figures are entered for both years.
import type { AffiliationKind } from '../conflicts/conflict-rules.js';
import { hashPassword } from '../accounts/passwords.js';
import type { Role } from '../accounts/roles.js';
import type { ProgramFields } from '../municipalities/municipality-store.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { Services } from '../services.js';
import type { BarrierInput, ConsensusInput, PanelRole, RatingInput } from '../reviews/review-types.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import { defaultRubricId, type RubricRegistry } from '../rubrics/rubric-registry.js';
import {
  allowsNotApplicable,
  anchorFor,
  listIndicators,
  type Rubric,
  type RubricIndicator,
  type RubricSection,
} from '../rubrics/rubric-schema.js';
import { createRandom, type Random } from './seeded-random.js';
import { addDemoPriorities, type DemoReportPeople, seedDemoReportParts } from './demo-report-parts.js';

/** The barriers of each Stockholm round, naming the causes of the low scores the story gives (program-level texts). */
const BARRIERS_2024: readonly BarrierInput[] = [
  {
    category: 'systemic',
    items: ['Få lediga hyresrätter med förstahandskontrakt i kommunen; de flesta deltagare hyr i andra hand av socialtjänsten.'],
  },
  {
    category: 'organisational',
    items: ['Uppföljningen görs utan de överenskomna mallarna, och rutinerna enligt hyreslagen är inte skrivna.'],
  },
  { category: 'individual', items: ['Flera case managers saknar utbildning i motiverande samtal.'] },
];
const BARRIERS_2026: readonly BarrierInput[] = [
  { category: 'systemic', items: ['Få lediga hyresrätter med förstahandskontrakt i kommunen.'] },
  {
    category: 'organisational',
    items: [
      'Hög personalomsättning: två av fyra tjänster som case manager var vakanta under hösten 2025 och en av dem fortfarande vid besöket, så varje case manager har över 20 deltagare.',
    ],
  },
  { category: 'individual', items: ['Nyanställda case managers har ännu inte gått utbildningen i motiverande samtal.'] },
];

/**
 * What the program really does in each round, for the indicators the story is about (by id; an id the rubric lacks
 * is skipped). The raters see these exactly; everything else is drawn. `floor` lifts every drawn level to at least it.
 */
type RoundStory = { readonly levels: Readonly<Record<string, number>>; readonly floor: number };
const STORY_2024: RoundStory = {
  floor: 2,
  levels: {
    'a1-lease-type': 2,
    'a1-entry-criteria': 3,
    'a1-ordinary-housing': 2,
    'a1-time-to-housing': 2,
    'a3-conditions': 3,
    'a3-consequences': 3,
    'a3-warning-routine': 2,
    'a3-notice-routine': 2,
    'a3-recovery-routine': 1,
    'a8-time-limits': 4,
    'b1-training': 2,
    'b1-staff-continuity': 3,
    'b2-caseload': 3,
    'b3-documentation': 2,
    'b3-team-approach': 3,
  },
};
const STORY_2026: RoundStory = {
  floor: 3,
  levels: {
    'a1-lease-type': 3,
    'a1-entry-criteria': 4,
    'a1-ordinary-housing': 4,
    'a1-time-to-housing': 3,
    'a3-conditions': 4,
    'a3-consequences': 4,
    'a3-warning-routine': 3,
    'a3-notice-routine': 4,
    'a3-recovery-routine': 3,
    'a8-time-limits': 4,
    'b1-training': 2,
    'b1-staff-continuity': 1,
    'b2-caseload': 1,
    'b3-documentation': 3,
    'b3-team-approach': 3,
  },
};

/** Shared by every demo login; printed by the CLI. At least PASSWORD_MIN_LENGTH characters. */
export const DEMO_PASSWORD = 'demo-losenord-2026';

const DEMO_SEED = 20_260_310;
/** The municipality whose presence means the demo (or real data) is already there. */
const GUARD_MUNICIPALITY_CODE = '0180';

export class DemoSeedRefusedError extends Error {
  override name = 'DemoSeedRefusedError';
}

export type DemoLogin = {
  readonly email: string;
  readonly displayName: string;
  readonly affiliation: string;
  readonly roles: readonly Role[];
};

export type DemoSummary = {
  readonly password: string;
  readonly rubricId: string;
  readonly logins: readonly DemoLogin[];
  readonly programs: readonly { readonly municipalityCode: string; readonly municipalityName: string; readonly programName: string }[];
  readonly finalReview: { readonly id: number; readonly programName: string; readonly indicators: number };
  /** The program's previous round (2024), whose recommendations the action plan follows up. */
  readonly firstRound: { readonly id: number; readonly visitStart: string };
  readonly ratingReview: {
    readonly id: number;
    readonly programName: string;
    /** The panel member who has not rated anything yet: the login a newcomer should try. */
    readonly notStartedEmail: string;
  };
};

const DEMO_AFFILIATIONS: ReadonlyMap<UserKey, { kind: AffiliationKind; municipalityCode?: string }> = new Map<
  UserKey,
  { kind: AffiliationKind; municipalityCode?: string }
>([
  ['reviewer1', { kind: 'municipality', municipalityCode: '1480' }],
  ['reviewer2', { kind: 'municipality', municipalityCode: '0126' }],
  ['reviewer3', { kind: 'municipality', municipalityCode: '0127' }],
  ['researcher', { kind: 'university' }],
  ['programLead', { kind: 'municipality', municipalityCode: '0180' }],
]);

const DEMO_USERS = [
  { key: 'admin', email: 'admin@demo.example', displayName: 'Alva Lindqvist', affiliation: 'Demoförvaltningen (fiktiv)', roles: ['admin'] },
  {
    key: 'coordinator',
    email: 'samordnare@demo.example',
    displayName: 'Jonas Berg',
    affiliation: 'Bostad först-nätverket (fiktiv)',
    roles: ['coordinator'],
  },
  {
    key: 'reviewer1',
    email: 'granskare1@demo.example',
    displayName: 'Maria Sandberg',
    affiliation: 'Göteborgs stad (fiktiv)',
    roles: ['reviewer'],
  },
  {
    key: 'reviewer2',
    email: 'granskare2@demo.example',
    displayName: 'Ahmed Karimi',
    affiliation: 'Huddinge kommun (fiktiv)',
    roles: ['reviewer'],
  },
  {
    key: 'reviewer3',
    email: 'granskare3@demo.example',
    displayName: 'Lena Holm',
    affiliation: 'Botkyrka kommun (fiktiv)',
    roles: ['reviewer'],
  },
  {
    key: 'researcher',
    email: 'forskare@demo.example',
    displayName: 'Erik Nyström',
    affiliation: 'Lunds universitet (fiktiv)',
    roles: ['reviewer', 'researcher'],
  },
  {
    key: 'programLead',
    email: 'programledare@demo.example',
    displayName: 'Sofia Ek',
    affiliation: 'Bostad först Stockholm (demo)',
    roles: ['program_lead'],
  },
] as const satisfies readonly (DemoLogin & { key: string })[];

type UserKey = (typeof DEMO_USERS)[number]['key'];

// Real municipality codes (SCB) so the data looks right; the programs and organisations are invented.
const DEMO_PROGRAMS: readonly { code: string; municipalityName: string; program: ProgramFields }[] = [
  {
    code: '0180',
    municipalityName: 'Stockholm',
    program: {
      name: 'Bostad först Stockholm (demo)',
      supportProvider: 'Stadsmissionen (fiktiv)',
      housingPartners: 'Svenska Bostäder (fiktiv), Familjebostäder (fiktiv)',
      supportModel: 'icm',
      startDate: '2010-06-01',
    },
  },
  {
    code: '1480',
    municipalityName: 'Göteborg',
    program: {
      name: 'Bostad först Göteborg (demo)',
      supportProvider: 'Socialtjänstens Bostad först-team (fiktiv)',
      housingPartners: 'Bostadsbolaget Väst (fiktiv), Hyresgårdar Hisingen (fiktiv)',
      supportModel: 'act',
      startDate: '2014-09-01',
    },
  },
  {
    code: '0126',
    municipalityName: 'Huddinge',
    program: {
      name: 'Bostad först Huddinge (demo)',
      supportProvider: 'Huddinge stödteam (fiktiv)',
      housingPartners: 'Huddingebostäder (fiktiv)',
      supportModel: 'icm',
      startDate: '2019-03-01',
    },
  },
  {
    code: '0127',
    municipalityName: 'Botkyrka',
    program: {
      name: 'Bostad först Botkyrka (demo)',
      supportProvider: 'Föreningen Södra stöd (fiktiv)',
      housingPartners: 'Botkyrkahem (fiktiv)',
      supportModel: 'act',
      startDate: '2021-01-15',
    },
  },
];

type PanelSeat = { readonly user: UserKey; readonly role: PanelRole };

const FIRST_ROUND = { visitStart: '2024-03-12', visitEnd: '2024-03-13', finalisedAt: '2024-04-15T09:00:00.000Z' } as const;

const FINAL_REVIEW = {
  municipalityCode: '0180',
  visitStart: '2026-03-10',
  visitEnd: '2026-03-11',
  panel: [
    { user: 'reviewer1', role: 'lead' },
    { user: 'reviewer2', role: 'reviewer' },
    { user: 'researcher', role: 'reviewer' },
  ],
} as const satisfies { municipalityCode: string; visitStart: string; visitEnd: string; panel: readonly PanelSeat[] };

// The panel comes from other municipalities than the one reviewed: Göteborg's own reviewer sits this one out.
const RATING_REVIEW = {
  municipalityCode: '1480',
  visitStart: '2026-05-19',
  visitEnd: '2026-05-20',
  submitted: { user: 'reviewer2', role: 'lead' },
  partial: { user: 'researcher', role: 'reviewer' },
  notStarted: { user: 'reviewer3', role: 'reviewer' },
} as const satisfies {
  municipalityCode: string;
  visitStart: string;
  visitEnd: string;
  submitted: PanelSeat;
  partial: PanelSeat;
  notStarted: PanelSeat;
};

const RATER_NOTES = [
  'Bekräftat i personalintervjun och i två akter.',
  'Rutinen finns men följs ojämnt enligt akterna.',
  'Deltagarna i fokusgruppen gav samstämmiga svar.',
  'Dokumentet revideras just nu; bedömt utifrån gällande version.',
  'Svårt att belägga med mer än en källa.',
  'Stämmer med verksamhetens självskattning.',
  'Personalen beskrev arbetssättet olika.',
];

const RATER_NA_NOTES = [
  'Kunde inte bedöma: deltog inte i den intervju som ger underlaget.',
  'Underlaget räckte inte för en egen bedömning.',
];

/** Ways the panel explains settling a disagreement; `sources` names the indicator's evidence in Swedish. */
const DISAGREEMENT_RATIONALES: readonly ((sources: string, score: number) => string)[] = [
  (sources, score) => `Panelen jämförde underlagen (${sources}) och enades om ${score}.`,
  (sources, score) =>
    `Skillnaden berodde på att bedömarna hade läst olika akter. Efter en gemensam genomgång av ${sources} enades panelen om ${score}.`,
  (sources, score) => `Efter diskussion vägde panelen samman ${sources} och landade i ${score}.`,
  (sources, score) => `Konsensus nåddes efter en ny genomgång av ${sources}; nuvarande praxis motsvarar ${score}.`,
];

const RAISED_RATIONALES = [
  'Utanför bedömarnas spridning: vid konsensusmötet visade akterna att rutinen tillämpas mer konsekvent än någon av bedömarna först noterat.',
  'Utanför bedömarnas spridning: verksamheten visade under mötet upp dokumentation som ingen bedömare hade fått före besöket.',
];

const LOWERED_RATIONALES = [
  'Utanför bedömarnas spridning: hyresvärdsintervjun och akterna visade tillsammans brister som ingen enskild bedömare hade vägt in.',
  'Utanför bedömarnas spridning: panelen bedömer nuvarande praxis, och det beskrivna arbetssättet är ännu en plan.',
];

function pickOne<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pickOne needs at least one item');
  return item;
}

function clampToScale(indicator: RubricIndicator, level: number): number {
  return Math.min(indicator.scale.max, Math.max(indicator.scale.min, level));
}

/** A level drawn as a share of the scale, so any min/max works: mostly upper-middle, now and then low. */
function drawProgramLevel(random: Random, indicator: RubricIndicator): number {
  const { min, max } = indicator.scale;
  const share = random() < 0.08 ? random() * 0.3 : 0.35 + random() * 0.65;
  return clampToScale(indicator, min + Math.round(share * (max - min)));
}

type IndicatorPlan = {
  readonly section: RubricSection;
  readonly indicator: RubricIndicator;
  /** What the program really does; 'na' when the indicator does not apply to it. */
  readonly level: number | 'na';
  /** Set by the story: every rater and the consensus see exactly this level. */
  readonly fixed?: boolean;
};

/** The program's "true" practice per indicator, which the raters then see slightly differently. */
function planProgram(random: Random, rubric: Rubric, notApplicableCount: number, story?: RoundStory): IndicatorPlan[] {
  const entries = listIndicators(rubric);
  const naCandidates = entries
    .filter(({ indicator }) => allowsNotApplicable(indicator) && story?.levels[indicator.id] === undefined)
    .map(({ indicator }) => indicator.id);
  const notApplicable = new Set<string>();
  while (notApplicable.size < Math.min(notApplicableCount, naCandidates.length)) {
    notApplicable.add(pickOne(random, naCandidates));
  }
  return entries.map(({ section, indicator }) => {
    const drawn = notApplicable.has(indicator.id) ? 'na' : drawProgramLevel(random, indicator);
    const told = story?.levels[indicator.id];
    if (told !== undefined) return { section, indicator, level: clampToScale(indicator, told), fixed: true };
    return {
      section,
      indicator,
      level: drawn === 'na' || story === undefined ? drawn : clampToScale(indicator, Math.max(drawn, story.floor)),
    };
  });
}

function drawEvidence(random: Random, indicator: RubricIndicator): string[] {
  const chosen = indicator.evidence.filter(() => random() < 0.8);
  return chosen.length > 0 ? chosen : indicator.evidence.slice(0, 1);
}

function drawRating(random: Random, plan: IndicatorPlan): RatingInput {
  const { indicator, level } = plan;
  const notApplicable = level === 'na' || (allowsNotApplicable(indicator) && plan.fixed !== true && random() < 0.02);
  if (notApplicable) {
    return {
      indicatorId: indicator.id,
      score: null,
      notApplicable: true,
      evidence: [],
      note: level === 'na' ? '' : pickOne(random, RATER_NA_NOTES),
    };
  }
  const drift = random();
  const score = plan.fixed === true ? level : clampToScale(indicator, level + (drift < 0.15 ? -1 : drift < 0.3 ? 1 : 0));
  return {
    indicatorId: indicator.id,
    score,
    notApplicable: false,
    evidence: drawEvidence(random, indicator),
    note: random() < 0.12 ? pickOne(random, RATER_NOTES) : '',
  };
}

function describeSources(rubric: Rubric, indicator: RubricIndicator): string {
  const labels = indicator.evidence.map(
    (code) => rubric.evidence_sources.find((source) => source.code === code)?.label.sv.toLocaleLowerCase('sv') ?? code,
  );
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} och ${labels.at(-1) ?? ''}`;
}

function decideConsensus(random: Random, rubric: Rubric, plan: IndicatorPlan, ratings: readonly RatingInput[]): ConsensusInput {
  const { indicator } = plan;
  const scores = ratings.flatMap((r) => (r.score === null ? [] : [r.score])).sort((a, b) => a - b);
  const sources = describeSources(rubric, indicator);
  if (scores.length === 0) {
    return {
      indicatorId: indicator.id,
      score: null,
      notApplicable: true,
      rationale: 'Indikatorn går inte att tillämpa i verksamheten under granskningsperioden; samtliga bedömare markerade ej tillämplig.',
    };
  }
  const low = scores[0] ?? indicator.scale.min;
  const high = scores.at(-1) ?? indicator.scale.max;
  const median = scores[Math.floor((scores.length - 1) / 2)] ?? low;
  // Now and then the panel lands outside every rater's score, which the tool must show with its reason.
  if (random() < 0.08 && plan.fixed !== true) {
    const outside = clampToScale(indicator, random() < 0.5 ? low - 1 : high + 1);
    if (outside < low || outside > high) {
      const rationale = pickOne(random, outside > high ? RAISED_RATIONALES : LOWERED_RATIONALES);
      return { indicatorId: indicator.id, score: outside, notApplicable: false, rationale };
    }
  }
  let rationale = '';
  if (low !== high) {
    rationale = `Bedömningarna varierade (${low}–${high}). ${pickOne(random, DISAGREEMENT_RATIONALES)(sources, median)}`;
  } else if (ratings.some((r) => r.notApplicable)) {
    rationale = `En bedömare saknade underlag; övriga bedömningar och ${sources} stöder ${median}.`;
  } else if (random() < 0.5) {
    rationale = `Samstämmiga bedömningar som stöds av ${sources}.`;
  }
  return { indicatorId: indicator.id, score: median, notApplicable: false, rationale };
}

function expectOutcome(what: string, actual: string | boolean, expected: string | boolean): void {
  // The stores answer with a value instead of throwing; a surprise here means the seed is out of step with them.
  if (actual !== expected) throw new Error(`demo seed: ${what} returned ${String(actual)}, expected ${String(expected)}`);
}

function chooseRubric(rubrics: RubricRegistry): LoadedRubric {
  const id = defaultRubricId(rubrics);
  const chosen = id === undefined ? undefined : rubrics.get(id);
  if (!chosen) throw new Error('demo seed: no rubric is loaded');
  return chosen;
}

function stripPeriod(text: string): string {
  return text.replace(/\.$/, '');
}

/** Lower-cases the first letter of a sentence, but leaves acronyms such as "MI/MET" alone. */
function lowerFirst(text: string): string {
  const second = text.charAt(1);
  return second !== '' && second === second.toLocaleLowerCase('sv') ? text.charAt(0).toLocaleLowerCase('sv') + text.slice(1) : text;
}

/** The indicator's statement, plus its top anchor when that adds something (some anchors repeat the statement). */
function describeStrength(rubric: Rubric, indicator: RubricIndicator): string {
  const statement = stripPeriod(indicator.text.sv);
  const anchor = stripPeriod(anchorFor(indicator.scale, indicator.scale.max)?.sv ?? '');
  const addsSomething = anchor !== '' && !statement.toLocaleLowerCase('sv').includes(anchor.toLocaleLowerCase('sv'));
  return `${statement}${addsSomething ? ` – ${lowerFirst(anchor)}` : ''}. Bekräftat av ${describeSources(rubric, indicator)}.`;
}

type SectionFindings = { sectionId: string; strengths: readonly string[]; recommendations: readonly string[] };

/**
 * Strengths and recommendations that follow from the consensus, so the demo report never praises what the
 * panel scored low: a strength where an indicator reached the top of its scale, a recommendation (aiming at
 * the top anchor) where it stayed in the lower half.
 */
function buildFindings(rubric: Rubric, consensus: ReadonlyMap<string, ConsensusInput>): SectionFindings[] {
  return rubric.sections.flatMap((section) => {
    const scored = section.indicators.flatMap((indicator) => {
      const score = consensus.get(indicator.id)?.score;
      return score === null || score === undefined ? [] : [{ indicator, score }];
    });
    const strengths = scored
      .filter(({ indicator, score }) => score === indicator.scale.max)
      .slice(0, 2)
      .map(({ indicator }) => describeStrength(rubric, indicator));
    const recommendations = scored
      .filter(({ indicator, score }) => score - indicator.scale.min < (indicator.scale.max - indicator.scale.min) / 2)
      .slice(0, 2)
      .map(({ indicator, score }) => {
        const target = anchorFor(indicator.scale, indicator.scale.max)?.sv ?? indicator.text.sv;
        return `”${stripPeriod(indicator.text.sv)}” nådde ${score} av ${indicator.scale.max}. Mål till nästa granskning: ${target}`;
      });
    return strengths.length + recommendations.length > 0 ? [{ sectionId: section.id, strengths, recommendations }] : [];
  });
}

/** The stores the demo is written through, from src/services.ts. */
export type DemoServices = Pick<
  Services,
  'db' | 'rubrics' | 'users' | 'municipalities' | 'reviews' | 'members' | 'actions' | 'actionPlans' | 'outcomes'
>;

/** Why the database cannot take the demo, or undefined when it is empty enough. */
function findSeedObstacle({ municipalities, users }: DemoServices): string | undefined {
  if (municipalities.findMunicipalityByCode(GUARD_MUNICIPALITY_CODE)) {
    return `The database already has municipality ${GUARD_MUNICIPALITY_CODE}: demo data (or real data) is already there. Nothing was changed.`;
  }
  const userCount = users.countUsers();
  if (userCount > 0) {
    return `The database already has ${userCount} user(s); the demo only goes into a fresh database. Nothing was changed.`;
  }
  return undefined;
}

/**
 * Seeds the demo into a migrated database in one transaction.
 * Throws DemoSeedRefusedError, without writing anything, when the database already has users or Stockholm.
 */
/**
 * `at` runs a part of the seed at another time on the services' clock (createSettableClock): the first Stockholm
 * round is written at its own time, finalised a month after its 2024 visit. Without it, everything is dated now.
 */
export type DemoTime = { readonly at: <T>(instant: string, run: () => T) => T };

export async function seedDemo(services: DemoServices, time: DemoTime = { at: (_instant, run) => run() }): Promise<DemoSummary> {
  const { db } = services;
  const loaded = chooseRubric(services.rubrics);
  const rubric = loaded.rubric;
  const obstacle = findSeedObstacle(services);
  if (obstacle) throw new DemoSeedRefusedError(obstacle);
  // Hashing is async and may not run inside a better-sqlite3 transaction: one hash serves every login.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const { municipalities: municipalityStore, users: userStore, reviews: reviewStore } = services;
  const indicatorIds = listIndicators(rubric).map(({ indicator }) => indicator.id);

  return db.transaction((): DemoSummary => {
    // Checked again: another process may have written while the password was being hashed.
    const lateObstacle = findSeedObstacle(services);
    if (lateObstacle) throw new DemoSeedRefusedError(lateObstacle);
    const random = createRandom(DEMO_SEED);

    const userIds = new Map<UserKey, number>();
    for (const user of DEMO_USERS) {
      userIds.set(
        user.key,
        userStore.insertUser(
          {
            email: user.email,
            displayName: user.displayName,
            affiliation: user.affiliation,
            passwordHash,
            roles: user.roles,
          },
          undefined,
        ),
      );
    }
    const idOf = (key: UserKey): number => {
      const id = userIds.get(key);
      if (id === undefined) throw new Error(`demo seed: no user ${key}`);
      return id;
    };

    const programIds = new Map<string, number>();
    for (const entry of DEMO_PROGRAMS) {
      const municipalityId = municipalityStore.insertMunicipality({ code: entry.code, name: entry.municipalityName });
      programIds.set(entry.code, municipalityStore.insertProgram({ ...entry.program, municipalityId }));
    }
    // Structured affiliations, so the conflict-of-interest checks have something to work on in the demo.
    for (const [key, affiliation] of DEMO_AFFILIATIONS) {
      const municipalityId =
        affiliation.municipalityCode === undefined ? undefined : municipalityStore.findMunicipalityByCode(affiliation.municipalityCode)?.id;
      const user = DEMO_USERS.find((u) => u.key === key);
      if (!user) throw new Error(`demo seed: no user ${key}`);
      userStore.updateAffiliation(idOf(key), { kind: affiliation.kind, municipalityId, organisation: user.affiliation }, undefined);
    }
    const programOf = (code: string): { id: number; name: string } => {
      const id = programIds.get(code);
      const name = DEMO_PROGRAMS.find((p) => p.code === code)?.program.name;
      if (id === undefined || name === undefined) throw new Error(`demo seed: no program for ${code}`);
      return { id, name };
    };
    // The demo program lead runs the Stockholm program, so the project leader's pages have something to show.
    services.members.setMember(programOf('0180').id, idOf('programLead'), 'lead', idOf('admin'));

    const openReview = (municipalityCode: string, visitStart: string, visitEnd: string, panel: readonly PanelSeat[]): number => {
      const reviewId = reviewStore.insertReview({
        programId: programOf(municipalityCode).id,
        rubric: loaded,
        kind: 'peer_review',
        visitStart,
        visitEnd,
        createdBy: idOf('coordinator'),
      });
      for (const seat of panel) expectOutcome('setPanelMember', reviewStore.setPanelMember(reviewId, idOf(seat.user), seat.role), 'saved');
      expectOutcome('transition to rating', reviewStore.transition(reviewId, 'draft', 'rating'), true);
      return reviewId;
    };

    const stockholmPanel = {
      raterIds: FINAL_REVIEW.panel.map((seat) => idOf(seat.user)),
      leadId: idOf(FINAL_REVIEW.panel[0].user),
    };
    const firstRoundId = time.at(FIRST_ROUND.finalisedAt, () =>
      seedFinalReview(random, rubric, reviewStore, indicatorIds, {
        ...stockholmPanel,
        reviewId: openReview(FINAL_REVIEW.municipalityCode, FIRST_ROUND.visitStart, FIRST_ROUND.visitEnd, FINAL_REVIEW.panel),
        story: STORY_2024,
        barriers: BARRIERS_2024,
      }),
    );
    const finalReviewId = seedFinalReview(random, rubric, reviewStore, indicatorIds, {
      ...stockholmPanel,
      reviewId: openReview(FINAL_REVIEW.municipalityCode, FINAL_REVIEW.visitStart, FINAL_REVIEW.visitEnd, FINAL_REVIEW.panel),
      story: STORY_2026,
      barriers: BARRIERS_2026,
      report: { leadId: stockholmPanel.leadId, coordinatorId: idOf('coordinator'), programLeadId: idOf('programLead') },
    });
    seedProgramWork(services, rubric, programOf(FINAL_REVIEW.municipalityCode).id, idOf('programLead'), firstRoundId, finalReviewId);

    const ratingReviewId = openReview(RATING_REVIEW.municipalityCode, RATING_REVIEW.visitStart, RATING_REVIEW.visitEnd, [
      RATING_REVIEW.submitted,
      RATING_REVIEW.partial,
      RATING_REVIEW.notStarted,
    ]);
    const plans = planProgram(random, rubric, 1);
    const submittedRatings = plans.map((plan) => drawRating(random, plan));
    const submittedId = idOf(RATING_REVIEW.submitted.user);
    expectOutcome('saveRatings', reviewStore.saveRatings(ratingReviewId, submittedId, submittedRatings).outcome, 'saved');
    expectOutcome('submitRatings', reviewStore.submitRatings(ratingReviewId, submittedId, indicatorIds), 'submitted');
    // About half the indicators: the rater stopped part-way and has not submitted.
    const partialRatings = plans.slice(0, Math.ceil(plans.length / 2)).map((plan) => drawRating(random, plan));
    expectOutcome(
      'saveRatings',
      reviewStore.saveRatings(ratingReviewId, idOf(RATING_REVIEW.partial.user), partialRatings).outcome,
      'saved',
    );

    return {
      password: DEMO_PASSWORD,
      rubricId: rubric.id,
      logins: DEMO_USERS.map(({ email, displayName, affiliation, roles }) => ({ email, displayName, affiliation, roles })),
      programs: DEMO_PROGRAMS.map((p) => ({ municipalityCode: p.code, municipalityName: p.municipalityName, programName: p.program.name })),
      finalReview: { id: finalReviewId, programName: programOf(FINAL_REVIEW.municipalityCode).name, indicators: indicatorIds.length },
      firstRound: { id: firstRoundId, visitStart: FIRST_ROUND.visitStart },
      ratingReview: {
        id: ratingReviewId,
        programName: programOf(RATING_REVIEW.municipalityCode).name,
        notStartedEmail: DEMO_USERS.find((u) => u.key === RATING_REVIEW.notStarted.user)?.email ?? '',
      },
    };
  })();
}

/** Takes a review that is in rating through every rater's submission, consensus and findings to final. */
function seedFinalReview(
  random: Random,
  rubric: Rubric,
  reviews: ReviewStore,
  indicatorIds: readonly string[],
  review: {
    reviewId: number;
    raterIds: readonly number[];
    leadId: number;
    story: RoundStory;
    barriers: readonly BarrierInput[];
    report?: DemoReportPeople;
  },
): number {
  const { reviewId, raterIds, leadId } = review;
  const plans = planProgram(random, rubric, 2, review.story);
  const ratingsByRater = raterIds.map(() => plans.map((plan) => drawRating(random, plan)));
  raterIds.forEach((raterId, index) => {
    expectOutcome('saveRatings', reviews.saveRatings(reviewId, raterId, ratingsByRater[index] ?? []).outcome, 'saved');
    expectOutcome('submitRatings', reviews.submitRatings(reviewId, raterId, indicatorIds), 'submitted');
  });
  expectOutcome('transition to consensus', reviews.transition(reviewId, 'rating', 'consensus'), true);
  const consensus = new Map<string, ConsensusInput>();
  plans.forEach((plan, index) => {
    const ratings = ratingsByRater.flatMap((list) => {
      const rating = list[index];
      return rating ? [rating] : [];
    });
    const decision = decideConsensus(random, rubric, plan, ratings);
    consensus.set(decision.indicatorId, decision);
    expectOutcome('saveConsensus', reviews.saveConsensus(reviewId, decision, leadId).outcome, 'saved');
  });
  // The round with a board report gets priorities and owners, a judgement, an evidence base and a factual check.
  const findings = review.report ? addDemoPriorities(rubric, buildFindings(rubric, consensus)) : buildFindings(rubric, consensus);
  expectOutcome('replaceFindings', reviews.replaceFindings(reviewId, findings, undefined, review.barriers), 'saved');
  if (review.report) seedDemoReportParts(reviews, reviewId, review.report);
  expectOutcome('transition to final', reviews.transition(reviewId, 'consensus', 'final'), true);
  return reviewId;
}

/** What became of the 2024 recommendations, in order: done, under way, or dropped with a reason. */
const FOLLOW_UP: readonly { status: 'done' | 'in_progress' | 'dropped'; note: string }[] = [
  // Written to fit any recommendation, since they are handed out in turn.
  { status: 'done', note: 'Genomfört: åtgärden är på plats och följdes upp i aktgranskningen inför 2026.' },
  { status: 'in_progress', note: 'Pågår: en plan finns, men den gäller ännu inte i alla ärenden.' },
  { status: 'done', note: 'Genomfört: ändringen gäller i alla nya ärenden sedan hösten 2024.' },
  { status: 'in_progress', note: 'Pågår: arbetet är påbörjat och ska vara klart under 2026.' },
];

/**
 * The action plans and outcome figures of the Stockholm program: the 2024 round's recommendations followed up
 * (statuses and dated notes by the program lead), a fresh plan for 2026, and outcomes for 2024 and 2025.
 */
function seedProgramWork(
  { actions, actionPlans, outcomes, reviews }: Pick<DemoServices, 'actions' | 'actionPlans' | 'outcomes' | 'reviews'>,
  rubric: Rubric,
  programId: number,
  leadUserId: number,
  firstRoundId: number,
  latestId: number,
): void {
  expectOutcome('createPlan', actionPlans.createPlan(firstRoundId, leadUserId).outcome, 'created');
  // An action whose indicator reached the top of its scale in 2026 (a strength that round) is done: the report must not
  // call the same thing a strength and an action still under way. The others take the statuses in turn.
  const latest = new Map(reviews.listConsensus(latestId).map((c) => [c.indicatorId, c.score]));
  const reachedTop = new Set(
    rubric.sections
      .flatMap((section) => section.indicators)
      .filter((indicator) => latest.get(indicator.id) === indicator.scale.max)
      .map((indicator) => `”${stripPeriod(indicator.text.sv)}”`),
  );
  const DONE = FOLLOW_UP.find((follow) => follow.status === 'done');
  actions.listActionsOfReview(firstRoundId).forEach((action, index) => {
    const turn = FOLLOW_UP[index % FOLLOW_UP.length] ?? FOLLOW_UP[0];
    const follow = [...reachedTop].some((quoted) => action.recommendation.startsWith(quoted)) ? DONE : turn;
    if (!follow) return;
    const saved = actions.updateAction(
      action.id,
      {
        ownerUserId: leadUserId,
        ownerName: '',
        dueOn: '2025-12-31',
        status: follow.status,
        expectedVersion: action.version,
        note: { notedOn: '2026-02-15', text: follow.note },
      },
      leadUserId,
    );
    expectOutcome('updateAction', saved, 'saved');
  });
  expectOutcome('createPlan', actionPlans.createPlan(latestId, leadUserId).outcome, 'created');
  // Modelled on the Stockholm report's figures: 29 moved in; 18 still in their first flat; 21 still in the program.
  // As the seeds report them: offers beside moves, exits by reason, threats and terminations beside
  // evictions, the median days to keys, and a cumulative period since the program's start beside the years.
  const exits = (own_lease: number, care: number, died: number, left: number, other: number) => ({ own_lease, care, died, left, other });
  for (const period of [
    {
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
      movedIn: 24,
      stillFirstFlat: 16,
      stillInProgram: 19,
      firstHandLeases: 3,
      clients: 40,
      caseManagers: 4,
      evictions: 1,
      complaints: 6,
      note: 'Uppgifter från verksamhetens uppföljning.',
      details: { offered: 26, evictionThreats: 4, terminatedLeases: 2, medianDaysToKeys: 104, exits: exits(1, 1, 0, 1, 0) },
    },
    {
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      movedIn: 29,
      stillFirstFlat: 18,
      stillInProgram: 21,
      firstHandLeases: 5,
      clients: 46,
      caseManagers: 2,
      evictions: 2,
      complaints: 9,
      note: 'Två tjänster som case manager vakanta under hösten.',
      details: { offered: 31, evictionThreats: 5, terminatedLeases: 3, medianDaysToKeys: 88, exits: exits(2, 1, 1, 1, 0) },
    },
    {
      kind: 'since_start' as const,
      periodStart: '2010-06-01',
      periodEnd: '2025-12-31',
      movedIn: 58,
      stillFirstFlat: 38,
      stillInProgram: 44,
      firstHandLeases: 9,
      clients: 46,
      caseManagers: 2,
      evictions: 4,
      complaints: 31,
      note: 'Sedan starten i juni 2010.',
      details: { offered: 62, evictionThreats: 14, terminatedLeases: 6, medianDaysToKeys: 96, exits: exits(6, 3, 3, 2, 0) },
    },
  ]) {
    expectOutcome('insertPeriod', outcomes.insertPeriod(programId, period, leadUserId).outcome, 'saved');
  }
}
