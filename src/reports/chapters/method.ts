// The method chapter: how the review was done, the panel, the evidence base and sources, scoring, the rubric and
// the verification code.
import { formatLongDate, formatShare, formatThresholdPercent } from '../../i18n/format.js';
import type { Rubric } from '../../rubrics/rubric-schema.js';
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
    ),
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
