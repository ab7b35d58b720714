// The demo's dates follow the day it is seeded on (the services' clock): seeded months or years after the story's
// 7 December 2026, it moves every date by the same whole number of months, its outcome periods by whole years (they
// stay calendar years), and its texts name the moved months, years and periods, so it shows the same picture whenever
// it is seeded.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSettableClock } from '../../src/clock.js';
import { migrate } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { addMonths } from '../../src/demo/demo-dates.js';
import { createOutcomeStore, type OutcomePeriod } from '../../src/outcomes/outcome-store.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed-demo.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { binaryParser, extractPdfText, normalizeSpace } from '../reports/pdf-text.js';
import { loginAgent, makeTestApp, makeTestServices } from '../helpers/test-app.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rubrics = loadRubrics(join(root, 'rubrics'));

/** The day the story is written for: seeded on it, the demo keeps its dates as they stand in src/demo/. */
const STORY_DAY = '2026-12-07';

type Seeded = { readonly db: Db; readonly day: string; readonly summary: Awaited<ReturnType<typeof seedDemo>> };

/** Midday in Sweden on `day`, as a clock that stands still. */
const clockOn = (day: string) => () => new Date(`${day}T11:00:00.000Z`);

async function seedOn(day: string): Promise<Seeded> {
  const db = openDatabase(':memory:');
  migrate(db);
  const time = createSettableClock(clockOn(day));
  return { db, day, summary: await seedDemo(makeTestServices(db, rubrics, time.clock), time) };
}

const seeds = new Map<string, Promise<Seeded>>();
function seededOn(day: string): Promise<Seeded> {
  let seeded = seeds.get(day);
  if (!seeded) {
    seeded = seedOn(day);
    seeds.set(day, seeded);
  }
  return seeded;
}

/**
 * Every row of every table, in the order written. Left out: the audit log's `at`, which SQLite stamps with the real
 * time of the write (not the services' clock), and the password hash, which has a salt of its own each run.
 */
function dumpTables(db: Db): Record<string, Record<string, unknown>[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
    name: string;
  }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      (db.prepare(`SELECT * FROM ${name}`).all() as Record<string, unknown>[]).map((row) => {
        const { password_hash: _hash, ...kept } = row;
        if (name !== 'audit_log') return kept;
        const { at: _at, ...rest } = kept;
        return rest;
      }),
    ]),
  );
}

/** Every stored value that is a day or an instant, with where it is: `table.column`. */
function listStoredDates(db: Db): { where: string; value: string }[] {
  return Object.entries(dumpTables(db)).flatMap(([table, rows]) =>
    rows.flatMap((row) =>
      Object.entries(row).flatMap(([column, value]) =>
        typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? [{ where: `${table}.${column}`, value }] : [],
      ),
    ),
  );
}

/** `value` with every year from 2000 to 2099 it names moved on by `years`: in dates, instants, texts and JSON alike. */
function moveYears(value: unknown, years: number): unknown {
  return typeof value === 'string' ? value.replace(/\b20\d\d\b/g, (year) => String(Number(year) + years)) : value;
}

/** What the Stockholm action plan page lists as overdue: recommendation, the round's date and the due date. */
function readOverdue(html: string): string[][] {
  const start = html.indexOf('id="overdue"');
  if (start < 0) return [];
  const table = html.slice(start, html.indexOf('</table>', start));
  return [...table.matchAll(/<tr role="row">([\s\S]*?)<\/tr>/g)].flatMap((row) => {
    const link = /<a href="\/actions\/\d+"[^>]*>([\s\S]*?)<\/a>/.exec(row[1] ?? '');
    const dates = [...(row[1] ?? '').matchAll(/class="iso-date">([^<]*)</g)].map((cell) => cell[1] ?? '');
    return link ? [[link[1] ?? '', ...dates]] : [];
  });
}

/** The demo's Stockholm program as the program lead sees it on `day`: its page and its action plan. */
async function readStockholm({ db, day, summary }: Seeded): Promise<{ program: string; plan: string }> {
  const { app } = makeTestApp({ db, clock: clockOn(day) });
  const programId = createReviewStore(db).findReviewById(summary.finalReview.id)?.programId;
  if (programId === undefined) throw new Error('the demo has no Stockholm review');
  const lead = await loginAgent(app, 'programledare@demo.example', DEMO_PASSWORD);
  const [program, plan] = await Promise.all([lead.get(`/programs/${programId}`), lead.get(`/programs/${programId}/actions`)]);
  expect([program.status, plan.status]).toEqual([200, 200]);
  return { program: program.text, plan: plan.text };
}

/** The Stockholm program's outcome periods, as stored: the yearly ones by start, then the running total. */
function listStockholmPeriods({ db, summary }: Seeded): OutcomePeriod[] {
  const programId = createReviewStore(db).findReviewById(summary.finalReview.id)?.programId;
  if (programId === undefined) throw new Error('the demo has no Stockholm review');
  return createOutcomeStore(db).listPeriods(programId);
}

/** The text of the Stockholm report, in Swedish, as an administrator downloads it on the seed day. */
async function readStockholmReport({ db, day }: Seeded): Promise<string> {
  const { app } = makeTestApp({ db, clock: clockOn(day) });
  const admin = await loginAgent(app, 'admin@demo.example', DEMO_PASSWORD);
  const response = await admin.get('/municipalities/0180/report.pdf?lang=sv').buffer(true).parse(binaryParser);
  expect(response.status).toBe(200);
  return normalizeSpace(extractPdfText(response.body as Buffer));
}

describe('the demo seeded months or years after the story', { timeout: 120_000 }, () => {
  it('when seeded on the story’s day, then its outcome periods are 2024, 2025 and the running total, each entered in the January after it', async () => {
    const periods = listStockholmPeriods(await seededOn(STORY_DAY));
    expect(periods.map((p) => [p.kind, p.periodStart, p.periodEnd, p.caseManagers, p.note, p.updatedAt])).toEqual([
      [
        'period',
        '2025-01-01',
        '2025-12-31',
        2,
        'Två tjänster som case manager vakanta under hösten. Avsluten gäller alla deltagare, också de som flyttade in före 2025.',
        '2026-01-26T10:00:00.000Z',
      ],
      [
        'period',
        '2024-01-01',
        '2024-12-31',
        4,
        'Uppgifter från verksamhetens uppföljning. Avsluten gäller alla deltagare, också de som flyttade in före 2024.',
        '2025-01-20T10:00:00.000Z',
      ],
      ['since_start', '2010-06-01', '2025-12-31', 2, 'Sedan starten i juni 2010.', '2026-01-26T10:05:00.000Z'],
    ]);
  });

  it('when seeded on 2028-11-20, then no stored date is after that day and every date and year is the story’s two years on', async () => {
    const story = await seededOn(STORY_DAY);
    const later = await seededOn('2028-11-20');

    // Due dates are plans and lie ahead; everything that happened lies on or before the seed day.
    const happened = listStoredDates(later.db).filter(({ where }) => where !== 'actions.due_on');
    expect(happened.length).toBeGreaterThan(500);
    expect(happened.filter(({ value }) => value.slice(0, 10) > later.day)).toEqual([]);
    expect(
      happened
        .map(({ value }) => value.slice(0, 10))
        .sort()
        .at(-1),
    ).toBe('2028-11-16');

    // 24 whole months are two years: the same demo, row for row, with every year moved by two (dates, due dates,
    // texts, the audit log's values), and every month its texts name as it was.
    const moved = Object.fromEntries(
      Object.entries(dumpTables(story.db)).map(([table, rows]) => [
        table,
        rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, moveYears(value, 2)]))),
      ]),
    );
    expect(dumpTables(later.db)).toEqual(moved);
    expect(later.summary.firstRound.visitStart).toBe('2026-03-12');
  });

  it('when seeded on 2029-05-10, 29 months on, then its texts and its report name the moved months, seasons and years', async () => {
    const { db, summary } = await seededOn('2029-05-10');
    expect(summary.firstRound.visitStart).toBe('2026-08-12');
    const reviews = createReviewStore(db);
    const barriers = reviews
      .listBarriers(summary.finalReview.id)
      .map((barrier) => barrier.text)
      .join(' ');
    // The posts fell vacant in October 2025 and one was filled on 20 April 2026, the story says; 29 months on.
    expect(barriers).toContain('två av de fyra tjänsterna var vakanta från våren 2028');
    expect(barriers).toContain('Den ena tjänsten tillsattes 20 september 2028, efter besöket.');
    expect(reviews.findFactualCheck(summary.finalReview.id)?.corrections).toContain('vakanta sedan våren 2028');
    // The outcome periods move by whole years: the calendar year before the visit's, as the story has it.
    expect(reviews.findEvidenceBase(summary.finalReview.id)?.documents).toContain(
      'Verksamhetsplan 2028\nÖverenskommelsen om stödet\nRutin för hyresskulder\nUppföljning av utfall 2027',
    );

    const { app } = makeTestApp({ db, clock: clockOn('2029-05-10') });
    const admin = await loginAgent(app, 'admin@demo.example', DEMO_PASSWORD);
    const response = await admin.get('/municipalities/0180/report.pdf?lang=sv').buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const text = normalizeSpace(extractPdfText(response.body as Buffer));
    expect(text).toContain('Platsbesök 10–11 augusti 2028');
    expect(text).toContain('för faktagranskning 8 september 2028');
    expect(text).toContain('Slutförd 6 oktober 2028');
    expect(text).toContain('mellan 6 april 2029 och 6 oktober 2029');
    expect(text).toContain('Läget enligt åtgärdsplanen den 16 april 2029:');
    expect(text).toContain('Genomfört: ändringen gäller i alla nya ärenden sedan våren 2027.');
    expect(text).toContain('Tre case managers gick utbildningen i motiverande samtal i mars.');
    expect(text).toContain('börjar i juni 2029.');
    expect(text).toContain('Sedan starten i november 2012.');
    expect(text).toContain('också de som flyttade in före 2027.');
    // The story's own wording for 7 December 2026 is gone.
    for (const gone of ['hösten', 'sedan oktober', 'i september', 'i december', 'juni 2010', '20 april', 'Verksamhetsplan 2026']) {
      expect(text).not.toContain(gone);
    }
  });

  it.each([
    ['2027-03-15', 3, '6 augusti 2027'],
    ['2027-10-02', 10, '6 mars 2028'],
  ])(
    'when seeded on %s, then the same actions are overdue, the next review is not, and the rating is part-way',
    async (day, months, reviewBy) => {
      // Moved by whole months, the demo shows the picture of 7 December 2026 whatever the time of year (README, Demo).
      const story = await seededOn(STORY_DAY);
      const later = await seededOn(day);
      const [before, after] = await Promise.all([readStockholm(story), readStockholm(later)]);

      // Nothing but a due date lies after the seed day.
      const happened = listStoredDates(later.db).filter(({ where }) => where !== 'actions.due_on');
      expect(happened.filter(({ value }) => value.slice(0, 10) > later.day)).toEqual([]);

      const overdue = readOverdue(before.plan);
      expect(overdue).toHaveLength(7);
      expect(
        overdue.filter(([recommendation]) => recommendation?.startsWith('Indikatorn ”Antal deltagare per case manager”')),
      ).toHaveLength(1);
      // The same actions, each with its round's date and due date moved by the same months.
      expect(readOverdue(after.plan)).toEqual(
        overdue.map(([recommendation = '', ...dates]) => [recommendation, ...dates.map((date) => addMonths(date, months))]),
      );

      expect(before.program).toContain('senast 6 maj 2027');
      expect(after.program).toContain(`senast ${reviewBy}`);
      expect(before.program).not.toContain('tiden har gått ut');
      expect(after.program).not.toContain('tiden har gått ut');

      const progressOf = ({ db, summary }: Seeded) => {
        const reviews = createReviewStore(db);
        const rated = reviews.countRatedByRater(summary.ratingReview.id);
        return {
          open: reviews.listOpenReviews().map((review) => review.status),
          panel: reviews
            .listPanel(summary.ratingReview.id)
            .map((member) => [member.role, member.submittedAt === undefined ? 'open' : 'submitted', rated.get(member.userId) ?? 0]),
        };
      };
      expect(progressOf(later)).toEqual(progressOf(story));
      expect(progressOf(later).open).toEqual(['rating']);
    },
  );

  // Municipalities report such figures per calendar year: the periods move by whole years only, and stay the two years
  // before the moved visit's year, as the story has them. Where the case manager posts (moved by months) fell vacant
  // only in the visit's year, the last outcome year ended with all four and its comment does not name the vacancy.
  it.each([
    [
      '2027-03-15',
      {
        years: ['2024', '2025'],
        visitYear: '2026',
        start: '2010-09-01',
        vacant: 'januari 2026',
        caseManagers: 4,
        lastNote: 'Avsluten gäller alla deltagare, också de som flyttade in före 2025.',
      },
    ],
    [
      '2027-10-02',
      {
        years: ['2025', '2026'],
        visitYear: '2027',
        start: '2011-04-01',
        vacant: 'sommaren 2026',
        caseManagers: 2,
        lastNote:
          'Två tjänster som case manager vakanta under sommaren. Avsluten gäller alla deltagare, också de som flyttade in före 2026.',
      },
    ],
  ])(
    'when seeded on %s, then the outcome periods are the calendar years before the visit’s, and the report and program page read them as years',
    async (day, { years, visitYear, start, vacant, caseManagers, lastNote }) => {
      const later = await seededOn(day);
      const reviews = createReviewStore(later.db);
      const review = reviews.findReviewById(later.summary.finalReview.id);
      const periods = listStockholmPeriods(later);
      const yearly = periods.filter((p) => p.kind === 'period').sort((a, b) => a.periodStart.localeCompare(b.periodStart));
      const ranges = years.map((year) => [`${year}-01-01`, `${year}-12-31`]);
      expect(yearly.map((p) => [p.periodStart, p.periodEnd])).toEqual(ranges);
      const lastEnd = `${years.at(-1)}-12-31`;
      const total = periods.find((p) => p.kind === 'since_start');
      const program = createMunicipalityStore(later.db).findProgramById(review?.programId ?? 0);
      // The running total starts with the program, which moves by months, and ends with the last year.
      expect([program?.startDate, total?.periodStart, total?.periodEnd]).toEqual([start, start, lastEnd]);

      // Each period ended before the visit the report is about, and was entered after it ended, by the seed day.
      const visitStart = review?.visitStart ?? '';
      expect(visitStart.slice(0, 4)).toBe(visitYear);
      for (const period of periods) {
        expect(period.periodEnd < visitStart).toBe(true);
        expect(period.updatedAt.slice(0, 10) > period.periodEnd).toBe(true);
        expect(period.updatedAt.slice(0, 10) <= later.day).toBe(true);
      }

      // The last year's case managers and comment agree with when the posts fell vacant, as the barriers tell it.
      const last = yearly.at(-1);
      expect([last?.caseManagers, total?.caseManagers, last?.note]).toEqual([caseManagers, caseManagers, lastNote]);
      const barriers = reviews
        .listBarriers(later.summary.finalReview.id)
        .map((barrier) => barrier.text)
        .join(' ');
      expect(barriers).toContain(`vakanta från ${vacant}`);

      const text = await readStockholmReport(later);
      // The only periods the report names are the two years and the running total, each as its days.
      expect(new Set(text.match(/\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}/g))).toEqual(
        new Set([...ranges.map(([from, to]) => `${from} – ${to}`), `${start} – ${lastEnd}`]),
      );
      expect(text).toContain(`${start} – ${lastEnd} (sedan start, kumulativt)`);
      // The texts that name the periods read them as years: the visit read the plan of its year and the follow-up of
      // the year before, and the comments count exits of those who moved in before the year.
      expect(text).toContain(
        `Verksamhetsplan ${visitYear} Överenskommelsen om stödet Rutin för hyresskulder Uppföljning av utfall ${years.at(-1)}`,
      );
      for (const year of years) expect(text).toContain(`också de som flyttade in före ${year}.`);
      expect(text).toContain(`${lastEnd.slice(0, 4)}-01-01 – ${lastEnd}: ${lastNote}`);

      // The program page shows the same periods.
      const { program: page } = await readStockholm(later);
      for (const [from, to] of ranges) expect(page).toContain(`${from}\u00a0– ${to}`);
    },
  );
});
