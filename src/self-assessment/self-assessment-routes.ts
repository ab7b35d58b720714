// Self-assessments of a program: the list and start form for its people, sharing with a coming peer review,
// adopting agreed ratings as consensus, and the gap view against the latest final peer review.
import { todayInSweden } from '../i18n/calendar.js';
import { loadProgramOr404 } from '../municipalities/load-program.js';
import { Router } from 'express';
import type { DescribeLatestResult } from '../municipalities/program-page-parts.js';
import type { Request, Response } from 'express';
import { requireUser } from '../accounts/access.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam } from '../http/form-fields.js';
import { type FieldErrors, labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import { labelsOf } from '../i18n/labels.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import { listFinalPeerReviews, compareLatestFirst, findRoundDate } from '../reviews/review-rounds.js';
import { isProgramLead, isProgramPerson, type ProgramViewer } from '../program-members/program-access.js';
import type { ProgramMemberStore } from '../program-members/program-member-store.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { isLoneSubmittedLead } from '../reviews/review-access.js';
import type { Review, ReviewSummary } from '../reviews/review-types.js';
import { findTransitionBlockers } from '../reviews/review-workflow.js';
import { describeLevelPending, describeVerdict } from '../reviews/level-explanation.js';
import { formatScore, formatSignedNumber, MISSING } from '../i18n/format.js';
import { differenceAsShown, formatFigurePercent, levelBands } from '../reviews/scoring.js';
import { defaultRubricId, type RubricRegistry } from '../rubrics/rubric-registry.js';
import { analyseGaps, type GapAnalysis, type IndicatorGap, type SideLevel, summariseGaps } from './gap.js';
import { createStartFormSchema, GapQuerySchema, SELF_ASSESSMENT_FIELD_LABELS, ShareFormSchema } from './self-assessment-forms.js';
import type { SelfAssessments } from './self-assessment-workflow.js';

export type SelfAssessmentRouterDependencies = {
  /** The program's latest result, shown under the page's heading (ux.md rule 9); none when left out. */
  readonly latestResult?: DescribeLatestResult | undefined;
  readonly selfAssessments: SelfAssessments;
  readonly members: ProgramMemberStore;
  readonly reviews: ReviewStore;
  readonly municipalities: MunicipalityStore;
  readonly rubrics: RubricRegistry;
  /** "Today" for dates typed and shown: the app's clock. */
  readonly clock: Clock;
};

type FailedShare = { readonly selfAssessmentId: number; readonly values: RawForm; readonly errors: FieldErrors };

function describeDate(review: ReviewSummary, t: Translate): string {
  return review.visitStart ?? t('common.notSet');
}

/** The difference in percentage points between two figures as shown, and its direction; blank when there is none. */
function describeDifference(
  self: number | null,
  peer: number | null,
  locale: Locale,
  t: Translate,
  bands: readonly number[],
): { gap: string; direction: 'higher' | 'lower' | 'same' | undefined } {
  if (self === null || peer === null) return { gap: MISSING, direction: undefined };
  const difference = differenceAsShown(self, peer, bands);
  const value = formatSignedNumber(difference, locale);
  return { gap: t('selfAssessment.gap.points', { value }), direction: difference === 0 ? 'same' : difference > 0 ? 'higher' : 'lower' };
}

/**
 * The self-assessment's level beside the panel's. One still in consensus gets none until every section of the parts
 * that decide it is sufficiently decided (the result page's rule, listSectionsShortOfLevel): a level from part of it
 * would read as the program's. `pending` then says what is missing.
 */
function describeSelfLevel(side: SideLevel, final: boolean, locale: Locale) {
  const verdict = describeVerdict(side.rubric, side.scores, locale);
  const pending = final ? undefined : describeLevelPending(side.rubric, side.scores, locale);
  return pending === undefined
    ? { ...verdict, pending }
    : { ...verdict, level: undefined, basis: undefined, meanOnScale: undefined, caps: [], capped: false, capReasons: [], pending };
}

/** The gap view's address: the self-assessment chosen, and the filter that shows only the indicators below the top score. */
function gapHref(programId: number, selfId: number | undefined, belowTopOnly: boolean): string {
  const query = new URLSearchParams();
  if (selfId !== undefined) query.set('self', String(selfId));
  if (belowTopOnly) query.set('below_top', '1');
  const search = query.toString();
  return `/programs/${programId}/gap${search === '' ? '' : `?${search}`}`;
}

/** The in-page anchors of a rubric section's part of the gap view and of an indicator's row, for the page's links. */
const gapSectionAnchor = (sectionId: string) => `gap-${sectionId}`;
const gapIndicatorAnchor = (indicatorId: string) => `gap-ind-${indicatorId}`;

/**
 * The gap view: a summary first (how many indicators are below the top score, the core elements below it, the largest
 * differences), the sections' figures with their counts as the page's contents, then each section's indicators below
 * the top score as rows, and those with the top score in both folded away. With `belowTopOnly` (the page's filter) those
 * are left out, and so are the sections with none below the top; every indicator below it is shown either way.
 */
function buildGapView(gaps: GapAnalysis, selfFinal: boolean, belowTopOnly: boolean, locale: Locale, t: Translate) {
  const score = (value: number) => formatScore(value, locale, 0);
  const bands = levelBands(gaps.levels.peer.rubric);
  const describeIndicator = (gap: IndicatorGap) => ({
    anchor: gapIndicatorAnchor(gap.indicatorId),
    label: gap.label,
    text: gap.text[locale],
    critical: gap.critical,
    self: score(gap.selfScore),
    peer: score(gap.peerScore),
    scale: `${score(gap.scaleMin)}–${score(gap.scaleMax)}`,
    gap: formatSignedNumber(gap.gap, locale, { maxDigits: 0 }),
    direction: gap.gap === 0 ? 'same' : gap.gap > 0 ? 'higher' : 'lower',
    nextLevel: gap.nextLevel ? { level: score(gap.nextLevel.level), anchor: gap.nextLevel.anchor[locale] } : undefined,
  });
  const summary = summariseGaps(gaps);
  // Each section's indicators, the sections in the rubric's order and the largest difference first within each.
  const parts = gaps.levels.peer.rubric.sections
    .map((section) => {
      const inSection = gaps.indicators.filter((gap) => gap.sectionId === section.id);
      return {
        sectionId: section.id,
        anchor: gapSectionAnchor(section.id),
        code: section.code,
        title: section.title[locale],
        compared: inSection.length,
        rows: inSection.filter((gap) => !gap.bothAtTop).map(describeIndicator),
        atTop: belowTopOnly ? [] : inSection.filter((gap) => gap.bothAtTop).map(describeIndicator),
      };
    })
    .filter((part) => !belowTopOnly || part.rows.length > 0);
  const shownSections = new Set(parts.map((part) => part.sectionId));
  return {
    levels: {
      self: describeSelfLevel(gaps.levels.self, selfFinal, locale),
      peer: { ...describeVerdict(gaps.levels.peer.rubric, gaps.levels.peer.scores, locale), pending: undefined },
    },
    summary: {
      compared: summary.compared,
      belowTop: summary.belowTop,
      atTop: summary.compared - summary.belowTop,
      coreCompared: summary.coreCompared,
      core: summary.coreBelowTop.map(describeIndicator),
      largest: summary.largest.map(describeIndicator),
    },
    // The sections' table is also the page's contents: each section's name links to its indicators, and it says how
    // many are below the top score. Largest difference first, as the analysis sorts them.
    sections: gaps.sections.map((section) => ({
      code: section.code,
      title: section.title[locale],
      href: shownSections.has(section.sectionId) ? `#${gapSectionAnchor(section.sectionId)}` : undefined,
      belowTop: section.belowTop,
      compared: section.compared,
      total: section.total,
      sufficient: section.sufficient,
      // Shown like the result page's figures (rounded down), and the difference from the two figures as shown.
      self: formatFigurePercent(section.selfPercent, locale, bands),
      peer: formatFigurePercent(section.peerPercent, locale, bands),
      ...describeDifference(section.selfPercent, section.peerPercent, locale, t, bands),
    })),
    parts,
    belowTopOnly,
    uncompared: gaps.uncompared.map((item) => ({
      label: item.label,
      text: item.text[locale],
      reason: t(`selfAssessment.gap.reasons.${item.reason}`),
    })),
  };
}

export function createSelfAssessmentRouter({
  selfAssessments,
  members,
  reviews,
  municipalities,
  rubrics,
  clock,
  latestResult,
}: SelfAssessmentRouterDependencies): Router {
  const router = Router();
  router.use(['/programs/:id/self-assessments', '/programs/:id/gap', '/self-assessments'], requireUser());

  const findProgram = (rawId: unknown): Program => loadProgramOr404(municipalities, rawId);

  const viewerOf = (req: Request, programId: number): ProgramViewer => {
    if (!req.user) throw new ForbiddenError();
    return { user: req.user, role: members.findRole(programId, req.user.id) };
  };

  /** The program's people only: the self-assessments are theirs until shared. */
  const loadProgram = (req: Request): { program: Program; viewer: ProgramViewer } => {
    const program = findProgram(req.params.id);
    const viewer = viewerOf(req, program.id);
    if (!isProgramPerson(viewer)) throw new ForbiddenError('selfAssessment.programPeopleOnly');
    return { program, viewer };
  };

  /** A self-assessment named in the URL; anything else (a peer review, an unknown id) is a 404. */
  const loadSelfAssessment = (req: Request): { review: Review; viewer: ProgramViewer } => {
    const id = idParam.safeParse(req.params.id);
    const review = id.success ? reviews.findReviewById(id.data) : undefined;
    if (review?.kind !== 'self_assessment') throw new NotFoundError();
    const viewer = viewerOf(req, review.programId);
    if (!isProgramPerson(viewer)) throw new NotFoundError();
    return { review, viewer };
  };

  const listOfProgram = (programId: number) =>
    reviews
      .listReviewsForProgram(programId)
      .filter((review) => review.kind === 'self_assessment')
      .sort(compareLatestFirst);

  const renderList = async (
    req: Request,
    res: Response,
    program: Program,
    viewer: ProgramViewer,
    forms: { start?: { values: RawForm; errors: FieldErrors }; share?: FailedShare } = {},
    status = 200,
  ) => {
    const lead = isProgramLead(viewer);
    const all = reviews.listReviewsForProgram(program.id);
    const coming = all.filter((review) => review.kind === 'peer_review' && review.status !== 'final');
    const describePeer = (review: ReviewSummary) =>
      req.t('selfAssessment.peerReviewLabel', { date: describeDate(review, req.t), status: req.t(`reviews.status.${review.status}`) });
    const items = listOfProgram(program.id).map((review) => {
      const shares = selfAssessments.listSharesOf(review.id);
      const sharedIds = new Set(shares.map((share) => share.peerReviewId));
      const panelLead = reviews.listPanel(review.id).find((member) => member.role === 'lead');
      const failed = forms.share?.selfAssessmentId === review.id ? forms.share : undefined;
      return {
        id: review.id,
        href: review.status === 'final' ? `/reviews/${review.id}/result` : `/reviews/${review.id}`,
        date: describeDate(review, req.t),
        status: review.status,
        statusLabel: req.t(`reviews.status.${review.status}`),
        rubric: req.t('municipalities.reviews.rubricVersion', { title: review.rubricTitle[req.locale], version: review.rubricVersion }),
        leadName: panelLead?.displayName ?? '',
        shares: shares.map((share) => {
          const peer = all.find((candidate) => candidate.id === share.peerReviewId);
          return {
            peerReviewId: share.peerReviewId,
            label: peer ? describePeer(peer) : `#${share.peerReviewId}`,
            sharedOn: share.sharedAt.slice(0, 10),
          };
        }),
        shareOptions:
          lead && review.status === 'final'
            ? coming
                .filter((peer) => !sharedIds.has(peer.id) && peer.rubricId === review.rubricId)
                .map((peer) => ({ value: peer.id, label: describePeer(peer) }))
            : [],
        canUnshare: lead,
        canAdopt:
          panelLead?.userId === viewer.user.id &&
          (review.status === 'consensus' ||
            (review.status === 'rating' && isLoneSubmittedLead(reviews.listPanel(review.id), viewer.user.id))),
        shareForm: createFormView(failed?.values ?? {}, failed?.errors ?? {}, failed !== undefined),
      };
    });
    const startForm = createFormView(
      forms.start?.values ?? { rubric_id: defaultRubricId(rubrics) ?? '' },
      forms.start?.errors ?? {},
      forms.start !== undefined,
    );
    // One error summary, at the top of the page (ux.md 5), for whichever form was refused: a share form's fields carry
    // its self-assessment's id.
    const refusedShare = items.find((item) => item.shareForm.hasErrors);
    const colleagues = members.listMembers(program.id).filter((member) => member.userId !== viewer.user.id);
    await renderPage(
      res,
      'self-assessment/index',
      {
        // renderPage puts "Fel: " before the title of a page with a refused form among its locals.
        title: req.t('selfAssessment.title', { program: program.name }),
        refusedForm: refusedShare?.shareForm ?? startForm,
        refusedIdSuffix: refusedShare ? `-${refusedShare.id}` : '',
        program,
        latest: latestResult?.(program, req.t, req.locale),
        items,
        canStart: lead && rubrics.size > 0,
        rubricOptions: [...rubrics.values()].map(({ rubric }) => ({
          value: rubric.id,
          label: `${rubric.title[req.locale]} (${rubric.version})`,
        })),
        colleagues: colleagues.map((member) => ({
          id: String(member.userId),
          name: member.displayName,
          role: req.t(`programMembers.roles.${member.role}`),
        })),
        startForm,
        hasComingPeerReview: coming.length > 0,
      },
      status,
    );
  };

  router.get('/programs/:id/self-assessments', async (req, res) => {
    const { program, viewer } = loadProgram(req);
    await renderList(req, res, program, viewer);
  });

  router.post('/programs/:id/self-assessments', async (req, res) => {
    const { program, viewer } = loadProgram(req);
    if (!isProgramLead(viewer)) throw new ForbiddenError('selfAssessment.leadsOnly');
    const colleagueIds = members
      .listMembers(program.id)
      .map((member) => member.userId)
      .filter((id) => id !== viewer.user.id);
    const parsed = parseForm(
      createStartFormSchema([...rubrics.keys()], colleagueIds, todayInSweden(clock())),
      req.body,
      req.t,
      labelFields(req.t, SELF_ASSESSMENT_FIELD_LABELS),
    );
    if (!parsed.ok) return renderList(req, res, program, viewer, { start: parsed }, 422);
    const rubric = rubrics.get(parsed.value.rubric_id);
    if (!rubric) throw new NotFoundError();
    // One unfinished self-assessment per rubric: a second (a double press, or a colleague starting one meanwhile)
    // would split the program's ratings between two. The form comes back pointing at the one in progress.
    const unfinished = listOfProgram(program.id).find((review) => review.status !== 'final' && review.rubricId === rubric.rubric.id);
    if (unfinished) {
      const values = toRawForm(req.body);
      const errors = { rubric_id: [req.t('selfAssessment.alreadyInProgress', { date: describeDate(unfinished, req.t) })] };
      return renderList(req, res, program, viewer, { start: { values, errors } }, 422);
    }
    const id = selfAssessments.startSelfAssessment({
      programId: program.id,
      rubric,
      leadId: viewer.user.id,
      coRaterIds: parsed.value.co_raters,
      date: parsed.value.date ?? todayInSweden(clock()),
    });
    setFlash(req, 'selfAssessment.started');
    res.redirect(303, `/reviews/${id}`);
  });

  router.post('/self-assessments/:id/share', async (req, res) => {
    const { review, viewer } = loadSelfAssessment(req);
    if (!isProgramLead(viewer)) throw new ForbiddenError('selfAssessment.leadsOnly');
    const program = findProgram(review.programId);
    const parsed = parseForm(ShareFormSchema, req.body, req.t, labelFields(req.t, SELF_ASSESSMENT_FIELD_LABELS));
    if (!parsed.ok) return renderList(req, res, program, viewer, { share: { selfAssessmentId: review.id, ...parsed } }, 422);
    const outcome = selfAssessments.share(review.id, parsed.value.peer_review_id, viewer.user.id);
    if (outcome === 'not-final') throw new ConflictError('selfAssessment.shareNotFinal');
    if (outcome === 'not-a-coming-peer-review' || outcome === 'other-rubric') {
      const values: RawForm = { peer_review_id: String(parsed.value.peer_review_id) };
      const errors = {
        peer_review_id: [req.t(outcome === 'other-rubric' ? 'selfAssessment.shareOtherRubric' : 'selfAssessment.shareNotComing')],
      };
      return renderList(req, res, program, viewer, { share: { selfAssessmentId: review.id, values, errors } }, 422);
    }
    setFlash(req, 'selfAssessment.shared');
    res.redirect(303, `/programs/${review.programId}/self-assessments`);
  });

  router.post('/self-assessments/:id/unshare', async (req, res) => {
    const { review, viewer } = loadSelfAssessment(req);
    if (!isProgramLead(viewer)) throw new ForbiddenError('selfAssessment.leadsOnly');
    const parsed = parseForm(ShareFormSchema, req.body, req.t);
    if (!parsed.ok) throw new NotFoundError();
    selfAssessments.unshare(review.id, parsed.value.peer_review_id, viewer.user.id);
    setFlash(req, 'selfAssessment.unshared');
    res.redirect(303, `/programs/${review.programId}/self-assessments`);
  });

  router.post('/self-assessments/:id/adopt', async (req, res) => {
    const { review, viewer } = loadSelfAssessment(req);
    const panel = reviews.listPanel(review.id);
    const panelLead = panel.find((member) => member.role === 'lead');
    if (panelLead?.userId !== viewer.user.id) throw new ForbiddenError('selfAssessment.panelLeadOnly');
    // A lone rater who has submitted skips "Starta konsensus": the adoption starts it, when nothing blocks that step.
    const startConsensus =
      review.status === 'rating' &&
      isLoneSubmittedLead(panel, viewer.user.id) &&
      findTransitionBlockers(
        { rubric: review.rubric.rubric, panel, consensus: reviews.listDecidedIndicators(review.id), kind: review.kind },
        { from: 'rating', to: 'consensus' },
      ).length === 0;
    const outcome = selfAssessments.adoptAgreedRatings(review.id, viewer.user.id, { startConsensus });
    if (outcome.outcome === 'locked') throw new ConflictError('selfAssessment.adoptLocked');
    setFlash(req, outcome.undecided > 0 ? 'selfAssessment.adoptedSome' : 'selfAssessment.adoptedAll');
    res.redirect(303, `/reviews/${review.id}/consensus`);
  });

  router.get('/programs/:id/gap', async (req, res) => {
    const { program, viewer } = loadProgram(req);
    const query = GapQuerySchema.parse(req.query);
    const belowTopOnly = query.below_top === '1';
    // Self-assessments with agreed scores, latest first: the gap is about what the program settled on.
    const candidates = listOfProgram(program.id)
      .filter((review) => review.status === 'consensus' || review.status === 'final')
      .map((review) => ({ review, consensus: reviews.listConsensus(review.id) }))
      .filter((candidate) => candidate.consensus.length > 0);
    const chosen = candidates.find((candidate) => candidate.review.id === query.self) ?? candidates[0];
    const finals = listFinalPeerReviews(reviews, program.id);
    const peerSummary = chosen ? finals.find((review) => review.rubricId === chosen.review.rubricId) : undefined;
    const self = chosen ? reviews.findReviewById(chosen.review.id) : undefined;
    const peer = peerSummary ? reviews.findReviewById(peerSummary.id) : undefined;
    const gaps =
      chosen && self && peer
        ? buildGapView(
            analyseGaps(
              { rubric: self.rubric.rubric, consensus: chosen.consensus },
              { rubric: peer.rubric.rubric, consensus: reviews.listConsensus(peer.id) },
            ),
            self.status === 'final',
            belowTopOnly,
            req.locale,
            req.t,
          )
        : undefined;
    await renderPage(res, 'self-assessment/gap', {
      title: req.t('selfAssessment.gap.title', { program: program.name }),
      program,
      selfOptions: candidates.map((candidate) => ({
        value: candidate.review.id,
        label: req.t('selfAssessment.selfLabel', {
          date: describeDate(candidate.review, req.t),
          rubric: candidate.review.rubricTitle[req.locale],
        }),
      })),
      chosenId: chosen?.review.id,
      self: chosen?.review,
      peer: peerSummary ? { id: peerSummary.id, date: findRoundDate(peerSummary) } : undefined,
      gaps,
      belowTopOnly,
      // The filter is a link, so it works without JavaScript and the page can be bookmarked or shared as shown.
      filterHrefs: {
        belowTopOnly: gapHref(program.id, chosen?.review.id, true),
        all: gapHref(program.id, chosen?.review.id, false),
      },
      directionLabels: labelsOf(['higher', 'lower', 'same'] as const, (direction) => `selfAssessment.gap.direction.${direction}`, req.t),
      // The empty state leads to starting one, for those who may.
      canStart: isProgramLead(viewer) && rubrics.size > 0,
    });
  });

  return router;
}
