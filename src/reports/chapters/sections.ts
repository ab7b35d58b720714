// A program chapter's sections, one per rubric section: figures, indicators with consensus and spread, strengths and recommendations.
import type { IndicatorView, SectionView } from '../../reviews/result-view.js';
import { freeTexts, mixedParagraph, mixFreeText, p } from '../report-cells.js';
import type { Block, Paragraph } from '../report-model-types.js';
import { buildHeadedList, type Context, headingId } from './chapter-context.js';

function describeConsensus(indicator: IndicatorView, { t }: Context): Paragraph {
  const consensus = indicator.consensus;
  if (consensus.state === 'scored')
    return p(t('reports.chapter.scoreOfMax', { score: consensus.score, max: consensus.scaleMax }), 'strong');
  if (consensus.state === 'notApplicable') return p(t('reports.section.notApplicableScore'), 'muted');
  return p(t('reports.section.undecided'), 'muted');
}

/**
 * The raters' spread in the app's own words (src/reviews/spread-text.ts, as the consensus and result pages print it):
 * "2–4 (3 bedömare)", "3 (3 bedömare, alla gav samma poäng)", "3 (1 bedömare)", then how many said N/A.
 */
function describeSpreadCell(indicator: IndicatorView, { t }: Context): Paragraph[] {
  const { spread } = indicator;
  const lines: Paragraph[] = [p(spread.text, spread.raters > 0 ? 'body' : 'muted')];
  if (spread.notApplicable > 0) lines.push(p(t('reports.section.ratersNa', { count: spread.notApplicable }), 'small'));
  return lines;
}

export function buildSection(section: SectionView, ctx: Context, chapterId: string): Block[] {
  const { t } = ctx;
  const figures =
    section.mean !== undefined && section.scaleMin !== undefined && section.scaleMax !== undefined
      ? t('reports.section.figures', {
          mean: section.mean,
          min: section.scaleMin,
          max: section.scaleMax,
          percent: section.percent,
          rated: section.rated,
          total: section.total,
        })
      : t('reports.section.figuresNoMean', { percent: section.percent, rated: section.rated, total: section.total });
  const notes = [
    ...(section.notApplicable > 0 ? [t('reports.section.notApplicable', { count: section.notApplicable })] : []),
    ...(section.sufficient ? [] : [t('reports.section.insufficient')]),
  ];
  // The panel's rationales are free text within the report's words ("Rationale: …"), judged together when short.
  const written = freeTexts(
    section.indicators.map((indicator) => indicator.rationale),
    ctx.locale,
  );
  return [
    { type: 'heading', level: 2, text: `${section.code} ${section.title}`, id: headingId(chapterId, 'section', section.id), outline: true },
    { type: 'paragraph', paragraph: p(section.partTitle, 'muted') },
    { type: 'paragraph', paragraph: p(section.description) },
    { type: 'paragraph', paragraph: p(figures, 'strong') },
    ...(notes.length > 0 ? [{ type: 'paragraph' as const, paragraph: p(notes.join(' '), 'muted') }] : []),
    {
      type: 'table',
      caption: t('reports.section.indicatorsCaption', { code: section.code, title: section.title }),
      columns: [
        { header: t('reports.section.indicator'), share: 0.64, align: 'left' },
        { header: t('reports.section.consensus'), share: 0.14, align: 'left' },
        { header: t('reports.section.spread'), share: 0.22, align: 'left' },
      ],
      rows: section.indicators.map((indicator) => {
        const main: Paragraph[] = [p(`${section.code}.${indicator.number} ${indicator.text}`, 'strong')];
        if (indicator.consensus.state === 'scored' && indicator.consensus.anchor !== '') {
          main.push(p(t('reports.section.anchor', { score: indicator.consensus.score, anchor: indicator.consensus.anchor }), 'muted'));
        }
        const rationale = indicator.rationale.trim();
        if (rationale !== '') {
          main.push(
            mixedParagraph(mixFreeText((slot) => t('reports.section.rationale', { rationale: slot }), rationale, written(rationale).lang)),
          );
        }
        return [main, [describeConsensus(indicator, ctx)], describeSpreadCell(indicator, ctx)];
      }),
      rowHeaders: true,
      columnHeaders: true,
    },
    ...buildHeadedList(t('reports.section.strengths'), headingId(chapterId, 'section', section.id, 'strengths'), section.strengths, ctx),
    ...buildHeadedList(
      t('reports.section.recommendations'),
      headingId(chapterId, 'section', section.id, 'recommendations'),
      section.recommendations,
      ctx,
    ),
  ];
}
