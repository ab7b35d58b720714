// The Swedish wording keeps to the terminology table below: every Swedish message value and every Swedish
// text of the shipped rubric is checked against the terms to avoid, so the wording cannot drift back.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRubricFile } from '../../src/rubrics/load-rubrics.js';
import { SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';

type AvoidedTerm = {
  readonly pattern: RegExp;
  readonly use: string;
  readonly why: string;
  /** Paths of texts where the word means something else and stays (a computer program, not the unit). */
  readonly allowedAt?: ReadonlySet<string>;
};

// A letter before or after a match makes it part of another word ("förändringsberedskap" is a real term).
const AVOIDED: readonly AvoidedTerm[] = [
  { pattern: /HF-trohet/iu, use: 'Bostad först – modelltrohet', why: '"trohet" alone reads as marital faithfulness' },
  { pattern: /(?<!\p{L})trohet/iu, use: 'modelltrohet; nivå av modelltrohet', why: '"trohet" alone reads as marital faithfulness' },
  { pattern: /modelltrogen/iu, use: 'modelltrohet (Hög / Godtagbar / Delvis / Låg modelltrohet)', why: 'one noun form for every level' },
  { pattern: /besittningsrätt/iu, use: 'besittningsskydd', why: 'besittningsrätt is another legal concept' },
  { pattern: /(?<!\p{L})intag/iu, use: 'kriterier för att beviljas insatsen; biståndsbeslut', why: 'social-services language' },
  { pattern: /boenderedo/iu, use: 'redo för eget boende', why: 'social-services language' },
  { pattern: /journalgranskning/iu, use: 'aktgranskning (personakter)', why: 'social-services language' },
  {
    pattern: /projektets förslag/iu,
    use: 'gränsen är satt av granskningsnätverket och är inte validerad',
    why: '"projektet" reads as Bostad först itself',
  },
  { pattern: /individnivå/iu, use: 'Hinder hos medarbetarna', why: 'individnivå means the clients in social services' },
  { pattern: /hinder i systemet/iu, use: 'Strukturella hinder', why: 'one word per concept' },
  { pattern: /koordinator/iu, use: 'samordnare', why: 'one word per concept' },
  { pattern: /granskningsgrupp/iu, use: 'granskningspanel', why: 'one word per concept' },
  { pattern: /beredskapslist|beredskap inför/iu, use: 'Checklista inför granskningen', why: 'beredskap suggests emergency preparedness' },
  {
    pattern: /programmets person|personer? i programmet|programmet som helhet|hela programmet/iu,
    use: 'verksamhetens medarbetare',
    why: 'Swedish speaks of the unit as verksamhet',
  },
  {
    // Any word that starts with "program" (programmet, Bostad först-program, programansvarig), but no {program} placeholder.
    pattern: /(?<![\p{L}{])program/iu,
    use: 'verksamhet, verksamheten, verksamhetens, Bostad först-verksamheter, verksamhetsansvarig',
    why: 'Swedish speaks of the unit as verksamhet',
    allowedAt: new Set(['errors.storageBusyText', 'research.export.excelHint']),
  },
  { pattern: /housing first-princip/iu, use: 'Bostad först-principerna', why: 'one word per concept' },
  { pattern: /stödöverenskommelse/iu, use: 'överenskommelsens sex områden', why: 'one word per concept' },
  {
    pattern: /medförfattare|(?<!\p{L})kopia(?!\p{L})/iu,
    use: 'formulerar planen tillsammans med case managern; eget exemplar',
    why: 'social-services language',
  },
  { pattern: /akten avslutas|skrivs ut ur programmet/iu, use: 'ärendet avslutas, insatsen avslutas', why: 'social-services language' },
  {
    pattern: /kvar i programmet|lämnat programmet|programmets start/iu,
    use: 'kvar i insatsen; avbrutit insatsen; verksamhetens start',
    why: 'the support a participant has is an insats, the unit a verksamhet',
  },
  { pattern: /avlönade roller/iu, use: 'anställda erfarenhetsexperter', why: 'social-services language' },
  {
    pattern: /arbetsförmedlande verksamhet/iu,
    use: 'IPS, Arbetsförmedlingen eller arbetsmarknadsenheten',
    why: 'social-services language',
  },
  { pattern: /stödgivare/iu, use: 'utföraren av stödet', why: 'one word per concept' },
  { pattern: /bostadspartner/iu, use: 'hyresvärdar och bostadsbolag', why: 'one word per concept' },
  { pattern: /(?<!\p{L})N\/A(?!\p{L})/u, use: 'ej tillämplig', why: 'N/A is not Swedish' },
  { pattern: /total modelltro/iu, use: 'Sammanvägd modelltrohet', why: 'one word per concept' },
  { pattern: /andel(en)? av max(?!poäng)/iu, use: 'andel av maxpoäng', why: 'one word per concept' },
  { pattern: /(?<!\p{L})medel \{?[\d{]/iu, use: 'medelvärde 2,83 (skala 1–4)', why: 'one word per concept' },
  { pattern: /bedömarnas spann/iu, use: 'bedömarnas spridning (lägst–högst)', why: 'one word per concept' },
];

function collectStrings(node: unknown, path: string, into: Array<{ path: string; text: string }>): void {
  if (typeof node === 'string') into.push({ path, text: node });
  else if (Array.isArray(node)) node.forEach((child, i) => collectStrings(child, `${path}[${i}]`, into));
  else if (node !== null && typeof node === 'object') {
    for (const [name, child] of Object.entries(node)) collectStrings(child, path === '' ? name : `${path}.${name}`, into);
  }
}

/** Only the Swedish side of a bilingual rubric: the value of every `sv` key. */
function collectSwedish(node: unknown, path: string, into: Array<{ path: string; text: string }>): void {
  if (Array.isArray(node)) node.forEach((child, i) => collectSwedish(child, `${path}[${i}]`, into));
  else if (node !== null && typeof node === 'object') {
    for (const [name, child] of Object.entries(node)) {
      if (name === 'sv' && typeof child === 'string') into.push({ path: `${path}.sv`, text: child });
      else collectSwedish(child, path === '' ? name : `${path}.${name}`, into);
    }
  }
}

function findAvoided(texts: ReadonlyArray<{ path: string; text: string }>): string[] {
  const found: string[] = [];
  for (const { path, text } of texts) {
    for (const term of AVOIDED) {
      const match = term.pattern.exec(text);
      if (match && !term.allowedAt?.has(path)) found.push(`${path}: "${match[0]}" – use ${term.use} (${term.why})`);
    }
  }
  return found;
}

const MESSAGES_DIR = new URL('../../src/i18n/messages/', import.meta.url);

describe('the Swedish terminology', () => {
  it('when any Swedish message uses a term to avoid, then the test names the key and the term to use', async () => {
    const texts: Array<{ path: string; text: string }> = [];
    const files = readdirSync(MESSAGES_DIR)
      .filter((file) => file.endsWith('.ts'))
      .sort();
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const catalog = (await import(new URL(file, MESSAGES_DIR).href)) as { sv: unknown };
      collectStrings(catalog.sv, file.replace(/\.ts$/, ''), texts);
    }
    expect(texts.length).toBeGreaterThan(1000);
    expect(findAvoided(texts)).toEqual([]);
  });

  it('when the shipped rubric uses a term to avoid in Swedish, then the test names the path and the term to use', () => {
    const texts: Array<{ path: string; text: string }> = [];
    collectSwedish(loadRubricFile(SHIPPED_RUBRIC_FILE).rubric, '', texts);
    expect(texts.length).toBeGreaterThan(300);
    expect(findAvoided(texts)).toEqual([]);
  });

  it('finds each avoided term in a text that uses it, and none in the preferred wording', () => {
    const avoided = findAvoided([
      { path: 'a', text: 'Trohetsnivå' },
      { path: 'b', text: 'Delvis modelltrogen' },
      { path: 'c', text: 'markerade N/A' },
      { path: 'd', text: 'Andel av max' },
      { path: 'e', text: 'Medel 2,83 av 4' },
      { path: 'f', text: 'Sedan programmets start (kumulativt)' },
      { path: 'g', text: 'Kollegial granskning av Bostad först-program' },
      { path: 'h', text: 'Utan rollen Programansvarig är hen personal här.' },
      { path: 'i', text: 'Kommunen har redan ett program med det namnet.' },
    ]);
    // The last three once each; 'f' twice, as a wrong start and as the unit called program.
    expect(avoided).toHaveLength(10);
    expect(
      findAvoided([
        {
          path: 'ok',
          text: 'Delvis modelltrohet · medelvärde 2,83 (skala 1–4) · andel av maxpoängen · ej tillämplig · förändringsberedskap · samordnare · kvar i insatsen',
        },
        { path: 'ok', text: 'Bostad först-verksamheter · Ny verksamhet · verksamhetens medarbetare · Verksamhetsansvarig' },
      ]),
    ).toEqual([]);
  });

  it('when "program" means a computer program at an allowed key, then it is not reported there, and only there', () => {
    const text = 'Ingenting sparades: databasen var upptagen av ett annat program en längre stund.';
    expect(findAvoided([{ path: 'errors.storageBusyText', text }])).toEqual([]);
    expect(findAvoided([{ path: 'errors.storageFullText', text }])).toHaveLength(1);
  });
});
