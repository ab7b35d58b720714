// Where a report's pages break, read back from its tagged structure: each chapter's blocks (headings, paragraphs,
// lists, tables and their rows, figures) with the pages their content stands on.
import { readPdf, readStructTree, type StructNode } from '../helpers/pdf-structure.js';

type Placed = { readonly type: string; readonly first: number; readonly last: number };
type PlacedBlock = Placed & { readonly rows: readonly Placed[]; readonly headerRow: boolean };

const HEADING = /^H([1-6])$/;

function pagesOf(node: StructNode): number[] {
  return [...node.content.map((content) => content.page), ...node.objects.map((object) => object.page), ...node.children.flatMap(pagesOf)];
}

function place(node: StructNode): Placed {
  const pages = pagesOf(node);
  return { type: node.type, first: Math.min(...pages), last: Math.max(...pages) };
}

/** The blocks of every Sect in reading order, a figure's captions left out (they stand with it). */
function sectBlocks(pdf: Uint8Array): PlacedBlock[][] {
  const sects: PlacedBlock[][] = [];
  const walk = (node: StructNode) => {
    if (node.type !== 'Sect') {
      node.children.forEach(walk);
      return;
    }
    sects.push(
      node.children
        .filter((child) => child.type !== 'Caption' && pagesOf(child).length > 0)
        .map((child) => {
          const rows = child.type === 'Table' ? child.children.filter((row) => row.type === 'TR') : [];
          const [first] = rows;
          const headerRow = first !== undefined && first.children.length > 0 && first.children.every((cell) => cell.type === 'TH');
          return { ...place(child), rows: rows.map(place), headerRow };
        }),
    );
  };
  walk(readStructTree(readPdf(pdf)));
  return sects;
}

const levelOf = (block: Placed) => Number(HEADING.exec(block.type)?.[1] ?? 0);

/** More paragraphs than this after a heading are text of their own, not an intro (a label, a description, figures, notes). */
const INTRO_PARAGRAPHS = 4;

/**
 * Where a page ends badly, one line each with the page (from 1): a heading as the last block of a page; a heading
 * parted from what its intro introduces (a table, list, figure, score box or a heading below it) by a page break
 * between the heading and it, where the intro is up to INTRO_PARAGRAPHS paragraphs none of which breaks over a page
 * (longer text may break anywhere); a table's header row alone at the foot of a page.
 */
export function pageBreakFaults(pdf: Uint8Array): string[] {
  const faults: string[] = [];
  for (const blocks of sectBlocks(pdf)) {
    blocks.forEach((block, index) => {
      if (HEADING.test(block.type)) {
        const next = blocks[index + 1];
        if (next !== undefined && next.first > block.last) faults.push(`page ${block.last + 1}: ends with a heading (${block.type})`);
        let end = index + 1;
        while (blocks[end]?.type === 'P') end += 1;
        const intro = blocks.slice(index + 1, end);
        const introduced = blocks[end];
        if (
          intro.length > 0 &&
          intro.length <= INTRO_PARAGRAPHS &&
          intro.every((paragraph) => paragraph.first === paragraph.last) &&
          introduced !== undefined &&
          introduced.first > block.last &&
          (['Table', 'L', 'Figure', 'Div'].includes(introduced.type) || levelOf(introduced) > levelOf(block))
        ) {
          faults.push(
            `page ${block.last + 1}: a heading (${block.type}) and ${intro.length} paragraph(s) of its intro parted from the ${introduced.type} they introduce`,
          );
        }
      }
      const [header, second] = block.rows;
      if (block.headerRow && header !== undefined && second !== undefined && second.first > header.last) {
        faults.push(`page ${header.last + 1}: ends with a table's header row alone`);
      }
    });
  }
  return faults;
}
