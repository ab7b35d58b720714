// Labels for the fields of a form given back after it could not be saved (an ended session, a full disk): a page that
// lists what was typed, field by field, without the form it came from. A field's name says what it is and whom:
// "note__a3-conditions" is the note of indicator A3.1, "strengths__a1-housing-right" the strengths of section A1, and a
// consensus form's "rationale" is that of the indicator in the address it was posted to. A value the person chose
// rather than typed (a radio, a select, a checkbox, an id) is told apart, to be shown in words, never as a raw code
// to edit. Pure.
import type { Application } from 'express';
import type { Locale } from '../i18n/locale.js';
import { isMessageKey, type MessageKey, type Translate } from '../i18n/messages.js';
import { indicatorNumbers } from '../rubrics/rubric-schema.js';
import type { RubricRegistry } from '../rubrics/rubric-registry.js';

/**
 * A kept field's value: typed by the person (free text, a number, a date: shown to edit), or chosen from the form's
 * options, with its words as the form showed them, or undefined when no words are known here (an id: carried hidden).
 */
export type KeptValue = { readonly chosen: false } | { readonly chosen: true; readonly words: string | undefined };

export type FieldLabeller = {
  /** The label of a field posted to `action`, in the language of `t`. */
  readonly label: (name: string, action: string, t: Translate) => string;
  /** Whether the field's value was typed or chosen, and a chosen one in words, in the page's language. */
  readonly value: (name: string, action: string, value: string, t: Translate, locale: Locale) => KeptValue;
};

const TYPED: KeptValue = { chosen: false };

/** A chosen value's words; `ids` are the name's parts after its kind (an indicator's or a section's id). */
type Words = (value: string, t: Translate, locale: Locale, ids: readonly string[]) => string | undefined;

/** A choice's words from its options' messages (`prefix` + value); a value no option has gets none. */
const fromMessages =
  (prefix: string, empty = ''): Words =>
  (value, t) => {
    const key = `${prefix}${value === '' ? empty : value}`;
    return isMessageKey(key) ? t(key) : undefined;
  };
const ticked: Words = (_value, t) => t('common.yes');
/** An id (a person, a review, a municipality): no words without a look-up, so it is carried hidden. */
const noWords: Words = () => undefined;

type Choice = {
  /** Only for forms posted to such an address; without it, for any form. */
  readonly path?: RegExp;
  /** The field's label, for a plain field name that does not say it well. */
  readonly label?: MessageKey;
  readonly words: Words;
};

/**
 * The fields whose values are chosen, by the kind of their name (the part before "__"): the first whose path
 * matches. Any other field is typed. A new radio, select or checkbox field belongs here.
 */
function createChoices(evidenceSources: ReadonlyMap<string, ReadonlyMap<string, { readonly sv: string; readonly en: string }>>) {
  const choices: Readonly<Record<string, readonly Choice[]>> = {
    score: [
      {
        words: (value, t) =>
          value === ''
            ? t('reviews.rate.notRated')
            : value === 'na'
              ? t('reviews.rate.notApplicable')
              : /^\d+$/.test(value)
                ? value
                : undefined,
      },
    ],
    // A source of the indicator's own rubric: its codes are the rubric's.
    evidence: [{ words: (value, _t, locale, [indicatorId = '']) => evidenceSources.get(indicatorId)?.get(value)?.[locale] }],
    status: [
      { path: /^\/actions\/\d+/, label: 'actions.status', words: fromMessages('actions.statuses.') },
      { path: /^\/programs\/\d+\/readiness\//, words: fromMessages('readiness.statuses.') },
    ],
    rec_priority: [{ words: fromMessages('reviews.recommendation.priority.') }],
    rec_owner: [{ words: fromMessages('reviews.recommendation.owner.', 'none') }],
    // The saved recommendation the row is for: shown as the form showed it, as text not to edit.
    rec_text: [{ words: (value) => value }],
    owner_user_id: [{ label: 'actions.ownerUser', words: noWords }],
    kind: [
      { path: /^\/(?:programs\/\d+\/outcomes|outcomes\/\d+)/, words: fromMessages('outcomes.kinds.') },
      { label: 'reviews.kindLabel', words: fromMessages('reviews.kind.') },
    ],
    role: [
      { path: /^\/programs\/\d+\/members/, label: 'programMembers.role', words: fromMessages('programMembers.roles.') },
      { label: 'reviews.role', words: fromMessages('reviews.panelRole.') },
    ],
    roles: [{ words: fromMessages('admin.roles.') }],
    support_model: [{ label: 'municipalities.program.supportModel', words: fromMessages('municipalities.supportModels.') }],
    affiliation_kind: [{ label: 'conflicts.affiliationKind', words: fromMessages('conflicts.kinds.') }],
    caseFileAccess: [{ label: 'reviews.evidence.caseFileAccess', words: fromMessages('reviews.evidence.access.', 'none') }],
    oralDebrief: [{ label: 'reviews.evidence.oralDebrief', words: ticked }],
    active: [{ words: ticked }],
    // Ids and the form's own markers: chosen on the page (or set by it), not typed.
    user_id: [{ words: noWords }],
    review_id: [{ words: noWords }],
    peer_review_id: [{ words: noWords }],
    municipality_id: [{ words: noWords }],
    affiliation_municipality_id: [{ words: noWords }],
    co_raters: [{ words: noWords }],
    rubric: [{ words: noWords }],
    rubric_id: [{ words: noWords }],
    self: [{ words: noWords }],
    to: [{ words: noWords }],
  };
  return (name: string, path: string): Choice | undefined => {
    const kind = name.split('__')[0] ?? name;
    const rules = Object.hasOwn(choices, kind) ? choices[kind] : undefined;
    return rules?.find((rule) => rule.path === undefined || rule.path.test(path));
  };
}

/**
 * The form's own markers, which the page sets and the person neither types nor chooses: the version a form was based
 * on and the fingerprint of what it showed (any name whose kind ends in "version" or "base": "version__a1-x",
 * "findings_version", "findings_base", the action form's shown owner "owner_user_id_base" and "owner_name_base"),
 * which submit button was pressed and where it leads ("action", "goto", "focus"), the page's filter ("undecided") and
 * the way back to the page it was opened from ("return", "return_at"). Found by the shape of the name, not a list of
 * forms, so a form's new version or fingerprint is one too; test/http/kept-form-fields.test.ts reads the rating,
 * consensus and action forms' own HTML and fails when any of their hidden fields or buttons would be shown as a box
 * to edit.
 */
const FORM_MARKER = /^(?:[a-z]+_)*(?:version|base)(?:__|$)|^(?:action|goto|focus|undecided|return|return_at)$/i;

/** Whether a field is one of the form's own markers (FORM_MARKER): carried on a kept page, never shown. */
export function isFormMarker(name: string): boolean {
  return FORM_MARKER.test(name);
}

const KIND_KEYS: Readonly<Record<string, MessageKey>> = {
  score: 'errors.keptField.score',
  note: 'errors.keptField.note',
  evidence: 'errors.keptField.evidence',
  rationale: 'errors.keptField.rationale',
  status: 'errors.keptField.status',
  checked: 'errors.keptField.checked',
  strengths: 'errors.keptField.strengths',
  recommendations: 'errors.keptField.recommendations',
  rec_text: 'errors.keptField.recommendation',
  rec_priority: 'errors.keptField.priority',
  rec_owner: 'errors.keptField.owner',
};

/** A form whose fields carry no indicator id: the indicator is the last part of the address (consensus). */
const INDICATOR_IN_ACTION = /\/consensus\/([a-z0-9-]+)(?:[/?]|$)/;
/** Forms whose plain field names are their page's labels under a message prefix. */
const PLAIN_FIELD_PREFIXES: readonly (readonly [RegExp, string])[] = [[/^\/(?:programs\/\d+\/outcomes|outcomes\/\d+)/, 'outcomes.fields.']];

/**
 * Forms whose plain field names have their page's labels under no common prefix: each field with the message its form
 * labels it by, so the kept page reads as the form did ("Ansvarig (namn)", not "owner name").
 */
const PLAIN_FIELD_LABELS: readonly (readonly [RegExp, Readonly<Record<string, MessageKey>>])[] = [
  [/^\/actions\/\d+$/, { owner_name: 'actions.ownerName', due_on: 'actions.due', note: 'actions.noteText', noted_on: 'actions.noteDate' }],
  [
    /^\/reviews\/\d+\/factual-check\/response$/,
    { corrections: 'reviews.factualCheck.corrections', response: 'reviews.factualCheck.response' },
  ],
  [/^\/reviews\/\d+\/factual-check\/changes$/, { changes: 'reviews.factualCheck.changes' }],
  [/^\/reviews\/\d+\/factual-check\/send$/, { replyBy: 'reviews.factualCheck.replyBy', knowingly: 'reviews.factualCheck.knowinglyField' }],
];

/** The label a form of this address gives a plain field (PLAIN_FIELD_LABELS), or undefined. */
function findPlainFieldLabel(name: string, path: string): MessageKey | undefined {
  for (const [pattern, labels] of PLAIN_FIELD_LABELS) {
    if (pattern.test(path) && Object.hasOwn(labels, name)) return labels[name];
  }
  return undefined;
}

/** "note__A1.1" → "note A1.1", "support_provider" → "support provider": for a field no label is known for. */
export function labelFromFieldName(name: string): string {
  return name.replace(/_+/g, ' ').trim() || name;
}

/** Labels from the loaded rubrics' indicator numbers and section codes (ids never change across versions). */
export function createFieldLabeller(rubrics: RubricRegistry): FieldLabeller {
  const places = new Map<string, string>();
  const evidenceSources = new Map<string, ReadonlyMap<string, { readonly sv: string; readonly en: string }>>();
  for (const { rubric } of rubrics.values()) {
    const numbers = indicatorNumbers(rubric);
    for (const section of rubric.sections) {
      places.set(section.id, section.code);
      for (const indicator of section.indicators) places.set(indicator.id, numbers.get(indicator.id) ?? indicator.id);
    }
    const sources = new Map(rubric.evidence_sources.map((source) => [source.code, source.label] as const));
    for (const section of rubric.sections) for (const indicator of section.indicators) evidenceSources.set(indicator.id, sources);
  }
  const choiceOf = createChoices(evidenceSources);
  const pathOf = (action: string) => action.split('?')[0] ?? action;
  const label = (name: string, action: string, t: Translate): string => {
    const [kind = name, ...rest] = name.split('__');
    const path = pathOf(action);
    const choiceLabel = rest.length === 0 ? choiceOf(name, path)?.label : undefined;
    if (choiceLabel !== undefined) return t(choiceLabel);
    const plainLabel = rest.length === 0 ? findPlainFieldLabel(name, path) : undefined;
    if (plainLabel !== undefined) return t(plainLabel);
    const kindKey = KIND_KEYS[kind];
    if (kindKey === undefined) {
      if (kind === 'barriers' && rest[0] !== undefined) {
        const key = `reviews.consensus.barrierLabels.${rest[0]}`;
        if (isMessageKey(key)) return t(key);
      }
      for (const [pattern, prefix] of PLAIN_FIELD_PREFIXES) {
        const key = `${prefix}${name}`;
        if (rest.length === 0 && pattern.test(path) && isMessageKey(key)) return t(key);
      }
      return labelFromFieldName(name);
    }
    const whom = rest.map((part) => places.get(part) ?? (/^\d+$/.test(part) ? t('errors.keptField.row', { n: Number(part) + 1 }) : part));
    if (whom.length === 0) {
      const inAction = INDICATOR_IN_ACTION.exec(path)?.[1];
      const place = inAction === undefined ? undefined : places.get(inAction);
      if (place !== undefined) whom.push(place);
    }
    return [...whom, t(kindKey)].join(' ');
  };
  return {
    label,
    value: (name, action, value, t, locale) => {
      const choice = choiceOf(name, pathOf(action));
      return choice === undefined ? TYPED : { chosen: true, words: choice.words(value, t, locale, name.split('__').slice(1)) };
    },
  };
}

// The labeller lives in the app's own settings, as its view renderer does, so every app built by createApp has its own.
const LABELLER_SETTING = 'hf field labeller';

export function useFieldLabeller(app: Application, labeller: FieldLabeller): void {
  app.set(LABELLER_SETTING, labeller);
}

/** The app's labeller; an app without one (a router tested alone) labels by the field's name, every value typed. */
export function fieldLabellerOf(app: Application): FieldLabeller {
  const labeller: unknown = app.get(LABELLER_SETTING);
  return typeof labeller === 'object' && labeller !== null
    ? (labeller as FieldLabeller)
    : { label: (name) => labelFromFieldName(name), value: () => TYPED };
}
