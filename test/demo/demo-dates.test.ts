// The demo's dates follow the day it is seeded on (the services' clock): seeded years after the story's 2026, it moves
// every date and every year its texts name by the same whole number of years, so it still looks current.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSettableClock } from '../../src/clock.js';
import { migrate } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed-demo.js';
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

describe('the demo seeded years after the story', { timeout: 120_000 }, () => {
  it('when seeded on 2029-05-10, then no stored date is after that day and every date and year is the story’s two years on', async () => {
    const story = await seededOn(STORY_DAY);
    const later = await seededOn('2029-05-10');

    // Due dates are plans and lie ahead; everything that happened lies on or before the seed day, and none on 29 February.
    const happened = listStoredDates(later.db).filter(({ where }) => where !== 'actions.due_on');
    expect(happened.length).toBeGreaterThan(500);
    expect(happened.filter(({ value }) => value.slice(0, 10) > later.day)).toEqual([]);
    expect(listStoredDates(later.db).filter(({ value }) => value.slice(4, 10) === '-02-29')).toEqual([]);
    expect(
      happened
        .map(({ value }) => value.slice(0, 10))
        .sort()
        .at(-1),
    ).toBe('2028-11-16');

    // The same demo, row for row, with every year moved by two: dates, due dates, texts, the audit log's values.
    const moved = Object.fromEntries(
      Object.entries(dumpTables(story.db)).map(([table, rows]) => [
        table,
        rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, moveYears(value, 2)]))),
      ]),
    );
    expect(dumpTables(later.db)).toEqual(moved);
    expect(later.summary.firstRound.visitStart).toBe('2026-03-12');
  });

  it('when seeded on 2029-05-10, then its texts and its report name the moved years', async () => {
    const { db, summary } = await seededOn('2029-05-10');
    const reviews = createReviewStore(db);
    const barriers = reviews
      .listBarriers(summary.finalReview.id)
      .map((barrier) => barrier.text)
      .join(' ');
    expect(barriers).toContain('två av de fyra tjänsterna var vakanta från hösten 2027');
    expect(barriers).toContain('Den ena tjänsten tillsattes 20 april 2028, efter besöket.');
    expect(reviews.findFactualCheck(summary.finalReview.id)?.corrections).toContain('vakanta sedan hösten 2027');
    expect(reviews.findEvidenceBase(summary.finalReview.id)?.documents).toContain('Verksamhetsplan 2028');

    const { app } = makeTestApp({ db, clock: clockOn('2029-05-10') });
    const admin = await loginAgent(app, 'admin@demo.example', DEMO_PASSWORD);
    const response = await admin.get('/municipalities/0180/report.pdf?lang=sv').buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const text = normalizeSpace(extractPdfText(response.body as Buffer));
    expect(text).toContain('för faktagranskning 8 april 2028');
    expect(text).toContain('Slutförd 6 maj 2028');
    expect(text).toContain('mellan 6 november 2028 och 6 maj 2029');
    expect(text).toContain('Genomfört: ändringen gäller i alla nya ärenden sedan hösten 2026.');
    expect(text).toContain('Sedan starten i juni 2012.');
    // The story's own wording of 2026 is gone (2026 itself stays: the first round, two years back, is in it).
    expect(text).not.toContain('hösten 2025');
    expect(text).not.toContain('20 april 2026');
    expect(text).not.toContain('Verksamhetsplan 2026');
  });

  it('when seeded on 2029-12-10, then the same actions are overdue, the next review is not, and the rating is part-way', async () => {
    // The story's time of year three years on: moved by whole years, the demo shows the picture of 7 December when
    // seeded from 16 November to 31 December (README, Demo).
    const story = await seededOn(STORY_DAY);
    const later = await seededOn('2029-12-10');
    const [before, after] = await Promise.all([readStockholm(story), readStockholm(later)]);

    const overdue = readOverdue(before.plan);
    expect(overdue).toHaveLength(7);
    expect(overdue.filter(([recommendation]) => recommendation?.startsWith('”Antal deltagare per case manager”'))).toHaveLength(1);
    expect(readOverdue(after.plan)).toEqual(overdue.map((row) => row.map((cell) => moveYears(cell, 3))));

    expect(before.program).toContain('senast 6 maj 2027');
    expect(after.program).toContain('senast 6 maj 2030');
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
  });
});
