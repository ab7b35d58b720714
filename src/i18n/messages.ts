// All UI text, per namespace: each file under messages/ holds its Swedish and English strings side by side,
// and tsc checks that English has exactly the keys of Swedish.
import type { Locale } from './locale.js';
import * as common from './messages/common.js';
import * as nav from './messages/nav.js';
import * as errors from './messages/errors.js';
import * as validation from './messages/validation.js';
import * as auth from './messages/auth.js';
import * as admin from './messages/admin.js';
import * as municipalities from './messages/municipalities.js';
import * as reviews from './messages/reviews.js';
import * as home from './messages/home.js';
import * as conflicts from './messages/conflicts.js';
import * as audit from './messages/audit.js';
import * as reports from './messages/reports.js';
import * as research from './messages/research.js';
import * as programMembers from './messages/programMembers.js';
import * as selfAssessment from './messages/selfAssessment.js';
import * as readiness from './messages/readiness.js';
import * as actions from './messages/actions.js';
import * as outcomes from './messages/outcomes.js';
import * as scoringSheet from './messages/scoringSheet.js';

const CATALOGS = {
  sv: {
    common: common.sv,
    nav: nav.sv,
    errors: errors.sv,
    validation: validation.sv,
    auth: auth.sv,
    admin: admin.sv,
    municipalities: municipalities.sv,
    reviews: reviews.sv,
    home: home.sv,
    reports: reports.sv,
    conflicts: conflicts.sv,
    audit: audit.sv,
    research: research.sv,
    programMembers: programMembers.sv,
    selfAssessment: selfAssessment.sv,
    readiness: readiness.sv,
    actions: actions.sv,
    outcomes: outcomes.sv,
    scoringSheet: scoringSheet.sv,
  },
  en: {
    common: common.en,
    nav: nav.en,
    errors: errors.en,
    validation: validation.en,
    auth: auth.en,
    admin: admin.en,
    municipalities: municipalities.en,
    reviews: reviews.en,
    home: home.en,
    reports: reports.en,
    conflicts: conflicts.en,
    audit: audit.en,
    research: research.en,
    programMembers: programMembers.en,
    selfAssessment: selfAssessment.en,
    readiness: readiness.en,
    actions: actions.en,
    outcomes: outcomes.en,
    scoringSheet: scoringSheet.en,
  },
} as const;

type Catalog = typeof CATALOGS.sv;
type Leaves<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Leaves<T[K]>}`;
}[keyof T & string];

export type MessageKey = Leaves<Catalog>;
export type MessageParams = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** Every text of a catalog under its dotted key ("reviews.overviewTitle"), so a page's many look-ups are one Map read each. */
function flatten(node: unknown, prefix: string, into: Map<string, string>): Map<string, string> {
  if (typeof node === 'string') into.set(prefix, node);
  else if (node !== null && typeof node === 'object') {
    for (const [name, child] of Object.entries(node)) flatten(child, prefix === '' ? name : `${prefix}.${name}`, into);
  }
  return into;
}

const FLAT_CATALOGS: Readonly<Record<Locale, ReadonlyMap<string, string>>> = {
  sv: flatten(CATALOGS.sv, '', new Map()),
  en: flatten(CATALOGS.en, '', new Map()),
};

export function isMessageKey(key: string): key is MessageKey {
  return FLAT_CATALOGS.sv.has(key);
}

/** A text split at its {name} placeholders: literal parts at even positions, placeholder names at odd ones. */
type CompiledText = readonly string[];

/** Every catalog text split once, when the module loads: constants, like the catalogs. */
const COMPILED: Readonly<Record<Locale, ReadonlyMap<string, CompiledText>>> = {
  sv: new Map([...FLAT_CATALOGS.sv].map(([key, text]) => [key, text.split(/\{(\w+)\}/)])),
  en: new Map([...FLAT_CATALOGS.en].map(([key, text]) => [key, text.split(/\{(\w+)\}/)])),
};

export function createTranslator(locale: Locale): Translate {
  const catalog = FLAT_CATALOGS[locale];
  const compiled = COMPILED[locale];
  return (key, params) => {
    const text = catalog.get(key) ?? key;
    if (params === undefined) return text;
    const parts = compiled.get(key) ?? text.split(/\{(\w+)\}/);
    if (parts.length === 1) return text;
    let out = parts[0] ?? '';
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i] ?? '';
      const value = params[name];
      out += (value === undefined ? `{${name}}` : String(value)) + (parts[i + 1] ?? '');
    }
    return out;
  };
}
