// A small, test-only reader of the PDFs pdfkit writes, enough to check PDF/UA's structural rules without a
// validator: the objects (streams inflated with node:zlib), the catalog, the pages in order, the structure tree,
// and the operators of each page's content stream with the marked-content sequences they sit in.
// It reads files the way pdfkit lays them out (objects one after another, a classic xref table, no object
// streams); it is no general PDF parser.
import { inflateSync } from 'node:zlib';

export class PdfName {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}
export class PdfRef {
  readonly num: number;
  readonly gen: number;
  constructor(num: number, gen: number) {
    this.num = num;
    this.gen = gen;
  }
}
export class PdfString {
  readonly bytes: Buffer;
  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }
  /** The text: UTF-16BE when it starts with the byte order mark, else PDFDocEncoding (read as Latin-1). */
  get text(): string {
    if (this.bytes[0] === 0xfe && this.bytes[1] === 0xff) {
      const swapped = Buffer.from(this.bytes.subarray(2));
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    return this.bytes.toString('latin1');
  }
}
export type PdfDict = Map<string, PdfValue>;
export type PdfValue = null | boolean | number | PdfName | PdfRef | PdfString | PdfValue[] | PdfDict | PdfOperator;
/** An operator of a content stream (only there). */
export class PdfOperator {
  readonly op: string;
  constructor(op: string) {
    this.op = op;
  }
}

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([...'()<>[]{}/%'].map((char) => char.charCodeAt(0)));

/** Reads PDF objects (and content-stream operators) from `data`, starting at `pos`. */
class Lexer {
  readonly data: Buffer;
  pos: number;
  constructor(data: Buffer, pos = 0) {
    this.data = data;
    this.pos = pos;
  }

  private skipSpace(): void {
    while (this.pos < this.data.length) {
      const byte = this.data[this.pos] ?? 0;
      if (WHITE.has(byte)) this.pos += 1;
      else if (byte === 0x25) {
        while (this.pos < this.data.length && this.data[this.pos] !== 0x0a && this.data[this.pos] !== 0x0d) this.pos += 1;
      } else break;
    }
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.data.length;
  }

  private regular(): string {
    const start = this.pos;
    while (this.pos < this.data.length) {
      const byte = this.data[this.pos] ?? 0;
      if (WHITE.has(byte) || DELIMITERS.has(byte)) break;
      this.pos += 1;
    }
    return this.data.toString('latin1', start, this.pos);
  }

  private literalString(): PdfString {
    // At the opening parenthesis.
    this.pos += 1;
    const out: number[] = [];
    let depth = 1;
    const escapes: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, f: 0x0c };
    while (this.pos < this.data.length) {
      const byte = this.data[this.pos++] ?? 0;
      if (byte === 0x5c) {
        const next = this.data[this.pos++] ?? 0;
        const char = String.fromCharCode(next);
        if (char in escapes) out.push(escapes[char] ?? 0);
        else if (next >= 0x30 && next <= 0x37) {
          let octal = char;
          while (octal.length < 3 && (this.data[this.pos] ?? 0) >= 0x30 && (this.data[this.pos] ?? 0) <= 0x37)
            octal += String.fromCharCode(this.data[this.pos++] ?? 0);
          out.push(Number.parseInt(octal, 8) & 0xff);
        } else if (next === 0x0d || next === 0x0a) {
          if (next === 0x0d && this.data[this.pos] === 0x0a) this.pos += 1;
        } else out.push(next);
        continue;
      }
      if (byte === 0x28) depth += 1;
      if (byte === 0x29) {
        depth -= 1;
        if (depth === 0) break;
      }
      out.push(byte);
    }
    return new PdfString(Buffer.from(out));
  }

  private hexString(): PdfString {
    this.pos += 1;
    const end = this.data.indexOf(0x3e, this.pos);
    const hex = this.data.toString('latin1', this.pos, end).replace(/\s+/g, '');
    this.pos = end + 1;
    return new PdfString(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'));
  }

  /** The next value; in a content stream, an operator comes back as a PdfOperator. */
  next(): PdfValue | undefined {
    this.skipSpace();
    if (this.pos >= this.data.length) return undefined;
    const byte = this.data[this.pos] ?? 0;
    const char = String.fromCharCode(byte);
    if (char === '/') {
      this.pos += 1;
      return new PdfName(this.regular().replace(/#([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))));
    }
    if (char === '(') return this.literalString();
    if (char === '<') {
      if (this.data[this.pos + 1] === 0x3c) {
        this.pos += 2;
        const dict: PdfDict = new Map();
        for (;;) {
          this.skipSpace();
          if (this.data[this.pos] === 0x3e && this.data[this.pos + 1] === 0x3e) {
            this.pos += 2;
            return dict;
          }
          const key = this.next();
          if (!(key instanceof PdfName)) throw new Error(`a dictionary key is not a name at ${this.pos}`);
          dict.set(key.name, this.next() ?? null);
        }
      }
      return this.hexString();
    }
    if (char === '[') {
      this.pos += 1;
      const array: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.data[this.pos] === 0x5d) {
          this.pos += 1;
          return array;
        }
        const value = this.next();
        if (value === undefined) throw new Error('an array runs off the end');
        array.push(value);
      }
    }
    if (char === ']' || char === ')' || char === '>' || char === '{' || char === '}') {
      this.pos += 1;
      return new PdfOperator(char);
    }
    const word = this.regular();
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      // An indirect reference: "num gen R".
      const save = this.pos;
      const gen = /^\d+$/.test(word) ? this.peekWord() : undefined;
      if (gen !== undefined && /^\d+$/.test(gen)) {
        const afterGen = this.pos;
        this.skipSpace();
        const r = this.regular();
        if (r === 'R') return new PdfRef(Number(word), Number(gen));
        this.pos = afterGen;
      }
      this.pos = save;
      return Number(word);
    }
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return new PdfOperator(word);
  }

  private peekWord(): string | undefined {
    this.skipSpace();
    return this.regular();
  }
}

export type PdfObjectEntry = { readonly value: PdfValue; readonly stream: Buffer | undefined };

export type PdfFile = {
  readonly objects: ReadonlyMap<number, PdfObjectEntry>;
  readonly trailer: PdfDict;
  readonly catalog: PdfDict;
  /** The page dictionaries in page order, with their object numbers. */
  readonly pages: readonly { readonly num: number; readonly dict: PdfDict }[];
  resolve(value: PdfValue | undefined): PdfValue | undefined;
  dict(value: PdfValue | undefined): PdfDict | undefined;
  /** A stream's bytes, inflated when it is Flate-encoded. */
  stream(value: PdfValue | undefined): Buffer | undefined;
  /** The 0-based page a reference to a page dictionary points at, or -1. */
  pageIndex(value: PdfValue | undefined): number;
};

function decodeStream(dict: PdfDict, raw: Buffer): Buffer {
  const filter = dict.get('Filter');
  const name = filter instanceof PdfName ? filter.name : Array.isArray(filter) && filter[0] instanceof PdfName ? filter[0].name : undefined;
  if (name === undefined) return raw;
  if (name === 'FlateDecode') return inflateSync(raw);
  throw new Error(`unsupported stream filter ${name}`);
}

/** Reads every object of a pdfkit PDF, in file order. */
export function readPdf(bytes: Uint8Array): PdfFile {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = new Map<number, { value: PdfValue; stream: Buffer | undefined }>();
  let pos = data.indexOf('\n') + 1;
  const xref = data.lastIndexOf('\nxref');
  while (pos < xref) {
    while (pos < xref && WHITE.has(data[pos] ?? 0)) pos += 1;
    // Lines of comments (the binary marker after the header).
    if (data[pos] === 0x25) {
      pos = data.indexOf(0x0a, pos) + 1;
      continue;
    }
    const text = data.toString('latin1', pos, Math.min(pos + 32, data.length));
    const match = /^(\d+) (\d+) obj\b/.exec(text);
    if (!match) break;
    const lexer = new Lexer(data, pos + match[0].length);
    const value = lexer.next() ?? null;
    const after = new Lexer(data, lexer.pos);
    const keyword = after.next();
    let stream: Buffer | undefined;
    if (keyword instanceof PdfOperator && keyword.op === 'stream') {
      let start = after.pos;
      if (data[start] === 0x0d) start += 1;
      if (data[start] === 0x0a) start += 1;
      const dict = value instanceof Map ? value : new Map();
      const length = dict.get('Length');
      if (typeof length !== 'number') throw new Error(`object ${match[1]}: a stream without a direct /Length`);
      stream = data.subarray(start, start + length);
      pos = data.indexOf('endobj', start + length) + 'endobj'.length;
    } else {
      pos = data.indexOf('endobj', lexer.pos) + 'endobj'.length;
    }
    raw.set(Number(match[1]), { value, stream });
  }
  const trailerAt = data.lastIndexOf('trailer');
  const trailer = new Lexer(data, trailerAt + 'trailer'.length).next();
  if (!(trailer instanceof Map)) throw new Error('no trailer dictionary');
  const objects = new Map<number, PdfObjectEntry>();
  for (const [num, entry] of raw) objects.set(num, { value: entry.value, stream: entry.stream });

  const resolve = (value: PdfValue | undefined): PdfValue | undefined => (value instanceof PdfRef ? objects.get(value.num)?.value : value);
  const dict = (value: PdfValue | undefined): PdfDict | undefined => {
    const resolved = resolve(value);
    return resolved instanceof Map ? resolved : undefined;
  };
  const catalog = dict(trailer.get('Root'));
  if (!catalog) throw new Error('no catalog');
  const pages: { num: number; dict: PdfDict }[] = [];
  const walkPages = (node: PdfValue | undefined) => {
    const nodeDict = dict(node);
    if (!nodeDict) return;
    const type = nodeDict.get('Type');
    if (type instanceof PdfName && type.name === 'Page' && node instanceof PdfRef) pages.push({ num: node.num, dict: nodeDict });
    const kids = resolve(nodeDict.get('Kids'));
    if (Array.isArray(kids)) for (const kid of kids) walkPages(kid);
  };
  walkPages(catalog.get('Pages'));
  return {
    objects,
    trailer,
    catalog,
    pages,
    resolve,
    dict,
    stream: (value) => {
      if (!(value instanceof PdfRef)) return undefined;
      const entry = objects.get(value.num);
      if (!entry?.stream || !(entry.value instanceof Map)) return undefined;
      return decodeStream(entry.value, entry.stream);
    },
    pageIndex: (value) => (value instanceof PdfRef ? pages.findIndex((page) => page.num === value.num) : -1),
  };
}

/** A name's text, or undefined. */
export function nameOf(value: PdfValue | undefined): string | undefined {
  return value instanceof PdfName ? value.name : undefined;
}

/** A string's text, or undefined. */
export function textOf(value: PdfValue | undefined): string | undefined {
  return value instanceof PdfString ? value.text : undefined;
}

// ---- Content streams ----

/** Operators that show text. */
const TEXT_OPERATORS = new Set(['Tj', 'TJ', "'", '"']);
/** Operators that paint: path painting (n only ends a path), shadings and XObjects. */
const PAINT_OPERATORS = new Set(['f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'S', 's', 'sh', 'Do']);

export type MarkedOperator = {
  readonly op: string;
  /** The marked-content sequences around it, outermost first: their tags and MCIDs. */
  readonly marks: readonly { readonly tag: string; readonly mcid: number | undefined }[];
};

export type ContentReport = {
  /** Text and painting operators, each with the marked-content sequences it is in. */
  readonly drawn: readonly MarkedOperator[];
  /** Every MCID opened on the page, in order. */
  readonly mcids: readonly number[];
  /** An MCID opened inside another marked-content sequence, or an EMC without a BMC/BDC: each is a fault. */
  readonly faults: readonly string[];
};

/** Walks a content stream's operators, keeping the stack of marked-content sequences. */
export function readContent(content: Buffer): ContentReport {
  const lexer = new Lexer(content);
  const drawn: MarkedOperator[] = [];
  const mcids: number[] = [];
  const faults: string[] = [];
  const stack: { tag: string; mcid: number | undefined }[] = [];
  let operands: PdfValue[] = [];
  for (let value = lexer.next(); value !== undefined; value = lexer.next()) {
    if (!(value instanceof PdfOperator)) {
      operands.push(value);
      continue;
    }
    const { op } = value;
    if (op === 'BMC' || op === 'BDC') {
      const tag = nameOf(operands[0]) ?? '?';
      const properties = operands[1];
      const mcid = properties instanceof Map && typeof properties.get('MCID') === 'number' ? (properties.get('MCID') as number) : undefined;
      if (mcid !== undefined) {
        if (stack.length > 0) faults.push(`MCID ${mcid} (${tag}) opened inside ${stack.map((mark) => mark.tag).join(' > ')}`);
        mcids.push(mcid);
      }
      stack.push({ tag, mcid });
    } else if (op === 'EMC') {
      if (stack.length === 0) faults.push('EMC without an open marked-content sequence');
      stack.pop();
    } else if (TEXT_OPERATORS.has(op) || PAINT_OPERATORS.has(op)) {
      drawn.push({ op, marks: [...stack] });
    }
    operands = [];
  }
  if (stack.length > 0) faults.push(`${stack.length} marked-content sequence(s) left open at the end of the page`);
  return { drawn, mcids, faults };
}

/** The page's content streams, decoded and joined. */
export function pageContent(pdf: PdfFile, page: PdfDict): Buffer {
  const contents = page.get('Contents');
  const list = Array.isArray(contents) ? contents : [contents];
  return Buffer.concat(list.map((ref) => pdf.stream(ref ?? undefined) ?? Buffer.alloc(0)).flatMap((chunk) => [chunk, Buffer.from('\n')]));
}

// ---- Structure tree ----

export type StructNode = {
  readonly type: string;
  readonly dict: PdfDict;
  readonly children: readonly StructNode[];
  /** Marked content this element owns directly: page index and MCID. */
  readonly content: readonly { readonly page: number; readonly mcid: number }[];
  /** Objects this element owns directly (OBJR): their dictionaries, pages and object numbers. */
  readonly objects: readonly { readonly page: number; readonly num: number; readonly dict: PdfDict }[];
};

/** The structure tree under the catalog's StructTreeRoot, as nodes in reading order. */
export function readStructTree(pdf: PdfFile): StructNode {
  const root = pdf.dict(pdf.catalog.get('StructTreeRoot'));
  if (!root) throw new Error('no StructTreeRoot');
  const seen = new Set<number>();
  const build = (dict: PdfDict, type: string): StructNode => {
    const children: StructNode[] = [];
    const content: { page: number; mcid: number }[] = [];
    const objects: { page: number; num: number; dict: PdfDict }[] = [];
    const ownPage = pdf.pageIndex(dict.get('Pg'));
    const kids = pdf.resolve(dict.get('K'));
    const list = Array.isArray(kids) ? kids : kids === undefined || kids === null ? [] : [kids];
    for (const kid of list) {
      if (typeof kid === 'number') {
        content.push({ page: ownPage, mcid: kid });
        continue;
      }
      if (kid instanceof PdfRef && seen.has(kid.num)) throw new Error(`structure element ${kid.num} appears twice`);
      if (kid instanceof PdfRef) seen.add(kid.num);
      const kidDict = pdf.dict(kid);
      if (!kidDict) continue;
      const kidType = nameOf(kidDict.get('Type'));
      if (kidType === 'MCR') {
        const mcid = kidDict.get('MCID');
        const page = kidDict.has('Pg') ? pdf.pageIndex(kidDict.get('Pg')) : ownPage;
        if (typeof mcid === 'number') content.push({ page, mcid });
      } else if (kidType === 'OBJR') {
        const obj = kidDict.get('Obj');
        const objDict = pdf.dict(obj);
        const page = kidDict.has('Pg') ? pdf.pageIndex(kidDict.get('Pg')) : ownPage;
        if (objDict && obj instanceof PdfRef) objects.push({ page, num: obj.num, dict: objDict });
      } else {
        children.push(build(kidDict, nameOf(kidDict.get('S')) ?? '?'));
      }
    }
    return { type, dict, children, content, objects };
  };
  return build(root, 'StructTreeRoot');
}

/** Every node of the tree, depth first in reading order (the root first). */
export function flattenStruct(node: StructNode): StructNode[] {
  return [node, ...node.children.flatMap(flattenStruct)];
}

/** The attribute dictionaries of a structure element (/A is a dictionary or an array of them). */
export function attributesOf(pdf: PdfFile, node: StructNode): PdfDict[] {
  const value = pdf.resolve(node.dict.get('A'));
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((entry) => pdf.dict(entry)).filter((entry): entry is PdfDict => entry !== undefined);
}

/** The parent tree's number tree, flattened: key → value. */
export function readParentTree(pdf: PdfFile): Map<number, PdfValue> {
  const root = pdf.dict(pdf.catalog.get('StructTreeRoot'));
  const out = new Map<number, PdfValue>();
  const walk = (node: PdfDict | undefined) => {
    if (!node) return;
    const nums = pdf.resolve(node.get('Nums'));
    if (Array.isArray(nums)) for (let i = 0; i + 1 < nums.length; i += 2) out.set(nums[i] as number, nums[i + 1] ?? null);
    const kids = pdf.resolve(node.get('Kids'));
    if (Array.isArray(kids)) for (const kid of kids) walk(pdf.dict(kid));
  };
  walk(pdf.dict(root?.get('ParentTree')));
  return out;
}
