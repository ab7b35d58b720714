// The fields of a form given back after it could not be saved are labelled as the form labels them: the indicator's
// number or the section's code, and what the field is, in the page's language; never an internal id.
import { describe, expect, it } from 'vitest';
import { createFieldLabeller, isFormMarker, labelFromFieldName } from '../../src/http/field-labels.js';
import { inSentence } from '../../src/http/form-parsing.js';
import { createTranslator } from '../../src/i18n/messages.js';
import { loadTestRubrics } from '../helpers/test-app.js';

const labeller = createFieldLabeller(loadTestRubrics());
const label = labeller.label;
const sv = createTranslator('sv');
const en = createTranslator('en');

describe('the labels of kept fields', () => {
  it('names a rating, readiness or findings field by its indicator or section and what it is', () => {
    expect(label('note__a3-conditions', '/reviews/3/rate/a3-housing-treatment-separation', sv)).toBe('A3.1 Anteckning');
    expect(label('score__a3-conditions', '/reviews/3/rate/a3-housing-treatment-separation', en)).toBe('A3.1 Score');
    expect(label('checked__a1-lease-type', '/programs/1/readiness/bostad-forst/sections/a1-housing-right', sv)).toBe('A1.1 Kontrollerad');
    expect(label('strengths__a1-housing-right', '/reviews/3/consensus/a1-housing-right/findings', sv)).toBe('A1 Styrkor');
    expect(label('rec_priority__a1-housing-right__0', '/reviews/3/consensus/a1-housing-right/findings', sv)).toBe('A1 rad 1 Prioritet');
    expect(label('barriers__systemic', '/reviews/3/barriers', sv)).toBe('Strukturella hinder');
  });

  it('takes the indicator of a consensus form from the address it was posted to', () => {
    expect(label('rationale', '/reviews/3/consensus/b2-caseload', sv)).toBe('B2.1 Motivering');
    expect(label('score', '/reviews/3/consensus/b2-caseload?lang=en', en)).toBe('B2.1 Score');
  });

  it('gives outcome fields their form labels, and any other field a readable form of its name', () => {
    expect(label('moved_in', '/programs/1/outcomes', sv)).toBe('Flyttat in');
    expect(label('moved_in', '/outcomes/4', en)).toBe('Moved in');
    expect(label('support_provider', '/programs/1', sv)).toBe(labelFromFieldName('support_provider'));
    expect(labelFromFieldName('support_provider')).toBe('support provider');
  });

  it('gives the action form and the factual check forms their own labels, only at their addresses', () => {
    expect(label('owner_name', '/actions/7', sv)).toBe('Ansvarig (namn)');
    expect(label('due_on', '/actions/7?lang=en', en)).toBe('Due');
    expect(label('noted_on', '/actions/7', sv)).toBe('Anteckningens datum');
    expect(label('corrections', '/reviews/5/factual-check/response', sv)).toBe('Faktarättelser');
    expect(label('response', '/reviews/5/factual-check/response', en)).toBe("The program's response");
    expect(label('changes', '/reviews/5/factual-check/changes', sv)).toBe('Vad som ändrades efter faktagranskningen');
    expect(label('replyBy', '/reviews/5/factual-check/send', sv)).toBe(sv('reviews.factualCheck.replyBy'));
    expect(label('knowingly', '/reviews/5/factual-check/send', en)).toBe('Send the draft anyway');
    // Elsewhere the same names are not these forms' fields.
    expect(label('response', '/reviews/5/factual-check/changes', sv)).toBe('response');
    expect(label('due_on', '/programs/1/readiness', sv)).toBe('due on');
  });
});

describe('the markers of a kept form', () => {
  it('are its versions, fingerprints, pressed buttons and filter, carried hidden whatever the form', () => {
    for (const name of [
      'version',
      'version__a1-x',
      'findings_version',
      'base',
      'findings_base',
      'owner_user_id_base',
      'owner_name_base',
      'action',
      'goto',
      'focus',
      'undecided',
    ])
      expect(isFormMarker(name), name).toBe(true);
  });

  it('are never a field a person typed or chose', () => {
    for (const name of [
      'note__a1-x',
      'rationale__a1-x',
      'strengths__a1',
      'score__a1-x',
      'database',
      'baseline',
      'version_note',
      'owner_name',
    ])
      expect(isFormMarker(name), name).toBe(false);
  });
});

describe('the values of kept fields', () => {
  const value = (name: string, action: string, raw: string, locale: 'sv' | 'en' = 'sv') =>
    labeller.value(name, action, raw, locale === 'sv' ? sv : en, locale);

  it('gives a chosen value its words as the form shows them', () => {
    expect(value('status__a1-lease-type', '/programs/1/readiness/bostad-forst/sections/a1-housing-right', 'ready')).toEqual({
      chosen: true,
      words: 'Klart',
    });
    expect(value('status', '/actions/17?lang=en', 'not_started', 'en')).toEqual({ chosen: true, words: 'Not started' });
    expect(value('score__a3-conditions', '/reviews/3/rate/a3-housing-treatment-separation', '4')).toEqual({ chosen: true, words: '4' });
    expect(value('score', '/reviews/3/consensus/b2-caseload', 'na')).toEqual({ chosen: true, words: 'Ej tillämplig' });
    expect(value('rec_priority__a1-housing-right__0', '/reviews/3/consensus/a1-housing-right/findings', 'high')).toEqual({
      chosen: true,
      words: 'Hög',
    });
    expect(value('evidence__c1-alpha', '/reviews/3/rate/c1-first', 'I')).toEqual({ chosen: true, words: 'Intervju' });
    expect(value('evidence__c1-alpha', '/reviews/3/rate/c1-first', 'R', 'en')).toEqual({ chosen: true, words: 'Records' });
    expect(value('kind', '/programs/2/reviews/new', 'self_assessment', 'en')).toMatchObject({ chosen: true });
    expect(value('kind', '/programs/2/outcomes', 'period')).toMatchObject({ chosen: true });
  });

  it('has no words for an id or for a value no option has, so the page carries it hidden', () => {
    expect(value('owner_user_id', '/actions/17', '12')).toEqual({ chosen: true, words: undefined });
    expect(value('review_id', '/programs/1/actions', '3')).toEqual({ chosen: true, words: undefined });
    expect(value('status', '/actions/17', 'made_up')).toEqual({ chosen: true, words: undefined });
  });

  it('takes free text, numbers and dates as typed', () => {
    expect(value('note__a3-conditions', '/reviews/3/rate/a3-housing-treatment-separation', 'ready')).toEqual({ chosen: false });
    expect(value('checked__a1-lease-type', '/programs/1/readiness/bostad-forst/sections/a1-housing-right', '2026-03-01')).toEqual({
      chosen: false,
    });
    expect(value('owner_name', '/actions/17', 'Extern konsult')).toEqual({ chosen: false });
    expect(value('moved_in', '/programs/1/outcomes', '12')).toEqual({ chosen: false });
  });
});

describe('a field label inside a message', () => {
  it('is lowered where it starts a sentence in the label only, and keeps the capitals of an abbreviation or code', () => {
    expect(inSentence('Samlad bedömning')).toBe('samlad bedömning');
    expect(inSentence('Verksamhetens medarbetare')).toBe('verksamhetens medarbetare');
    expect(inSentence('MI-utbildning')).toBe('MI-utbildning');
    expect(inSentence('B2.1')).toBe('B2.1');
    expect(inSentence('IPS')).toBe('IPS');
    expect(inSentence('Ö')).toBe('Ö');
  });
});
