// The report's XMP metadata (where PDF/UA checkers and document managers read the title) stays well-formed XML when a
// municipality's or program's name has characters XML reserves; the Info dictionary keeps the name as it is.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXmlText } from '../../src/reports/pdf/pdfkit-metadata.js';
import { binaryParser } from './pdf-text.js';
import { createReportScenario } from './report-fixtures.js';

const NAME = 'Bo & Bygg <Norr> "Väst"';

/** The XMP packet of a PDF: pdfkit writes it uncompressed. */
function xmpOf(pdf: Buffer): string {
  const match = /<x:xmpmeta[\s\S]*?<\/x:xmpmeta>/.exec(pdf.toString('utf8'));
  if (!match) throw new Error('no XMP packet in the PDF');
  return match[0];
}

/** Every & starts an entity and no < starts anything but a tag: enough to tell escaped text from raw text. */
function isWellFormedText(xml: string): boolean {
  return !/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(xml) && !/<(?![/?!A-Za-z])/.test(xml);
}

describe('XMP metadata of the municipality report', () => {
  it('when the municipality name has &, < and quotes, then the XMP title is escaped and the Info title is the name', async () => {
    const s = await createReportScenario({ municipalityName: NAME, programs: 1, reviewsPerProgram: 1 });
    const agent = await s.login(s.reader);
    const response = await agent.get(`/municipalities/${s.municipalityCode}/report.pdf?lang=sv`).buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const pdf = response.body as Buffer;
    const xmp = xmpOf(pdf);
    expect(isWellFormedText(xmp)).toBe(true);
    expect(xmp).toContain(escapeXmlText(NAME));
    expect(xmp).not.toContain(NAME);
    // poppler reads the Info dictionary: the title there is the name itself, not its escaped form.
    const file = join(tmpdir(), `hf-xmp-${process.pid}.pdf`);
    writeFileSync(file, pdf);
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info.status).toBe(0);
    expect(info.stdout).toContain(NAME);
    // A report's first render starts a PDF worker: on a loaded machine more than Vitest's 5 s default, as the other
    // report tests allow for.
  }, 60_000);

  it('when text is escaped for XML, then every reserved character becomes its entity and nothing else changes', () => {
    expect(escapeXmlText(`a & b < c > d " e ' f — å`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f — å');
  });
});
