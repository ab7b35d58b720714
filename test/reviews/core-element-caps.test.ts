// The caps of a rubric in words, as the consensus pages print them once (escaped once, by the view).
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/messages.js';
import { describeCoreCaps } from '../../src/reviews/core-element-caps.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { loadTestRubrics, SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';

const sv = createTranslator('sv');
const en = createTranslator('en');

describe('describeCoreCaps', () => {
  const rubric = loadTestRubrics([SHIPPED_RUBRIC_FILE]).get('bostad-forst');
  if (!rubric) throw new Error('rubric missing');
  const critical = listIndicators(rubric.rubric).find(({ indicator }) => indicator.critical === true)?.indicator;
  if (!critical) throw new Error('no core element');

  it('when given a core element’s scale, then it says what its lowest score does to the level, in both languages', () => {
    expect(describeCoreCaps(rubric.rubric, sv, 'sv', critical.scale)).toBe(
      'poäng 1 begränsar nivån till högst Delvis modelltrohet; 2 eller fler kärnkomponenter på lägsta nivån begränsar den till högst Låg modelltrohet',
    );
    expect(describeCoreCaps(rubric.rubric, en, 'en', critical.scale)).toBe(
      'a score of 1 limits the level to at most Partial fidelity; 2 or more core elements at the lowest level limit it to at most Low fidelity',
    );
  });

  it('when a level’s label holds a character HTML escapes, then the text holds it as it is, for the view to escape once', () => {
    const levels = rubric.rubric.fidelity_levels.map((level) => ({
      ...level,
      label: { sv: `${level.label.sv} & mer`, en: level.label.en },
    }));
    const text = describeCoreCaps({ ...rubric.rubric, fidelity_levels: levels }, sv, 'sv', critical.scale);
    expect(text).toContain('Delvis modelltrohet & mer');
    expect(text).not.toContain('&amp;');
  });

  it('when a rubric has no caps, then there is nothing to say', () => {
    expect(describeCoreCaps({ ...rubric.rubric, caps: [] }, sv, 'sv')).toBe('');
  });
});
