// Fills an empty database with fictional demo data: municipalities, programs, users, peer reviews, a self-assessment.
// Everything random comes from a seeded PRNG, so every run gives the same ratings and texts.
//
// The Stockholm story, modelled on the city's 2014 report: two rounds, 2024 and 2026. In 2024 most tenants sublet,
// a few live in clustered flats, the tenancy-act routines are thin and follow-up runs without the templates; the
// panel recommends first-hand leases, scattered flats and the templates. By 2026 those recommendations are followed up
// in the action plan and the principles reach the band of Godtagbar, but four case managers have left in two years and
// two of the four posts were still vacant at the visit, so each case manager had more than 20 participants: the
// caseload (a core element) is at its minimum and caps the level at Delvis. The barriers name the same causes, the
// program's factual check adds that one post was filled after the visit, and the outcome figures for 2024, 2025 and
// since the start reconcile with one another. Before the 2026 visit the program lead assesses the program and shares
// the self-assessment with that round's panel (demo-self-assessment.ts). Each step is written at its own date
// (DemoTime), in the order the workflow takes them: set-up, visit, ratings, consensus, factual check, finalisation,
// action plans. The dates and years below are those of a demo loaded on 7 December 2026; loaded on another day, every
// date moves by the same whole number of months, but the outcome periods, calendar years as municipalities report
// them, by whole years, and the texts name months, seasons, years and periods only through DemoDates (demo-dates.ts).
import type { AffiliationKind } from '../conflicts/conflict-rules.js';
import { hashPassword } from '../accounts/passwords.js';
import { todayInSweden } from '../i18n/calendar.js';
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
import { SELF_ASSESSMENT_DAY, seedDemoSelfAssessment } from './demo-self-assessment.js';
import { createDemoDates, DEMO_STORY_VISIT_DAY, type DemoDates } from './demo-dates.js';
import {
  addDemoPriorities,
  type DemoReportPeople,
  POST_FILLED_ON,
  POSTS_VACANT_FROM,
  seedDemoFactualCheck,
  seedDemoJudgementAndEvidence,
} from './demo-report-parts.js';

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
/** The 2026 barriers as the draft sent for the factual check had them. */
const BARRIERS_2026_DRAFT = (dates: DemoDates): BarrierInput[] => [
  { category: 'systemic', items: ['Få lediga hyresrätter med förstahandskontrakt i kommunen.'] },
  {
    category: 'organisational',
    items: [
      `Hög personalomsättning: fyra case managers har slutat på två år, och två av de fyra tjänsterna har varit vakanta sedan ${dates.seasonYear(POSTS_VACANT_FROM)}. Vid besöket hade varje case manager därför över 20 deltagare.`,
    ],
  },
  { category: 'individual', items: ['Nyanställda case managers har ännu inte gått utbildningen i motiverande samtal.'] },
];
/** After the factual check: the program wrote that one post was filled after the visit (demo-report-parts.ts). */
const BARRIERS_2026 = (dates: DemoDates): BarrierInput[] => [
  { category: 'systemic', items: ['Få lediga hyresrätter med förstahandskontrakt i kommunen.'] },
  {
    category: 'organisational',
    items: [
      `Hög personalomsättning: fyra case managers har slutat på två år, och två av de fyra tjänsterna var vakanta från ${dates.seasonYear(POSTS_VACANT_FROM)}. Vid besöket hade varje case manager därför över 20 deltagare. Den ena tjänsten tillsattes ${dates.date(POST_FILLED_ON)}, efter besöket.`,
    ],
  },
  { category: 'individual', items: ['Nyanställda case managers har ännu inte gått utbildningen i motiverande samtal.'] },
];

/**
 * What the program really does in each round, for the indicators the story is about (by id; an id the rubric lacks
 * is skipped). The raters see these exactly; everything else is drawn. `floor` lifts every drawn level to at least it.
 */
type RoundStory = {
  readonly levels: Readonly<Record<string, number>>;
  readonly floor: number;
  /**
   * Indicators the story tells in full: every rater gives this level on all the indicator's sources, and the consensus
   * has this rationale. They draw nothing from the seeded stream, as an indicator drawn ej tillämplig draws nothing, so
   * telling one the draw had left ej tillämplig keeps every other rating, score and text of the demo as it was.
   */
  readonly told?: Readonly<Record<string, { readonly level: number; readonly rationale: string }>>;
  /** The consensus rationale the story gives an indicator of `levels` (its draws are made all the same). */
  readonly rationales?: Readonly<Record<string, string>>;
};
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
  // A program for people with co-occurring addiction and mental illness: method supervision and psychiatric and
  // addiction treatment apply to it. Both are at 3, as the vacancies and the care agreement would leave them.
  told: {
    'b1-supervision': {
      level: 3,
      rationale:
        'Verksamhetsplanen anger metodhandledning en gång i månaden, men personalintervjun visar att flera tillfällen ställdes in medan två tjänster var vakanta, och de nyanställda har ännu inte kommit in i handledningen.',
    },
    'b3-psychiatric-care': {
      level: 3,
      rationale:
        'Akterna visar att de flesta deltagare med behov får psykiatrisk behandling eller beroendebehandling genom samarbetet med beroendevården och psykiatrin, vilket personalen och deltagarna i fokusgruppen bekräftade. Några har väntat länge på en psykiatrisk bedömning och fick behandling först efter en kris.',
    },
  },
  rationales: {
    'b2-caseload':
      'Två av de fyra tjänsterna som case manager var vakanta vid besöket. Verksamhetens dokument och personalintervjun visar att varje case manager då hade över 20 deltagare.',
    'b1-staff-continuity':
      'Personallistorna visar att fyra case managers har slutat på två år, på fyra tjänster: en omsättning över 80 %. I personalintervjun berättade personalen att flera deltagare har bytt case manager mer än en gång.',
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
  /** The program's previous round (2024 in a demo loaded in 2026), whose recommendations the action plan follows up. */
  readonly firstRound: { readonly id: number; readonly visitStart: string };
  /** The program lead's self-assessment of the same program, before the latest round's visit and shared with its panel. */
  readonly selfAssessment: { readonly id: number; readonly date: string; readonly sharedWith: number };
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

/**
 * When each step of a round was taken, on the services' clock (DemoTime). The review is made and its panel set some
 * weeks before the visit; the raters submit in the week after it; the consensus meeting agrees the scores and the
 * findings; a board report's draft goes to the program for a factual check, which answers within weeks; the panel
 * records what it changed, and only then is the review finalised.
 */
type RoundTimes = {
  readonly opened: string;
  readonly rated: string;
  readonly consensus: string;
  readonly factualCheck?: { readonly sent: string; readonly answered: string; readonly changed: string };
  readonly finalised: string;
};

/** The users, municipalities and programs exist before the first round is planned. */
const SET_UP_AT = '2024-01-08T08:00:00.000Z';

const FIRST_ROUND = {
  visitStart: '2024-03-12',
  visitEnd: '2024-03-13',
  times: {
    opened: '2024-01-22T09:00:00.000Z',
    rated: '2024-03-19T15:00:00.000Z',
    consensus: '2024-03-27T09:00:00.000Z',
    finalised: '2024-04-15T09:00:00.000Z',
  },
} as const satisfies { visitStart: string; visitEnd: string; times: RoundTimes };

const FINAL_REVIEW = {
  municipalityCode: '0180',
  visitStart: DEMO_STORY_VISIT_DAY,
  visitEnd: '2026-03-11',
  times: {
    opened: '2026-01-19T09:00:00.000Z',
    rated: '2026-03-17T15:00:00.000Z',
    consensus: '2026-03-25T09:00:00.000Z',
    factualCheck: { sent: '2026-04-08T09:00:00.000Z', answered: '2026-04-24T13:00:00.000Z', changed: '2026-04-29T10:00:00.000Z' },
    finalised: '2026-05-06T09:00:00.000Z',
  },
  panel: [
    { user: 'reviewer1', role: 'lead' },
    { user: 'reviewer2', role: 'reviewer' },
    { user: 'researcher', role: 'reviewer' },
  ],
} as const satisfies { municipalityCode: string; visitStart: string; visitEnd: string; times: RoundTimes; panel: readonly PanelSeat[] };

// The panel comes from other municipalities than the one reviewed: Göteborg's own reviewer sits this one out.
const RATING_REVIEW = {
  municipalityCode: '1480',
  visitStart: '2026-05-19',
  visitEnd: '2026-05-20',
  times: { opened: '2026-04-20T09:00:00.000Z', submitted: '2026-05-22T14:00:00.000Z', partial: '2026-05-26T10:00:00.000Z' },
  submitted: { user: 'reviewer2', role: 'lead' },
  partial: { user: 'researcher', role: 'reviewer' },
  notStarted: { user: 'reviewer3', role: 'reviewer' },
} as const satisfies {
  municipalityCode: string;
  visitStart: string;
  visitEnd: string;
  times: { opened: string; submitted: string; partial: string };
  submitted: PanelSeat;
  partial: PanelSeat;
  notStarted: PanelSeat;
};

/** What a rater may note, with the source a note speaks of (a note on case files only where the rating cites them). */
const RATER_NOTES: readonly { readonly needs?: string; readonly text: string }[] = [
  { needs: 'SC', text: 'Bekräftat i personalintervjun och i två akter.' },
  { needs: 'C', text: 'Rutinen finns men följs ojämnt enligt akterna.' },
  { needs: 'P', text: 'Deltagarna i fokusgruppen gav samstämmiga svar.' },
  { needs: 'D', text: 'Dokumentet revideras just nu; bedömt utifrån gällande version.' },
  { text: 'Svårt att belägga med mer än en källa.' },
  { text: 'Stämmer med verksamhetens självskattning.' },
  { needs: 'S', text: 'Personalen beskrev arbetssättet olika.' },
];

const RATER_NA_NOTES = [
  'Kunde inte bedöma: deltog inte i den intervju som ger underlaget.',
  'Underlaget räckte inte för en egen bedömning.',
];

/**
 * What a consensus rationale is written from: the sources the raters cite (`sources` in Swedish, `cited` their codes),
 * the agreed score, the raters' lowest and highest, and the anchor of a level on the indicator's scale. The anchors
 * make each rationale the indicator's own; the agreed level's anchor is printed beside it, so a rationale names another.
 */
type RationaleContext = {
  readonly sources: string;
  readonly cited: ReadonlySet<string>;
  readonly score: number;
  readonly low: number;
  readonly high: number;
  readonly anchor: (level: number) => string;
};

/** A way of wording a rationale; `needs` names the source codes it speaks of, all of which the ratings must cite. */
type RationaleVariant = { readonly needs?: string; readonly text: (c: RationaleContext) => string };

/** Variants fit for the sources cited; pickOne then draws once, whichever fit, so the seeded stream stays the same. */
function fitting<T extends { readonly needs?: string }>(variants: readonly T[], cited: ReadonlySet<string>): T[] {
  return variants.filter((variant) => [...(variant.needs ?? '')].every((code) => cited.has(code)));
}

/** Ways the panel explains settling a disagreement among the raters. */
const DISAGREEMENT_RATIONALES: readonly RationaleVariant[] = [
  { text: (c) => `Panelen jämförde underlagen (${c.sources}) och enades om ${c.score}.` },
  {
    needs: 'C',
    text: (c) =>
      `Skillnaden berodde på att bedömarna hade läst olika akter. Efter en gemensam genomgång av ${c.sources} enades panelen om ${c.score}.`,
  },
  { text: (c) => `Efter diskussion vägde panelen samman ${c.sources} och landade i ${c.score}.` },
  { text: (c) => `Konsensus nåddes efter en ny genomgång av ${c.sources}; nuvarande praxis motsvarar ${c.score}.` },
  {
    needs: 'S',
    text: (c) =>
      `Skillnaden berodde på att bedömarna hade antecknat olika delar av personalintervjun. Panelen gick igenom ${c.sources} tillsammans och enades om ${c.score}.`,
  },
];

/** Why not the raters' other level: the higher one is not reached, or the lower one understates the practice. */
function weighDisagreement(c: RationaleContext): string {
  return c.score < c.high
    ? `Nivå ${c.high} (”${c.anchor(c.high)}”) stöds inte av underlagen.`
    : `Nivå ${c.low} (”${c.anchor(c.low)}”) underskattar det underlagen visar.`;
}

/** A consensus above every rater's score. */
const RAISED_RATIONALES: readonly RationaleVariant[] = [
  {
    needs: 'C',
    text: (c) =>
      `Utanför bedömarnas spridning: vid konsensusmötet visade akterna, lästa tillsammans, att arbetssättet tillämpas mer konsekvent än någon av bedömarna först noterat. Underlagen visar mer än nivå ${c.high} (”${c.anchor(c.high)}”).`,
  },
  {
    needs: 'DS',
    text: (c) =>
      `Utanför bedömarnas spridning: verksamheten visade under mötet upp dokument som bedömarna inte hade fått före besöket, och de bekräftar det personalen beskrev i intervjun. Läget är bättre än nivå ${c.high} (”${c.anchor(c.high)}”).`,
  },
  {
    text: (c) =>
      `Utanför bedömarnas spridning: när panelen vägde samman ${c.sources} visade de mer än nivå ${c.high} (”${c.anchor(c.high)}”), som varje bedömare hade gett utifrån sin del av underlaget.`,
  },
];

/** A consensus below every rater's score. */
const LOWERED_RATIONALES: readonly RationaleVariant[] = [
  {
    needs: 'L',
    text: (c) =>
      `Utanför bedömarnas spridning: hyresvärdsintervjun, vägd mot ${c.sources}, visade brister som ingen enskild bedömare hade vägt in. Nivå ${c.low} (”${c.anchor(c.low)}”) är inte nådd.`,
  },
  {
    text: (c) =>
      `Utanför bedömarnas spridning: panelen bedömer nuvarande praxis, och det som ${c.sources} beskriver är delvis ännu en plan. Nivå ${c.low} (”${c.anchor(c.low)}”) är inte nådd i dag.`,
  },
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
  /** The story's consensus rationale, written in place of a drawn one. */
  readonly rationale?: string;
  /** Told in full by the story (RoundStory.told): nothing about the indicator is drawn. */
  readonly drawsNothing?: boolean;
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
    const toldInFull = story?.told?.[indicator.id];
    if (toldInFull !== undefined) {
      const { level, rationale } = toldInFull;
      return { section, indicator, level: clampToScale(indicator, level), fixed: true, rationale, drawsNothing: true };
    }
    const drawn = notApplicable.has(indicator.id) ? 'na' : drawProgramLevel(random, indicator);
    const told = story?.levels[indicator.id];
    const rationale = story?.rationales?.[indicator.id];
    if (told !== undefined) {
      return { section, indicator, level: clampToScale(indicator, told), fixed: true, ...(rationale === undefined ? {} : { rationale }) };
    }
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
  if (plan.drawsNothing === true && level !== 'na') {
    return { indicatorId: indicator.id, score: level, notApplicable: false, evidence: [...indicator.evidence], note: '' };
  }
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
  const evidence = drawEvidence(random, indicator);
  return {
    indicatorId: indicator.id,
    score,
    notApplicable: false,
    evidence,
    note: random() < 0.12 ? pickOne(random, fitting(RATER_NOTES, new Set(evidence))).text : '',
  };
}

/** Source codes in Swedish, in the order given: "dokument, personalintervju och aktgranskning (personakter)". */
function describeSources(rubric: Rubric, codes: readonly string[]): string {
  const labels = codes.map(
    (code) => rubric.evidence_sources.find((source) => source.code === code)?.label.sv.toLocaleLowerCase('sv') ?? code,
  );
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} och ${labels.at(-1) ?? ''}`;
}

/** The sources the raters cite for an indicator, in the indicator's order; its own list when none cites any. */
function citedSources(indicator: RubricIndicator, ratings: readonly RatingInput[]): string[] {
  const cited = new Set(ratings.flatMap((rating) => rating.evidence));
  const codes = indicator.evidence.filter((code) => cited.has(code));
  return codes.length > 0 ? codes : [...indicator.evidence];
}

/**
 * The panel's decision on one indicator from its raters' ratings. Its rationale speaks only of the sources the ratings
 * cite. `used` holds the rationales already written for the program: an optional one that would repeat another is left
 * out, as a panel lead would not write the same sentence twice (the draws are made all the same).
 */
function decideConsensus(
  random: Random,
  rubric: Rubric,
  plan: IndicatorPlan,
  ratings: readonly RatingInput[],
  used: Set<string>,
): ConsensusInput {
  const { indicator } = plan;
  const decided = (score: number | null, rationale: string, optional = false): ConsensusInput => {
    const written = optional && used.has(rationale) ? '' : rationale;
    if (written !== '') used.add(written);
    return { indicatorId: indicator.id, score, notApplicable: score === null, rationale: written };
  };
  const scores = ratings.flatMap((r) => (r.score === null ? [] : [r.score])).sort((a, b) => a - b);
  if (scores.length === 0) {
    return decided(
      null,
      `Samtliga bedömare markerade ej tillämplig: ”${stripPeriod(indicator.text.sv)}” gick inte att tillämpa i verksamheten under granskningsperioden.`,
    );
  }
  const codes = citedSources(indicator, ratings);
  const context = (score: number, low: number, high: number): RationaleContext => ({
    sources: describeSources(rubric, codes),
    cited: new Set(codes),
    score,
    low,
    high,
    anchor: (level) => stripPeriod(anchorFor(indicator.scale, level)?.sv ?? String(level)),
  });
  const low = scores[0] ?? indicator.scale.min;
  const high = scores.at(-1) ?? indicator.scale.max;
  const median = scores[Math.floor((scores.length - 1) / 2)] ?? low;
  if (plan.drawsNothing === true) return decided(median, plan.rationale ?? '');
  // Now and then the panel lands outside every rater's score, which the tool must show with its reason.
  if (random() < 0.08 && plan.fixed !== true) {
    const outside = clampToScale(indicator, random() < 0.5 ? low - 1 : high + 1);
    if (outside < low || outside > high) {
      const c = context(outside, low, high);
      return decided(outside, pickOne(random, fitting(outside > high ? RAISED_RATIONALES : LOWERED_RATIONALES, c.cited)).text(c));
    }
  }
  const c = context(median, low, high);
  let rationale = '';
  let optional = true;
  if (low !== high) {
    rationale = `Bedömningarna varierade (${low}–${high}). ${pickOne(random, fitting(DISAGREEMENT_RATIONALES, c.cited)).text(c)} ${weighDisagreement(c)}`;
    optional = false;
  } else if (ratings.some((r) => r.notApplicable)) {
    rationale = `En bedömare saknade underlag; de övriga bedömningarna stöder ${median}, liksom ${c.sources}.`;
  } else if (random() < 0.5) {
    rationale = `Samstämmiga bedömningar som stöds av ${c.sources}.`;
  }
  return decided(median, plan.rationale ?? rationale, optional && plan.rationale === undefined);
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
  return `${statement}${addsSomething ? ` – ${lowerFirst(anchor)}` : ''}. Bekräftat av ${describeSources(rubric, indicator.evidence)}.`;
}

/**
 * How a recommendation names its indicator: as the indicator, since its statement is the criterion, not a finding
 * (”Personalomsättningen är låg” alone reads as saying that turnover is low).
 */
const namingIndicator = (indicator: RubricIndicator) => `Indikatorn ”${stripPeriod(indicator.text.sv)}”`;

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
        return `${namingIndicator(indicator)} fick ${score} av ${indicator.scale.max}. Mål till nästa granskning: ${target}`;
      });
    return strengths.length + recommendations.length > 0 ? [{ sectionId: section.id, strengths, recommendations }] : [];
  });
}

/** The stores the demo is written through, from src/services.ts. */
export type DemoServices = Pick<
  Services,
  | 'db'
  | 'clock'
  | 'rubrics'
  | 'users'
  | 'municipalities'
  | 'reviews'
  | 'members'
  | 'actions'
  | 'actionPlans'
  | 'outcomes'
  | 'selfAssessments'
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
 * `at` runs a part of the seed at another time on the services' clock (createSettableClock): every step is written at
 * its own date, from the set-up in January 2024 to the notes of the 2026 action plan (the dates of a demo loaded on
 * 7 December 2026; seedDemo moves them to follow its clock). Without it, everything is dated now (the tests that only
 * read texts and scores).
 */
export type DemoTime = { readonly at: <T>(instant: string, run: () => T) => T };

/**
 * Seeds the demo into a migrated database in one transaction.
 * Throws DemoSeedRefusedError, without writing anything, when the database already has users or Stockholm.
 * The story's dates follow the day the seed runs on (the services' clock, read before any step is dated): every date
 * written moves by the same whole number of months, the outcome periods and their entry by whole years, and every
 * month, season, year and period a demo text names is that of the moved dates (DemoDates).
 */
export async function seedDemo(services: DemoServices, clockTime: DemoTime = { at: (_instant, run) => run() }): Promise<DemoSummary> {
  const { db } = services;
  const dates = createDemoDates(todayInSweden(services.clock()));
  const time: DemoTime = { at: (instant, run) => clockTime.at(dates.day(instant), run) };
  const periodTime: DemoTime = { at: (instant, run) => clockTime.at(dates.periodDay(instant), run) };
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
    const idOf = (key: UserKey): number => {
      const id = userIds.get(key);
      if (id === undefined) throw new Error(`demo seed: no user ${key}`);
      return id;
    };
    const programIds = new Map<string, number>();
    const programOf = (code: string): { id: number; name: string } => {
      const id = programIds.get(code);
      const name = DEMO_PROGRAMS.find((p) => p.code === code)?.program.name;
      if (id === undefined || name === undefined) throw new Error(`demo seed: no program for ${code}`);
      return { id, name };
    };
    time.at(SET_UP_AT, () => {
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
      for (const entry of DEMO_PROGRAMS) {
        const municipalityId = municipalityStore.insertMunicipality({ code: entry.code, name: entry.municipalityName });
        const startDate = entry.program.startDate === undefined ? undefined : dates.day(entry.program.startDate);
        programIds.set(entry.code, municipalityStore.insertProgram({ ...entry.program, startDate, municipalityId }));
      }
      // Structured affiliations, so the conflict-of-interest checks have something to work on in the demo.
      for (const [key, affiliation] of DEMO_AFFILIATIONS) {
        const municipalityId =
          affiliation.municipalityCode === undefined
            ? undefined
            : municipalityStore.findMunicipalityByCode(affiliation.municipalityCode)?.id;
        const user = DEMO_USERS.find((u) => u.key === key);
        if (!user) throw new Error(`demo seed: no user ${key}`);
        userStore.updateAffiliation(idOf(key), { kind: affiliation.kind, municipalityId, organisation: user.affiliation }, undefined);
      }
      // The demo program lead runs the Stockholm program, so the project leader's pages have something to show.
      services.members.setMember(programOf('0180').id, idOf('programLead'), 'lead', idOf('admin'));
    });

    const openReview = (
      municipalityCode: string,
      visit: { readonly visitStart: string; readonly visitEnd: string },
      panel: readonly PanelSeat[],
      openedAt: string,
    ): number =>
      time.at(openedAt, () => {
        const reviewId = reviewStore.insertReview({
          programId: programOf(municipalityCode).id,
          rubric: loaded,
          kind: 'peer_review',
          visitStart: dates.day(visit.visitStart),
          visitEnd: dates.day(visit.visitEnd),
          createdBy: idOf('coordinator'),
        });
        for (const seat of panel)
          expectOutcome('setPanelMember', reviewStore.setPanelMember(reviewId, idOf(seat.user), seat.role), 'saved');
        expectOutcome('transition to rating', reviewStore.transition(reviewId, 'draft', 'rating'), true);
        return reviewId;
      });

    const stockholmPanel = {
      raterIds: FINAL_REVIEW.panel.map((seat) => idOf(seat.user)),
      leadId: idOf(FINAL_REVIEW.panel[0].user),
      // One set for both rounds: the 2026 panel does not repeat a sentence of its 2024 rationales either.
      rationalesWritten: new Set<string>(),
    };
    const firstRoundId = seedFinalReview(random, rubric, reviewStore, indicatorIds, time, {
      ...stockholmPanel,
      reviewId: openReview(FINAL_REVIEW.municipalityCode, FIRST_ROUND, FINAL_REVIEW.panel, FIRST_ROUND.times.opened),
      times: FIRST_ROUND.times,
      story: STORY_2024,
      barriers: BARRIERS_2024,
    });
    const finalReviewId = openReview(FINAL_REVIEW.municipalityCode, FINAL_REVIEW, FINAL_REVIEW.panel, FINAL_REVIEW.times.opened);
    let selfAssessmentId: number | undefined;
    seedFinalReview(random, rubric, reviewStore, indicatorIds, time, {
      ...stockholmPanel,
      reviewId: finalReviewId,
      times: FINAL_REVIEW.times,
      story: STORY_2026,
      barriers: BARRIERS_2026_DRAFT(dates),
      report: {
        people: { leadId: stockholmPanel.leadId, coordinatorId: idOf('coordinator'), programLeadId: idOf('programLead') },
        factualCheck: FINAL_REVIEW.times.factualCheck,
        correctedBarriers: BARRIERS_2026(dates),
        dates,
      },
      // The program lead's self-assessment, made before the visit and shared with this round's panel while it was coming.
      beforeFinalised: (panelConsensus) => {
        selfAssessmentId = seedDemoSelfAssessment(services, time, dates, {
          programId: programOf(FINAL_REVIEW.municipalityCode).id,
          leadId: idOf('programLead'),
          rubric: loaded,
          peerReviewId: finalReviewId,
          panelConsensus,
        });
      },
    });
    if (selfAssessmentId === undefined) throw new Error('demo seed: the self-assessment was not made');
    seedProgramWork(services, { time, periodTime }, dates, rubric, {
      programId: programOf(FINAL_REVIEW.municipalityCode).id,
      leadUserId: idOf('programLead'),
      firstRoundId,
      latestId: finalReviewId,
    });

    const ratingReviewId = openReview(
      RATING_REVIEW.municipalityCode,
      RATING_REVIEW,
      [RATING_REVIEW.submitted, RATING_REVIEW.partial, RATING_REVIEW.notStarted],
      RATING_REVIEW.times.opened,
    );
    const plans = planProgram(random, rubric, 1);
    const submittedRatings = plans.map((plan) => drawRating(random, plan));
    const submittedId = idOf(RATING_REVIEW.submitted.user);
    time.at(RATING_REVIEW.times.submitted, () => {
      expectOutcome('saveRatings', reviewStore.saveRatings(ratingReviewId, submittedId, submittedRatings).outcome, 'saved');
      expectOutcome('submitRatings', reviewStore.submitRatings(ratingReviewId, submittedId, indicatorIds), 'submitted');
    });
    // About half the indicators: the rater stopped part-way and has not submitted.
    const partialRatings = plans.slice(0, Math.ceil(plans.length / 2)).map((plan) => drawRating(random, plan));
    time.at(RATING_REVIEW.times.partial, () =>
      expectOutcome(
        'saveRatings',
        reviewStore.saveRatings(ratingReviewId, idOf(RATING_REVIEW.partial.user), partialRatings).outcome,
        'saved',
      ),
    );

    return {
      password: DEMO_PASSWORD,
      rubricId: rubric.id,
      logins: DEMO_USERS.map(({ email, displayName, affiliation, roles }) => ({ email, displayName, affiliation, roles })),
      programs: DEMO_PROGRAMS.map((p) => ({ municipalityCode: p.code, municipalityName: p.municipalityName, programName: p.program.name })),
      finalReview: { id: finalReviewId, programName: programOf(FINAL_REVIEW.municipalityCode).name, indicators: indicatorIds.length },
      firstRound: { id: firstRoundId, visitStart: dates.day(FIRST_ROUND.visitStart) },
      selfAssessment: { id: selfAssessmentId, date: dates.day(SELF_ASSESSMENT_DAY), sharedWith: finalReviewId },
      ratingReview: {
        id: ratingReviewId,
        programName: programOf(RATING_REVIEW.municipalityCode).name,
        notStartedEmail: DEMO_USERS.find((u) => u.key === RATING_REVIEW.notStarted.user)?.email ?? '',
      },
    };
  })();
}

/**
 * Takes a review that is in rating through every rater's submission, consensus and findings to final, each step at
 * its time. A round with a board report also gets its judgement and evidence base at the consensus meeting, and the
 * factual check before it is finalised: the draft went out with `barriers`, and the panel puts in `correctedBarriers`
 * after the program's answer.
 */
function seedFinalReview(
  random: Random,
  rubric: Rubric,
  reviews: ReviewStore,
  indicatorIds: readonly string[],
  time: DemoTime,
  review: {
    reviewId: number;
    raterIds: readonly number[];
    leadId: number;
    /** The program's consensus rationales so far (decideConsensus). */
    rationalesWritten: Set<string>;
    times: RoundTimes;
    story: RoundStory;
    barriers: readonly BarrierInput[];
    report?: {
      people: DemoReportPeople;
      factualCheck: NonNullable<RoundTimes['factualCheck']>;
      correctedBarriers: readonly BarrierInput[];
      dates: DemoDates;
    };
    /**
     * Run after the factual check, before the round is finalised, with the panel's consensus: what the program did
     * while the round was still coming (the self-assessment it shared with this panel, written at its own dates).
     */
    beforeFinalised?: (consensus: ReadonlyMap<string, ConsensusInput>) => void;
  },
): number {
  const { reviewId, raterIds, leadId, times, report } = review;
  const plans = planProgram(random, rubric, 2, review.story);
  const ratingsByRater = raterIds.map(() => plans.map((plan) => drawRating(random, plan)));
  time.at(times.rated, () =>
    raterIds.forEach((raterId, index) => {
      expectOutcome('saveRatings', reviews.saveRatings(reviewId, raterId, ratingsByRater[index] ?? []).outcome, 'saved');
      expectOutcome('submitRatings', reviews.submitRatings(reviewId, raterId, indicatorIds), 'submitted');
    }),
  );
  // The round with a board report gets priorities and owners, a judgement, an evidence base and a factual check.
  const { findings, consensus } = time.at(times.consensus, () => {
    expectOutcome('transition to consensus', reviews.transition(reviewId, 'rating', 'consensus'), true);
    const consensus = new Map<string, ConsensusInput>();
    plans.forEach((plan, index) => {
      const ratings = ratingsByRater.flatMap((list) => {
        const rating = list[index];
        return rating ? [rating] : [];
      });
      const decision = decideConsensus(random, rubric, plan, ratings, review.rationalesWritten);
      consensus.set(decision.indicatorId, decision);
      expectOutcome('saveConsensus', reviews.saveConsensus(reviewId, decision, leadId).outcome, 'saved');
    });
    const drawn = report ? addDemoPriorities(rubric, buildFindings(rubric, consensus)) : buildFindings(rubric, consensus);
    expectOutcome('replaceFindings', reviews.replaceFindings(reviewId, drawn, leadId, review.barriers), 'saved');
    if (report) seedDemoJudgementAndEvidence(reviews, reviewId, report.people, report.dates);
    return { findings: drawn, consensus };
  });
  if (report) {
    seedDemoFactualCheck(reviews, reviewId, report.people, time, report.dates, report.factualCheck, () =>
      expectOutcome(
        'replaceFindings',
        reviews.replaceFindings(reviewId, findings, report.people.leadId, report.correctedBarriers),
        'saved',
      ),
    );
  }
  review.beforeFinalised?.(consensus);
  time.at(times.finalised, () => expectOutcome('transition to final', reviews.transition(reviewId, 'consensus', 'final'), true));
  return reviewId;
}

/** What became of the 2024 recommendations, in order: done, under way, or dropped with a reason. */
type FollowUp = { readonly status: 'done' | 'in_progress' | 'dropped'; readonly note: (dates: DemoDates) => string };
const FOLLOW_UP: readonly FollowUp[] = [
  // Written to fit any recommendation, since they are handed out in turn.
  {
    status: 'done',
    note: (dates) => `Genomfört: åtgärden är på plats och följdes upp i aktgranskningen inför ${dates.year(FINAL_REVIEW.visitStart)}.`,
  },
  { status: 'in_progress', note: () => 'Pågår: en plan finns, men den gäller ännu inte i alla ärenden.' },
  { status: 'done', note: (dates) => `Genomfört: ändringen gäller i alla nya ärenden sedan ${dates.seasonYear('2024-10-01')}.` },
  { status: 'in_progress', note: (dates) => `Pågår: arbetet är påbörjat och ska vara klart under ${dates.year(FIRST_PLAN.notedAt)}.` },
];
const STILL_UNDER_WAY: FollowUp = {
  status: 'in_progress',
  note: (dates) => `Pågår: arbetet är påbörjat och ska vara klart under ${dates.year(FIRST_PLAN.notedAt)}.`,
};

/**
 * Follow-ups the story tells instead of the turn (by indicator id). The first user survey went out a month before the
 * 2026 visit with no routine for the next, which is why the panel scored the indicator 2 again.
 */
const FOLLOW_UP_BY_INDICATOR: Readonly<Record<string, FollowUp>> = {
  'b5-service-level': {
    status: 'in_progress',
    note: (dates) =>
      `Pågår: en första brukarenkät skickades ut i ${dates.monthYear(SURVEY_SENT_ON)}. Svaren är ännu inte sammanställda, och det finns ingen rutin för en årlig enkät.`,
  },
};

/** The first user survey went out a month before the 2026 visit. */
const SURVEY_SENT_ON = '2026-01-15';

/** The 2024 action plan: made a month after that round was finalised, its progress noted before the 2026 visit. */
const FIRST_PLAN = { createdAt: '2024-05-13T09:00:00.000Z', dueOn: '2025-12-31', notedAt: '2026-02-15T10:00:00.000Z' } as const;

type PlannedAction = {
  readonly status: 'not_started' | 'in_progress' | 'done';
  readonly dueOn: string;
  /** The social services' unit manager, for what falls to the social services; else the program lead. */
  readonly owner?: string;
  /** The latest progress note: its day, and its text in the program lead's words. */
  readonly note?: { readonly on: string; readonly text: (dates: DemoDates) => string };
};

/** The 2026 action plan: made a week after the round was finalised; by late autumn some actions are under way. */
const LATEST_PLAN_CREATED_AT = '2026-05-12T09:00:00.000Z';
const SOCIAL_SERVICES_OWNER = 'Karin Dahl, enhetschef i socialtjänsten';
const LATEST_PLAN: Readonly<Record<string, PlannedAction>> = {
  'a2-choice-of-home': {
    status: 'in_progress',
    dueOn: '2026-12-31',
    note: {
      on: '2026-10-12',
      text: (dates) =>
        `Önskemål om område skrivs nu in i ansökan till bostadsbolaget, och ett nej till ett erbjudande leder inte längre till avslut. Rutinen gäller sedan ${dates.month('2026-10-01')}.`,
    },
  },
  'a4-strengths-language': {
    status: 'in_progress',
    dueOn: '2026-12-31',
    note: {
      on: '2026-09-21',
      text: (dates) =>
        `Hela teamet gick en halvdag om styrkebaserad dokumentation i ${dates.month('2026-09-15')}. En egen aktgranskning i ${dates.month('2026-12-15')} ska visa om det syns i akterna.`,
    },
  },
  'a7-individual-plan': {
    status: 'done',
    dueOn: '2026-09-30',
    note: {
      on: '2026-09-28',
      text: (dates) =>
        `Alla deltagare har en aktuell plan, daterad och med deltagarens egna ord. Kontrollerat i en egen aktgranskning i ${dates.month('2026-09-15')}.`,
    },
  },
  'a7-co-authored-plan': {
    status: 'done',
    dueOn: '2026-09-30',
    note: {
      on: '2026-06-15',
      text: () => 'Planmallen har fått en rad för deltagarens underskrift, och deltagaren får ett eget exemplar vid varje uppföljning.',
    },
  },
  'b1-training': {
    status: 'in_progress',
    dueOn: '2027-03-31',
    owner: SOCIAL_SERVICES_OWNER,
    note: {
      on: '2026-10-26',
      text: (dates) =>
        `Tre case managers gick utbildningen i motiverande samtal i ${dates.month('2026-10-15')}. Kursen i Bostad först och ICM (7,5 hp) börjar i ${dates.monthYear('2027-01-15')}.`,
    },
  },
  'b1-staff-continuity': { status: 'not_started', dueOn: '2027-06-30', owner: SOCIAL_SERVICES_OWNER },
  // Due before the demo is loaded and not done: the app marks it overdue, and so does the report, whose action parts
  // are as of this note's day (the newest record on the actions).
  'b2-caseload': {
    status: 'in_progress',
    dueOn: '2026-09-30',
    note: {
      on: '2026-11-16',
      text: (dates) =>
        `Den ena vakanta tjänsten tillsattes ${dates.date(POST_FILLED_ON)}. Den andra är utannonserad igen efter en rekrytering utan lämpliga sökande; i dag har varje case manager omkring 16 deltagare.`,
    },
  },
  'b2-contact-frequency': { status: 'not_started', dueOn: '2027-03-31' },
  'b4-employment-services': {
    status: 'in_progress',
    dueOn: '2026-12-31',
    note: {
      on: '2026-08-24',
      text: (dates) =>
        `Ett första möte med arbetsmarknadsenheten hölls i ${dates.month('2026-08-15')}. En överenskommelse om gemensamma ärenden skrivs nu.`,
    },
  },
  'b5-service-level': {
    status: 'in_progress',
    dueOn: '2027-02-28',
    note: {
      on: '2026-09-14',
      text: (dates) =>
        `Svaren på brukarenkäten från ${dates.month(SURVEY_SENT_ON)} gicks igenom på ett deltagarmöte i ${dates.month('2026-09-14')}. Styrgruppen beslutar i ${dates.month('2026-12-15')} om en årlig enkät.`,
    },
  },
};

/**
 * Whether two of the four case manager posts were vacant at the end of the story's 2025, moved. They fell vacant in
 * the autumn before the visit, moved by months, and the year moves by whole years (findDemoYearShift): seeded so that
 * the visit falls in June to December, the posts fall vacant in the visit's year, after the last outcome period.
 */
const postsVacantAtEndOf2025 = (dates: DemoDates): boolean => dates.day(POSTS_VACANT_FROM) <= dates.periodDay('2025-12-31');
const caseManagersAtEndOf2025 = (dates: DemoDates): number => (postsVacantAtEndOf2025(dates) ? 2 : 4);

/**
 * The outcome figures, as a real program's would reconcile. Moved in, still in the first flat, still in the program
 * and first-hand leases count the people who moved in during the period (outcomes/retention.ts); exits, evictions,
 * complaints and offers are everything during the period, and participants are those at its end. So: each year's
 * exits cover at least those of its movers who left; participants at the end of 2025 are those at the end of 2024,
 * plus 2025's movers, less 2025's exits (44 + 10 − 8 = 46); since the start, everyone who moved in and left is an exit
 * (84 − 46 = 38), everyone still in the program is a participant at the end of 2025, and every count is at least the
 * years' sum. Two of the four case manager posts were vacant at the end of 2025, hence 23 participants per case manager
 * (where the moved posts fall vacant after the moved year, it ended with all four: postsVacantAtEndOf2025).
 * The years and the instants they were entered move by whole years; the running total starts with the program.
 */
const exits = (own_lease: number, care: number, died: number, left: number, other: number) => ({ own_lease, care, died, left, other });
const OUTCOME_PERIODS = [
  {
    enteredAt: '2025-01-20T10:00:00.000Z',
    period: {
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
      movedIn: 12,
      stillFirstFlat: 10,
      stillInProgram: 11,
      firstHandLeases: 1,
      clients: 44,
      caseManagers: () => 4,
      evictions: 1,
      complaints: 6,
      note: (dates: DemoDates) =>
        `Uppgifter från verksamhetens uppföljning. Avsluten gäller alla deltagare, också de som flyttade in före ${dates.periodStart('2024-01-01')}.`,
      details: { offered: 14, evictionThreats: 5, terminatedLeases: 2, medianDaysToKeys: 104, exits: exits(2, 1, 1, 2, 0) },
    },
  },
  {
    enteredAt: '2026-01-26T10:00:00.000Z',
    period: {
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      movedIn: 10,
      stillFirstFlat: 8,
      stillInProgram: 9,
      firstHandLeases: 2,
      clients: 46,
      caseManagers: caseManagersAtEndOf2025,
      evictions: 2,
      complaints: 9,
      note: (dates: DemoDates) =>
        `${postsVacantAtEndOf2025(dates) ? `Två tjänster som case manager vakanta under ${dates.season(POSTS_VACANT_FROM)}. ` : ''}Avsluten gäller alla deltagare, också de som flyttade in före ${dates.periodStart('2025-01-01')}.`,
      details: { offered: 12, evictionThreats: 7, terminatedLeases: 3, medianDaysToKeys: 88, exits: exits(3, 2, 1, 2, 0) },
    },
  },
  {
    enteredAt: '2026-01-26T10:05:00.000Z',
    period: {
      kind: 'since_start' as const,
      periodStart: '2010-06-01',
      periodEnd: '2025-12-31',
      movedIn: 84,
      stillFirstFlat: 40,
      stillInProgram: 46,
      firstHandLeases: 16,
      clients: 46,
      caseManagers: caseManagersAtEndOf2025,
      evictions: 9,
      complaints: 52,
      note: (dates: DemoDates) => `Sedan starten i ${dates.monthYear('2010-06-01')}.`,
      details: { offered: 95, evictionThreats: 48, terminatedLeases: 17, medianDaysToKeys: 96, exits: exits(10, 9, 8, 9, 2) },
    },
  },
];

/**
 * The action plans and outcome figures of the Stockholm program, each at its date: the 2024 round's recommendations
 * followed up (statuses and dated notes by the program lead), the 2026 plan some months on, and outcomes for 2024,
 * 2025 and since the start, entered at `periodTime` (moved by whole years, as the periods are).
 */
function seedProgramWork(
  { actions, actionPlans, outcomes, reviews }: Pick<DemoServices, 'actions' | 'actionPlans' | 'outcomes' | 'reviews'>,
  { time, periodTime }: { readonly time: DemoTime; readonly periodTime: DemoTime },
  dates: DemoDates,
  rubric: Rubric,
  { programId, leadUserId, firstRoundId, latestId }: { programId: number; leadUserId: number; firstRoundId: number; latestId: number },
): void {
  const indicators = rubric.sections.flatMap((section) => section.indicators);
  /** The indicator a recommendation is about: each starts by naming it (buildFindings). */
  const indicatorOf = (recommendation: string): RubricIndicator | undefined =>
    indicators.find((indicator) => recommendation.startsWith(`${namingIndicator(indicator)} `));
  const scoresOf = (reviewId: number) => new Map(reviews.listConsensus(reviewId).map((c) => [c.indicatorId, c.score]));
  const first = scoresOf(firstRoundId);
  const latest = scoresOf(latestId);

  time.at(FIRST_PLAN.createdAt, () => {
    expectOutcome('createPlan', actionPlans.createPlan(firstRoundId, leadUserId).outcome, 'created');
    for (const action of actions.listActionsOfReview(firstRoundId)) {
      const input = { ownerUserId: leadUserId, ownerName: '', dueOn: dates.day(FIRST_PLAN.dueOn), status: 'not_started' as const };
      expectOutcome('updateAction', actions.updateAction(action.id, { ...input, expectedVersion: action.version }, leadUserId), 'saved');
    }
  });
  // An action whose indicator reached the top of its scale in 2026 (a strength that round) is done: the report must not
  // call the same thing a strength and an action still under way. The others take the statuses in turn, but none is
  // done unless its indicator scored higher in 2026 than in 2024.
  const DONE = FOLLOW_UP.find((follow) => follow.status === 'done');
  time.at(FIRST_PLAN.notedAt, () =>
    actions.listActionsOfReview(firstRoundId).forEach((action, index) => {
      const indicator = indicatorOf(action.recommendation);
      const before = indicator ? first.get(indicator.id) : undefined;
      const after = indicator ? latest.get(indicator.id) : undefined;
      const reachedTop = indicator !== undefined && after === indicator.scale.max;
      const improved = before !== null && before !== undefined && after !== null && after !== undefined && after > before;
      const turn = FOLLOW_UP[index % FOLLOW_UP.length] ?? FOLLOW_UP[0];
      const told = reachedTop ? DONE : ((indicator && FOLLOW_UP_BY_INDICATOR[indicator.id]) ?? turn);
      const follow = told?.status === 'done' && !improved ? STILL_UNDER_WAY : told;
      if (!follow) return;
      const saved = actions.updateAction(
        action.id,
        {
          ownerUserId: leadUserId,
          ownerName: '',
          dueOn: dates.day(FIRST_PLAN.dueOn),
          status: follow.status,
          expectedVersion: action.version,
          note: { notedOn: dates.day(FIRST_PLAN.notedAt).slice(0, 10), text: follow.note(dates) },
        },
        leadUserId,
      );
      expectOutcome('updateAction', saved, 'saved');
    }),
  );

  // The 2026 plan: every action gets its owner and due date when the plan is made, and its status with the latest note
  // on the day the note was written.
  time.at(LATEST_PLAN_CREATED_AT, () => {
    expectOutcome('createPlan', actionPlans.createPlan(latestId, leadUserId).outcome, 'created');
    for (const action of actions.listActionsOfReview(latestId)) {
      const planned = plannedAction(indicatorOf(action.recommendation));
      const owner =
        planned.owner === undefined ? { ownerUserId: leadUserId, ownerName: '' } : { ownerUserId: undefined, ownerName: planned.owner };
      const input = { ...owner, dueOn: dates.day(planned.dueOn), status: 'not_started' as const, expectedVersion: action.version };
      expectOutcome('updateAction', actions.updateAction(action.id, input, leadUserId), 'saved');
    }
  });
  for (const action of actions.listActionsOfReview(latestId)) {
    const planned = plannedAction(indicatorOf(action.recommendation));
    if (planned.status === 'not_started' || planned.note === undefined) continue;
    const { on, text } = planned.note;
    time.at(`${on}T12:00:00.000Z`, () => {
      const owner =
        planned.owner === undefined ? { ownerUserId: leadUserId, ownerName: '' } : { ownerUserId: undefined, ownerName: planned.owner };
      const input = { ...owner, dueOn: dates.day(planned.dueOn), status: planned.status, expectedVersion: action.version };
      const note = { notedOn: dates.day(on), text: text(dates) };
      const saved = actions.updateAction(action.id, { ...input, note }, leadUserId);
      expectOutcome('updateAction', saved, 'saved');
    });
  }

  for (const { enteredAt, period } of OUTCOME_PERIODS) {
    const dated = {
      ...period,
      // The running total starts on the program's start date, which moves with the other dates.
      periodStart: period.kind === 'since_start' ? dates.day(period.periodStart) : dates.periodDay(period.periodStart),
      periodEnd: dates.periodDay(period.periodEnd),
      caseManagers: period.caseManagers(dates),
      note: period.note(dates),
    };
    periodTime.at(enteredAt, () => expectOutcome('insertPeriod', outcomes.insertPeriod(programId, dated, leadUserId).outcome, 'saved'));
  }
}

/** The 2026 plan's entry for an indicator; one the story does not name is planned for the next spring, not yet started. */
function plannedAction(indicator: RubricIndicator | undefined): PlannedAction {
  return (indicator && LATEST_PLAN[indicator.id]) ?? { status: 'not_started', dueOn: '2027-03-31' };
}
