// The result page of a review: final results for everyone logged in, a preview for the panel during consensus.
import { type Request, type Response, Router } from 'express';
import { requireUser } from '../accounts/access.js';
import { NotFoundError } from '../errors.js';
import { type BoundedCache, createBoundedCache } from '../http/bounded-cache.js';
import { renderFragment, renderPage } from '../http/render-page.js';
import { labelsOf } from '../i18n/labels.js';
import type { Locale } from '../i18n/locale.js';
import { canViewOverview, canViewResult } from './review-access.js';
import { loadReviewContext } from './review-context.js';
import type { ReviewStore } from './review-store.js';
import { BARRIER_CATEGORIES, type BarrierCategory, type Review } from './review-types.js';
import { buildResultView } from './result-view.js';
import {
  buildAgreementView,
  computeReviewAgreement,
  countScoringRaters,
  createIndicatorNamer,
  createIndicatorScales,
} from '../agreement/agreement-view.js';
import { hasAnyRole } from '../accounts/access.js';
import { groupByOwner, ownerKey } from './report-workflow.js';
import { findRoundDate, listFinalPeerReviews } from './review-rounds.js';
import { formatLongDate } from '../i18n/format.js';

type ResultFigures = {
  readonly result: ReturnType<typeof buildResultView>;
  readonly agreement: ReturnType<typeof buildAgreementView> | undefined;
  readonly submittedRaters: number;
};

/** The figures and their HTML: what a result page shows that depends on the review and the language only. */
type ResultBody = ResultFigures & {
  /** views/reviews/result-figures.ejs: the verdict, parts, sections' scores, barriers and recommendations. */
  readonly figuresHtml: string;
  /** views/reviews/result-section-figures.ejs of each section, by its id: its indicators and findings. */
  readonly sectionsHtml: ReadonlyMap<string, string>;
  /** views/research/agreement-figures.ejs, when there are agreement figures. */
  readonly agreementHtml: string | undefined;
};

/** What views/reviews/result.ejs is rendered with (besides res.locals). */
export type ResultPageLocals = {
  readonly title: string;
  readonly result: ResultFigures['result'];
  readonly kindLabel: string;
  readonly statusLabel: string;
  readonly canViewOverview: boolean;
  readonly figuresHtml: string;
  readonly agreementHtml: string | undefined;
  readonly agreementNeedsTwo: boolean;
  readonly canExportMatrix: boolean;
  /**
   * The municipality's report, for a final peer review it is built from: the program's latest, or an earlier round,
   * which the report does not show (then with the latest round's date and result page). Undefined for others.
   */
  readonly report:
    | { readonly href: string; readonly newerRound: { readonly dateText: string; readonly resultHref: string } | undefined }
    | undefined;
};

/** What views/reviews/result-section.ejs is rendered with (besides res.locals). */
export type ResultSectionPageLocals = {
  readonly title: string;
  readonly heading: string;
  readonly result: ResultFigures['result'];
  readonly sectionHtml: string;
  readonly previous: { readonly id: string; readonly code: string; readonly title: string } | undefined;
  readonly next: { readonly id: string; readonly code: string; readonly title: string } | undefined;
};

/** What views/reviews/result-figures.ejs is rendered with (besides res.locals): nothing that depends on the reader. */
type ResultFiguresLocals = {
  readonly result: ResultFigures['result'];
  readonly barrierLabels: Readonly<Record<BarrierCategory, string>>;
  /** The recommendations by owner, each group by priority. */
  readonly recommendationGroups: readonly {
    readonly owner: string;
    readonly items: readonly { readonly text: string; readonly code: string; readonly priority: string; readonly high: boolean }[];
  }[];
};

/** Memoised figures and their HTML of final reviews, one cache per app (created with its router unless passed in). */
export type ResultFiguresCache = BoundedCache<string, ResultBody>;
/**
 * Entries kept. One holds a review's figures and their HTML: for the shipped rubric about 55,000 characters, kept as
 * two bytes each (the dashes and signs are outside Latin-1), so the cache holds at most some 25 MB.
 */
const RESULT_CACHE_ENTRIES = 200;

function computeResultFigures(reviews: ReviewStore, review: Review, locale: Locale): ResultFigures {
  const submittedRatings = reviews.listSubmittedScores(review.id);
  const result = buildResultView(
    review,
    reviews.listConsensus(review.id),
    submittedRatings,
    reviews.listFindings(review.id),
    locale,
    reviews.listBarriers(review.id),
    { levelWhenComplete: true },
  );
  // Agreement between the raters, for final reviews only: figures over the panel, never who gave what. It needs two
  // raters at least: a single rater's review (a self-assessment by its lead alone) gets a one-line note instead.
  // Raters who gave a score, counted as the research page and the agreement CLI count them.
  const submittedRaters = countScoringRaters(submittedRatings);
  const agreement =
    review.status === 'final' && submittedRaters >= 2
      ? buildAgreementView(
          computeReviewAgreement(submittedRatings, createIndicatorScales(review.rubric.rubric)),
          createIndicatorNamer(review.rubric.rubric, locale),
          locale,
        )
      : undefined;
  return { result, agreement, submittedRaters };
}

/**
 * The figures with their HTML, rendered with the reader's language but nothing else of theirs (the templates get
 * res.locals for t and tr; what they may use is ResultFiguresLocals).
 */
function buildResultBody(reviews: ReviewStore, review: Review, req: Request, res: Response): ResultBody {
  const figures = computeResultFigures(reviews, review, req.locale);
  const sectionIds = review.rubric.rubric.sections.map((section) => section.id);
  const figuresLocals: ResultFiguresLocals = {
    result: figures.result,
    barrierLabels: labelsOf(BARRIER_CATEGORIES, (category) => `reviews.consensus.barrierLabels.${category}`, req.t),
    recommendationGroups: groupByOwner(reviews.listFindings(review.id), sectionIds).map((group) => ({
      owner: req.t(ownerKey(group.owner)),
      items: group.items.map((finding) => ({
        text: finding.text,
        code: review.rubric.rubric.sections.find((section) => section.id === finding.sectionId)?.code ?? finding.sectionId,
        priority: req.t(`reviews.recommendation.priority.${finding.priority ?? 'medium'}`),
        high: finding.priority === 'high',
      })),
    })),
  };
  return {
    ...figures,
    figuresHtml: renderFragment(res, 'reviews/result-figures', figuresLocals),
    sectionsHtml: new Map(
      figures.result.sections.map((section) => [section.id, renderFragment(res, 'reviews/result-section-figures', { section })]),
    ),
    agreementHtml:
      figures.agreement === undefined
        ? undefined
        : renderFragment(res, 'research/agreement-figures', {
            agreement: figures.agreement,
            agreementIntro: req.t('research.agreement.introReview'),
            agreementAcross: undefined,
          }),
  };
}

/**
 * Where the municipality's report is, seen from a review's result page. The report shows each program's latest final
 * peer review, so from an earlier round the link says so, rather than hand over a report of another round unannounced.
 */
function describeReportLink(reviews: ReviewStore, review: Review, locale: Locale): ResultPageLocals['report'] {
  if (review.status !== 'final' || review.kind === 'self_assessment') return undefined;
  const rounds = listFinalPeerReviews(reviews, review.programId);
  const latest = rounds[0];
  if (!latest || !rounds.some((round) => round.id === review.id)) return undefined;
  return {
    href: `/municipalities/${review.municipalityCode}/report.pdf`,
    newerRound:
      latest.id === review.id
        ? undefined
        : { dateText: formatLongDate(findRoundDate(latest), locale), resultHref: `/reviews/${latest.id}/result` },
  };
}

export function createResultRouter({
  reviews,
  cache = createBoundedCache(RESULT_CACHE_ENTRIES),
}: {
  reviews: ReviewStore;
  cache?: ResultFiguresCache;
}): Router {
  const router = Router();

  /**
   * A review's result figures for the reader: after the access check, which runs every time. A final review does not
   * change until it is reopened, so its figures and their HTML are made once per finalisation and language. The key
   * names all the review's fields they show; a reopening (counted, as two finalisations could share a millisecond) or
   * a new finalisation gives a new key. What depends on the reader (links, the report's round) is not in them.
   */
  const loadResult = (req: Request, res: Response) => {
    const { review, viewer } = loadReviewContext(req, reviews, req.params.id);
    // A 404, not a 403: whether a review exists before it is final is not for everyone to know.
    if (!canViewResult(viewer, review.status)) throw new NotFoundError();
    const build = () => buildResultBody(reviews, review, req, res);
    const body =
      review.status === 'final'
        ? cache.getOrCompute(
            [
              review.id,
              review.finalisedAt,
              reviews.listReopenings(review.id).length,
              req.locale,
              review.programId,
              review.programName,
              review.municipalityCode,
              review.municipalityName,
              review.visitStart,
              review.visitEnd,
            ].join('\u0000'),
            build,
          )
        : build();
    return { review, viewer, body };
  };

  router.get('/reviews/:id/result', requireUser(), async (req, res) => {
    const { review, viewer, body } = loadResult(req, res);
    const { result, submittedRaters } = body;
    await renderPage<ResultPageLocals>(res, 'reviews/result', {
      title: req.t('reviews.result.title', { program: review.programName }),
      result,
      kindLabel: req.t(`reviews.kind.${result.kind}`),
      statusLabel: req.t(`reviews.status.${result.status}`),
      canViewOverview: canViewOverview(viewer),
      figuresHtml: body.figuresHtml,
      agreementHtml: body.agreementHtml,
      agreementNeedsTwo: review.status === 'final' && submittedRaters < 2,
      canExportMatrix: review.status === 'final' && hasAnyRole(req.user, ['researcher', 'coordinator']),
      report: describeReportLink(reviews, review, req.locale),
    });
  });

  // One section of the result: its indicators, rationales and findings (the whole result is about 30 screens long).
  router.get('/reviews/:id/result/:sectionId', requireUser(), async (req, res) => {
    const { review, body } = loadResult(req, res);
    const { result } = body;
    const index = result.sections.findIndex((section) => section.id === req.params.sectionId);
    const section = result.sections[index];
    const sectionHtml = section && body.sectionsHtml.get(section.id);
    if (!section || sectionHtml === undefined) throw new NotFoundError();
    const step = (other: (typeof result.sections)[number] | undefined) => other && { id: other.id, code: other.code, title: other.title };
    const heading = `${section.code} ${section.title}`;
    await renderPage<ResultSectionPageLocals>(res, 'reviews/result-section', {
      title: req.t('reviews.result.sectionTitle', { section: heading, program: review.programName }),
      heading,
      result,
      sectionHtml,
      previous: step(result.sections[index - 1]),
      next: step(result.sections[index + 1]),
    });
  });

  return router;
}
