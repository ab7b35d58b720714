// Where the next block goes: the current page, a new page, and a new page when too little room is left.
import { BOTTOM, type Doc, LEFT, TOP } from './pdf-style.js';

export type PageFlow = {
  /** The index of the page being written. */
  currentPage(): number;
  newPage(): void;
  /** Starts a new page unless `height` fits below the current position (or the page is still empty). */
  ensureSpace(height: number): void;
  /**
   * Starts a new page unless what comes next `fits` the room left below the current position (or the page is still
   * empty): for a start that is not one height, such as a table that would rather move whole than split thinly.
   */
  ensureRoom(fits: (room: number) => boolean): void;
};

export function createPageFlow(doc: Doc): PageFlow {
  const newPage = () => {
    doc.addPage();
    doc.x = LEFT;
    doc.y = TOP;
  };
  return {
    currentPage: () => doc.bufferedPageRange().count - 1,
    newPage,
    ensureSpace: (height) => {
      if (doc.y + height > BOTTOM && doc.y > TOP + 1) newPage();
    },
    ensureRoom: (fits) => {
      if (doc.y > TOP + 1 && !fits(BOTTOM - doc.y)) newPage();
    },
  };
}
