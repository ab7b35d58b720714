// The method chapter: how the review was done, the panel, the evidence base, limits, the raters' agreement, sources,
// scoring, the rubric and the verification code.
import {
  type AgreementView,
  buildAgreementView,
  computeReviewAgreement,
  countScoringRaters,
  createIndicatorNamer,
  createIndicatorScales,
  type FiguresView,
} from '../../agreement/agreement-view.js';
import { formatLevel, formatLongDate, formatShare, formatThresholdPercent, intlLocale } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locale.js';
import type { Translate } from '../../i18n/messages.js';
import { coreElementNumbers, partDecidesLevel, type Rubric } from '../../rubrics/rubric-schema.js';
import { cell, p } from '../report-cells.js';
import type { ReportData } from '../report-data.js';
import type { Block, Chapter } from '../report-model-types.js';
import type { Context } from './chapter-context.js';
import { buildEvidenceBaseBlocks } from './evidence-base.js';

/** Each program's panel (moved from page 1 to the method part). */
function buildPanelBlocks(data: ReportData, ctx: Context): Block[] {
  const { t } = ctx;
  const blocks: Block[] = [];
  blocks.push({ type: 'heading', level: 2, text: t('reports.cover.panelHeading'), id: 'method/panel', outline: true });
  data.programs.forEach(({ program, latest }) => {
    if (data.programs.length > 1)
      blocks.push({ type: 'paragraph', paragraph: p(t('reports.cover.panelOf', { program: program.name }), 'strong') });
    blocks.push({
      type: 'table',
      caption: t('reports.cover.panelCaption', { program: program.name }),
      columns: [
        { header: t('reports.cover.name'), share: 0.3, align: 'left' },
        { header: t('reports.cover.role'), share: 0.2, align: 'left' },
        { header: t('reports.cover.affiliation'), share: 0.5, align: 'left' },
      ],
      rows: latest.panel.map((member) => [cell(member.displayName), cell(t(`reviews.panelRole.${member.role}`)), cell(member.affiliation)]),
      rowHeaders: true,
      columnHeaders: true,
    });
  });
  return blocks;
}

export function buildMethod(data: ReportData, verification: { code: string; hash: string }, ctx: Context): Chapter {
  const { t, locale } = ctx;
  // One entry per distinct rubric content: programs usually share one.
  const rubrics = new Map<string, { rubric: Rubric; id: string; version: string; contentHash: string }>();
  for (const { latest } of data.programs) {
    const pinned = latest.review.rubric;
    if (!rubrics.has(pinned.contentHash)) {
      rubrics.set(pinned.contentHash, {
        rubric: pinned.rubric,
        id: pinned.rubricId,
        version: pinned.version,
        contentHash: pinned.contentHash,
      });
    }
  }
  const blocks: Block[] = [
    { type: 'heading', level: 1, text: t('reports.method.heading'), id: 'method', outline: true },
    { type: 'heading', level: 2, text: t('reports.method.howHeading'), id: 'method/how', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.howPeer')) },
    { type: 'paragraph', paragraph: p(t('reports.method.spreadText')) },
    { type: 'paragraph', paragraph: p(t('reports.method.findingsText')) },
    ...buildPanelBlocks(data, ctx),
    ...buildEvidenceBaseBlocks(
      data.programs.map(({ program, latest }) => ({
        program: program.name,
        evidence: latest.evidenceBase,
        check: latest.factualCheck,
        checkDate: latest.factualCheck ? formatLongDate(latest.factualCheck.sentAt, locale) : undefined,
      })),
      ctx,
      { draft: data.draft === true },
    ),
    // What the figures can and cannot carry: a board reads the level, so it should read its limits too.
    { type: 'heading', level: 2, text: t('reports.method.limitsHeading'), id: 'method/limits', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.limitsVisit')) },
    { type: 'paragraph', paragraph: p(t('reports.method.limitsConsensus')) },
    { type: 'paragraph', paragraph: p(t('reports.method.limitsInstrument')) },
    ...buildAgreementBlocks(data, ctx),
    { type: 'heading', level: 2, text: t('reports.method.evidenceHeading'), id: 'method/evidence', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.evidenceIntro')) },
  ];
  for (const { rubric } of rubrics.values()) {
    blocks.push({
      type: 'table',
      caption: t('reports.method.evidenceCaption', { rubric: rubric.title[locale] }),
      columns: [
        { header: t('reports.method.code'), share: 0.14, align: 'left' },
        { header: t('reports.method.source'), share: 0.86, align: 'left' },
      ],
      rows: rubric.evidence_sources.map((source) => [cell(source.code, 'strong'), cell(source.label[locale])]),
      rowHeaders: true,
      columnHeaders: true,
    });
  }
  blocks.push(
    { type: 'heading', level: 2, text: t('reports.method.scoringHeading'), id: 'method/scoring', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.scoringIndicator')) },
    { type: 'paragraph', paragraph: p(t('reports.method.scoringSection')) },
    { type: 'paragraph', paragraph: p(t('reports.method.scoringParts')) },
    { type: 'paragraph', paragraph: p(t('reports.method.chartsText')) },
  );
  for (const { rubric } of rubrics.values()) {
    if (rubric.min_rated_share > 0) {
      blocks.push({
        type: 'paragraph',
        paragraph: p(t('reports.method.minRatedShare', { share: formatShare(rubric.min_rated_share, locale) })),
      });
    }
    blocks.push({
      type: 'table',
      caption: t('reports.method.levelsCaption', { rubric: rubric.title[locale] }),
      columns: [
        { header: t('reports.method.level'), share: 0.26, align: 'left' },
        { header: t('reports.method.from'), share: 0.12, align: 'right' },
        { header: t('reports.method.definition'), share: 0.62, align: 'left' },
      ],
      rows: [...rubric.fidelity_levels]
        .sort((a, b) => b.min_percent - a.min_percent)
        .map((level) => [
          cell(level.label[locale], 'strong'),
          cell(formatThresholdPercent(level.min_percent, locale)),
          cell(level.definition[locale]),
        ]),
      rowHeaders: true,
      columnHeaders: true,
    });
    blocks.push(...buildLevelRuleBlocks(rubric, t, locale));
  }
  blocks.push(
    { type: 'heading', level: 2, text: t('reports.method.rubricHeading'), id: 'method/rubric', outline: true },
    {
      type: 'table',
      caption: t('reports.method.rubricCaption'),
      columns: [
        { header: t('reports.method.rubricName'), share: 0.3, align: 'left' },
        { header: t('reports.method.rubricId'), share: 0.15, align: 'left' },
        { header: t('reports.method.version'), share: 0.1, align: 'left' },
        { header: t('reports.method.contentHash'), share: 0.45, align: 'left' },
      ],
      rows: [...rubrics.values()].map((entry) => [
        cell(entry.rubric.title[locale], 'strong'),
        cell(entry.id),
        cell(entry.version),
        cell(entry.contentHash, 'small'),
      ]),
      rowHeaders: true,
      columnHeaders: true,
    },
    { type: 'heading', level: 2, text: t('reports.method.verificationHeading'), id: 'method/verification', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.verificationText', { code: verification.code })) },
    { type: 'paragraph', paragraph: p(t('reports.method.fullHash', { hash: verification.hash }), 'small') },
    { type: 'paragraph', paragraph: p(t('reports.method.generatedBy'), 'muted') },
  );
  return { id: 'method', runningTitle: t('reports.method.heading'), blocks };
}

/**
 * How far each program's raters agreed before the consensus: computed from the review's submitted individual ratings
 * exactly as its result page computes them (computeReviewAgreement, buildAgreementView), so the report and the page
 * give the same figures and the same alpha band. Figures over the panel only, never who gave what.
 */
function buildAgreementBlocks(data: ReportData, ctx: Context): Block[] {
  const { t, locale } = ctx;
  const blocks: Block[] = [
    { type: 'heading', level: 2, text: t('research.agreement.heading'), id: 'method/agreement', outline: true },
    { type: 'paragraph', paragraph: p(t('reports.method.agreementIntro')) },
  ];
  let pageShowsMore = false;
  for (const { program, latest } of data.programs) {
    const raters = countScoringRaters(latest.submittedRatings);
    let text: string;
    if (raters < 2) {
      text = t('reports.method.agreementNeedsTwo', { raters });
    } else {
      const rubric = latest.review.rubric.rubric;
      const view = buildAgreementView(
        computeReviewAgreement(latest.submittedRatings, createIndicatorScales(rubric)),
        createIndicatorNamer(rubric, locale),
        locale,
      );
      pageShowsMore ||= view.hasItems;
      text = describeAgreement(view, ctx);
    }
    blocks.push({
      type: 'paragraph',
      paragraph: p(data.programs.length > 1 ? t('reports.method.agreementOf', { program: program.name, text }) : text),
    });
  }
  // The result page also lists the indicators the raters disagreed on most; a draft's review has no such page yet.
  if (pageShowsMore && !data.draft) blocks.push({ type: 'paragraph', paragraph: p(t('reports.method.agreementMore')) });
  return blocks;
}

/** One program's agreement in sentences: the counts, then the pairs and alpha, per scale when the indicators use several. */
function describeAgreement(view: AgreementView, { t, locale }: Context): string {
  const counts = view.units === 1 ? 'reports.method.agreementCountsOne' : 'reports.method.agreementCounts';
  const sentences = [t(counts, { raters: view.raters, indicators: view.units })];
  if (view.pairs === 0) return [...sentences, t('reports.method.agreementNoPairs')].join(' ');
  if (!view.mixedScales) return [...sentences, ...describeFigures(view, t, locale)].join(' ');
  sentences.push(t('research.agreementScales.note', { scales: view.scales }));
  for (const group of view.scaleGroups) {
    if (group.pairs === 0) continue;
    sentences.push(
      group.scale === '' ? t('reports.method.agreementScaleUnknown') : t('reports.method.agreementScale', { scale: group.scale }),
      ...describeFigures(group, t, locale),
    );
  }
  return sentences.join(' ');
}

/** The pairs and alpha of a set of indicators with pairs; alpha is missing only when the scores do not vary at all. */
function describeFigures(figures: FiguresView, t: Translate, locale: Locale): string[] {
  const pairs = t(figures.pairs === 1 ? 'reports.method.agreementPairsOne' : 'reports.method.agreementPairs', {
    pairs: figures.pairs,
    exact: figures.percentExact,
    within1: figures.percentWithin1,
  });
  const ordinal = figures.alpha.find((figure) => figure.id === 'ordinal');
  if (ordinal?.band === undefined) return [pairs, t('reports.method.agreementAlphaNoVariation')];
  return [
    pairs,
    t('reports.method.agreementAlpha', { alpha: ordinal.value, band: ordinal.interpretation.toLocaleLowerCase(intlLocale(locale)) }),
  ];
}

/**
 * What decides the level besides the band: the parts that decide it (the others are reported beside it), the core
 * elements, and each cap as a rule. Without this, a reader of the appendix would take the level for the band alone.
 */
function buildLevelRuleBlocks(rubric: Rubric, t: Translate, locale: Locale): Block[] {
  const blocks: Block[] = [];
  const beside = rubric.parts.filter((part) => !partDecidesLevel(part));
  if (beside.length > 0) {
    blocks.push({
      type: 'paragraph',
      paragraph: p(
        t('reports.method.decidingParts', {
          parts: rubric.parts
            .filter(partDecidesLevel)
            .map((part) => part.title[locale])
            .join(', '),
          beside: beside.map((part) => part.title[locale]).join(', '),
        }),
      ),
    });
  }
  const core = coreElementNumbers(rubric);
  const caps = rubric.caps ?? [];
  if (core.length === 0 || caps.length === 0) return blocks;
  blocks.push(
    { type: 'paragraph', paragraph: p(t('reports.method.coreElements', { numbers: core.join(', ') })) },
    {
      type: 'list',
      items: caps.map((cap) => {
        const level = formatLevel(
          rubric.fidelity_levels.find((candidate) => candidate.id === cap.max_level),
          locale,
        );
        const when = cap.when;
        const condition =
          when === 'critical_at_min'
            ? t('reports.method.capAtMin')
            : when.critical_at_or_below === 'min'
              ? t('reports.method.capAtMinCount', { count: when.min_count ?? 1 })
              : t('reports.method.capAtOrBelow', { count: when.min_count ?? 1, score: when.critical_at_or_below });
        return t('reports.method.capRule', { condition, level, reason: cap.reason[locale] });
      }),
    },
  );
  return blocks;
}
