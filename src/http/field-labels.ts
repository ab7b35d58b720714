// Labels for the fields of a form given back after it could not be saved (an ended session, a full disk): a page that
// lists what was typed, field by field, without the form it came from. A field's name says what it is and whom:
// "note__a3-conditions" is the note of indicator A3.1, "strengths__a1-housing-right" the strengths of section A1, and a
// consensus form's "rationale" is that of the indicator in the address it was posted to. Pure.
import type { Application } from 'express';
import { isMessageKey, type MessageKey, type Translate } from '../i18n/messages.js';
import { indicatorNumbers } from '../rubrics/rubric-schema.js';
import type { RubricRegistry } from '../rubrics/rubric-registry.js';

/** The label of a field posted to `action`, in the language of `t`. */
export type FieldLabeller = (name: string, action: string, t: Translate) => string;

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

/** "note__A1.1" → "note A1.1", "support_provider" → "support provider": for a field no label is known for. */
export function labelFromFieldName(name: string): string {
  return name.replace(/_+/g, ' ').trim() || name;
}

/** Labels from the loaded rubrics' indicator numbers and section codes (ids never change across versions). */
export function createFieldLabeller(rubrics: RubricRegistry): FieldLabeller {
  const places = new Map<string, string>();
  for (const { rubric } of rubrics.values()) {
    const numbers = indicatorNumbers(rubric);
    for (const section of rubric.sections) {
      places.set(section.id, section.code);
      for (const indicator of section.indicators) places.set(indicator.id, numbers.get(indicator.id) ?? indicator.id);
    }
  }
  return (name, action, t) => {
    const [kind = name, ...rest] = name.split('__');
    const path = action.split('?')[0] ?? action;
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
}

// The labeller lives in the app's own settings, as its view renderer does, so every app built by createApp has its own.
const LABELLER_SETTING = 'hf field labeller';

export function useFieldLabeller(app: Application, labeller: FieldLabeller): void {
  app.set(LABELLER_SETTING, labeller);
}

/** The app's labeller; an app without one (a router tested alone) labels by the field's name. */
export function fieldLabellerOf(app: Application): FieldLabeller {
  const labeller: unknown = app.get(LABELLER_SETTING);
  return typeof labeller === 'function' ? (labeller as FieldLabeller) : (name) => labelFromFieldName(name);
}
