// The score box: a program's overall figures, level and definition in a shaded box with a bar, never split.
import type { Block } from '../report-model-types.js';
import { CONTENT_WIDTH } from '../report-page.js';
import type { PageFlow } from './page-flow.js';
import { BLOCK_GAP, COLOR, FONT, LEFT, type Struct, type TextSpec } from './pdf-style.js';
import { drawArtifact } from './tagged-document.js';
import { type LaidText, type Typesetter, tagLines } from './text-layout.js';

type ScoreBlock = Extract<Block, { type: 'score' }>;

const PAD = 12;
const WIDTH = CONTENT_WIDTH - 2 * PAD - 6;
const BAR_HEIGHT = 8;
const SPECS = {
  label: { font: FONT.bold, size: 8.5, color: COLOR.muted },
  figures: { font: FONT.bold, size: 14, color: COLOR.text },
  level: { font: FONT.bold, size: 11, color: COLOR.brand },
  definition: { font: FONT.regular, size: 8.5, color: COLOR.text },
} satisfies Record<string, TextSpec>;

function layParts(set: Typesetter, block: ScoreBlock): LaidText[] {
  return [
    set.flow(block.label, SPECS.label, WIDTH),
    set.flow(block.figures, SPECS.figures, WIDTH),
    ...(block.level ? [set.flow(block.level, SPECS.level, WIDTH)] : []),
    ...(block.definition ? [set.flow(block.definition, SPECS.definition, WIDTH)] : []),
  ];
}

const heightOf = (parts: readonly LaidText[]) => PAD * 2 + parts.reduce((sum, part) => sum + part.height + 4, 0) + BAR_HEIGHT + 8;

/** The room a score box takes: it is never split. */
export function measureScoreBox(set: Typesetter, block: ScoreBlock): number {
  return heightOf(layParts(set, block));
}

export function addScoreBox(set: Typesetter, pages: PageFlow, parent: Struct, block: ScoreBlock): void {
  const { doc } = set;
  const parts = layParts(set, block);
  const total = heightOf(parts);
  pages.ensureSpace(total);
  const top = doc.y;
  const x = LEFT + PAD + 6;
  drawArtifact(doc, () => {
    doc.rect(LEFT, top, CONTENT_WIDTH, total).fill(COLOR.brandPale);
    doc.rect(LEFT, top, 4, total).fill(COLOR.brand);
  });
  const box = doc.struct('Div');
  parent.add(box);
  let y = top + PAD;
  parts.forEach((part, index) => {
    const at = y;
    box.add(tagLines(doc, 'P', part, { x, top: () => at, width: WIDTH, align: 'left', flow: false }));
    y = doc.y + 4;
    if (index === 1) {
      // The bar repeats the percent in the line above, so it is decoration.
      const barY = y + 1;
      drawArtifact(doc, () => {
        doc.rect(x, barY, WIDTH, BAR_HEIGHT).fill(COLOR.white);
        if (block.percent !== null) doc.rect(x, barY, (WIDTH * block.percent) / 100, BAR_HEIGHT).fill(COLOR.brand);
        doc.rect(x, barY, WIDTH, BAR_HEIGHT).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      });
      y = barY + BAR_HEIGHT + 7;
    }
  });
  box.end();
  doc.y = top + total + BLOCK_GAP;
}
