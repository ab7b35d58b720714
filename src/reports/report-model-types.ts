// The shape of a report model: plain data the chapters build and the PDF renderer lays out. Apart from
// report-model.ts so that chapter builders and capabilities' report parts import no builder.
import type { Locale } from '../i18n/locale.js';
import type { Chart } from './report-charts.js';

export type TextStyle = 'body' | 'strong' | 'muted' | 'small';
/** A part of a text with its own language where that is not the text's (free text within the report's words). */
export type Run = { readonly text: string; readonly lang?: Locale | undefined };
/** A text of the report's words around free text in another language: `runs` join to `text` (see mixFreeText). */
export type MixedText = { readonly text: string; readonly runs: readonly Run[] };

/**
 * What a line of page 1 gives the page of: the headings and table rows (by id) where the texts it speaks of stand
 * whole. Its text holds {pages}, where the renderer puts `one` with the page for {page} when they all landed on one
 * page ("sida 7"), else `range` with the first and last for {from} and {to} ("sidorna 22–23").
 */
export type PageOf = { readonly targets: readonly string[]; readonly one: string; readonly range: string };

/**
 * `lang`: the text's own language where it is not the report's (free text written in the other language). `runs`:
 * where only a part of it is free text in another language, the parts with their languages. `pageOf`: only page 1's
 * paragraphs, at full width or in a table's cell, carry one; page 1 is laid out before the chapters, so the renderer
 * reserves such a paragraph and writes it once they are (pdf/page-references.ts).
 */
export type Paragraph = {
  readonly text: string;
  readonly style: TextStyle;
  readonly lang?: Locale | undefined;
  readonly runs?: readonly Run[] | undefined;
  readonly pageOf?: PageOf | undefined;
};

export type TableColumn = {
  readonly header: string;
  /** Share of the content width; a table's shares add up to 1. */
  readonly share: number;
  readonly align: 'left' | 'right';
  /**
   * True where the column's lines break between words only, as a list's labels do ("Sedan förra / granskningen", never
   * "gransk-ningen"): a narrow column otherwise fills a line with the head of a long word. A word wider than the
   * column still breaks.
   */
  readonly wholeWords?: boolean | undefined;
};

/** A cell holds one or more paragraphs (an indicator's text, its level and the rationale). */
export type TableCell = readonly Paragraph[];

export type HeadingBlock = {
  readonly type: 'heading';
  readonly level: 1 | 2 | 3;
  readonly text: string;
  /** Unique in the report; the contents page points at it. */
  readonly id: string;
  /** Levels 1 and 2 get a bookmark and a line in the contents. */
  readonly outline: boolean;
};

export type TableBlock = {
  readonly type: 'table';
  /** Not printed: the table's title for assistive technology, and for tests. */
  readonly caption: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly TableCell[])[];
  /** The first cell of each row heads the row. */
  readonly rowHeaders: boolean;
  /** False for a two-column list of facts, whose columns need no headings. */
  readonly columnHeaders: boolean;
  /** Each row's id, where page 1 gives the page a row lands on (PageOf's targets); none where it never does. */
  readonly rowIds?: readonly string[] | undefined;
};

export type Block =
  | HeadingBlock
  | { readonly type: 'paragraph'; readonly paragraph: Paragraph }
  /** `lang`: the language of every item, when they are all free text in another language than the report's. */
  | { readonly type: 'list'; readonly items: readonly (string | MixedText)[]; readonly lang?: Locale | undefined }
  | TableBlock
  | {
      readonly type: 'score';
      readonly label: string;
      readonly figures: string;
      readonly level: string | undefined;
      readonly definition: string | undefined;
      /** 0–100 for the bar, or null. */
      readonly percent: number | null;
    }
  | { readonly type: 'figure'; readonly chart: Chart; readonly caption: string; readonly note: string | undefined; readonly alt: string };

export type Chapter = {
  readonly id: string;
  /** Shown in the running header of the chapter's pages. */
  readonly runningTitle: string;
  readonly blocks: readonly Block[];
};

export type ContentsEntry = { readonly level: 1 | 2; readonly text: string; readonly target: string };

export type ReportModel = {
  readonly locale: Locale;
  readonly meta: {
    readonly title: string;
    readonly subject: string;
    readonly keywords: string;
    readonly author: string;
    /** ISO timestamp: when the latest review in the report was finalised. The PDF's creation date. */
    readonly creationDate: string;
  };
  readonly verification: { readonly code: string; readonly hash: string };
  readonly runningHeader: string;
  readonly footerCode: string;
  /** With {page} and {pages} left for the renderer, which alone knows the page count. */
  readonly footerPage: string;
  readonly cover: { readonly kicker: string; readonly title: string; readonly subtitle: string; readonly blocks: readonly Block[] };
  readonly contents: { readonly heading: string; readonly entries: readonly ContentsEntry[] };
  /** Each starts on a new page, except that the first may follow the contents on their last page. */
  readonly chapters: readonly Chapter[];
};
