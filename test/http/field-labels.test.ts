// The fields of a form given back after it could not be saved are labelled as the form labels them: the indicator's
// number or the section's code, and what the field is, in the page's language; never an internal id.
import { describe, expect, it } from 'vitest';
import { createFieldLabeller, labelFromFieldName } from '../../src/http/field-labels.js';
import { inSentence } from '../../src/http/form-parsing.js';
import { createTranslator } from '../../src/i18n/messages.js';
import { loadTestRubrics } from '../helpers/test-app.js';

const label = createFieldLabeller(loadTestRubrics());
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
