import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { gatherReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { createReportRenderer, RendererBusyError, type ReportJob } from '../../src/reports/report-renderer.js';
import { createReportScenario, type ReportScenario } from './report-fixtures.js';

let shared: Promise<ReportScenario> | undefined;

/** A municipality with one mini-five review, made once for the file: every test only reads it. */
function miniFiveScenario(): Promise<ReportScenario> {
  shared ??= createReportScenario({ rubricId: 'mini-five' });
  return shared;
}

async function makeJob(): Promise<ReportJob> {
  return gatherJob(await miniFiveScenario());
}

/** The job as the route makes it: the data read from the database. */
function gatherJob(s: ReportScenario): ReportJob {
  const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
  if (gathered.kind !== 'ok') throw new Error(gathered.kind);
  return { data: gathered.data, locale: 'sv' };
}

// Each test starts worker threads (tsx registers itself in each): slow on a loaded machine.
describe('createReportRenderer', { timeout: 60_000 }, () => {
  it('when in the default mode, then it builds and renders in a worker thread, with the same bytes as on this thread', async () => {
    const job = await makeJob();
    const renderer = createReportRenderer();
    try {
      const inWorker = await renderer.render(job);
      expect(inWorker.threadId).not.toBe(threadId);
      expect(inWorker.threadId).toBeGreaterThan(0);
      expect(inWorker.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const inline = await createReportRenderer({ mode: 'inline' }).render(job);
      expect(inline.threadId).toBe(threadId);
      expect(Buffer.compare(inWorker.pdf, inline.pdf)).toBe(0);
      expect(inWorker.pageCount).toBe(inline.pageCount);
      expect(inWorker.verificationCode).toBe(buildReportModel(job.data, job.locale).verification.code);
      // The worker is reused for the next report.
      expect((await renderer.render(job)).threadId).toBe(inWorker.threadId);
    } finally {
      await renderer.close();
    }
  });

  it('when fonts and word shapes are reused from earlier reports, then the bytes are those of a fresh render', async () => {
    const job = await makeJob();
    const english: ReportJob = { ...job, locale: 'en' };
    const warm = createReportRenderer({ mode: 'inline' });
    const first = await warm.render(job);
    await warm.render(english);
    const again = await warm.render(job);
    const fresh = await createReportRenderer({ mode: 'inline' }).render(job);
    expect(Buffer.compare(again.pdf, first.pdf)).toBe(0);
    expect(Buffer.compare(again.pdf, fresh.pdf)).toBe(0);
  });

  it('when a kept report is asked for again with the same job, then it is sent as it was; a change of data is rendered anew', async () => {
    const s = await miniFiveScenario();
    const job = gatherJob(s);
    const renderer = createReportRenderer({ mode: 'inline' });
    const first = await renderer.render(job, 'municipality:sv');
    // The data read again, unchanged: the same object, not rendered again.
    expect(await renderer.render(gatherJob(s), 'municipality:sv')).toBe(first);
    const english = await renderer.render({ ...job, locale: 'en' }, 'municipality:en');
    expect(english).not.toBe(first);
    expect(english.pdf.toString('latin1')).toContain('/Lang (en-GB)');
    expect(await renderer.render(job, 'municipality:sv')).toBe(first);
    // The municipality renamed: a new report, which takes the old one's place.
    const renamed: ReportJob = { ...job, data: { ...job.data, municipality: { ...job.data.municipality, name: 'Nyköping' } } };
    const other = await renderer.render(renamed, 'municipality:sv');
    expect(other).not.toBe(first);
    expect(Buffer.compare(other.pdf, first.pdf)).not.toBe(0);
    expect(await renderer.render(renamed, 'municipality:sv')).toBe(other);
    const before = await renderer.render(job, 'municipality:sv');
    expect(before).not.toBe(first);
    expect(Buffer.compare(before.pdf, first.pdf)).toBe(0);
  });

  it('when a report is asked for without a name, then it is rendered every time and not kept', async () => {
    const job = await makeJob();
    const renderer = createReportRenderer({ mode: 'inline' });
    const first = await renderer.render(job);
    const second = await renderer.render(job);
    expect(second).not.toBe(first);
    expect(Buffer.compare(second.pdf, first.pdf)).toBe(0);
  });

  it('when the kept reports would pass their bytes, then the least recently asked for is dropped', async () => {
    const job = await makeJob();
    const english: ReportJob = { ...job, locale: 'en' };
    const size = (await createReportRenderer({ mode: 'inline', keptBytes: 0 }).render(job)).pdf.byteLength;
    // Room for one report of this size and not two.
    const renderer = createReportRenderer({ mode: 'inline', keptBytes: Math.round(size * 1.5) });
    const swedish = await renderer.render(job, 'sv');
    expect(await renderer.render(job, 'sv')).toBe(swedish);
    await renderer.render(english, 'en');
    const again = await renderer.render(job, 'sv');
    expect(again).not.toBe(swedish);
    expect(Buffer.compare(again.pdf, swedish.pdf)).toBe(0);
  });

  it('when more reports are asked for than it runs and queues, then the excess fails fast with RendererBusyError', async () => {
    const job = await makeJob();
    const renderer = createReportRenderer({ maxWorkers: 1, maxQueue: 1 });
    try {
      const running = renderer.render(job);
      const queued = renderer.render(job);
      await expect(renderer.render(job)).rejects.toBeInstanceOf(RendererBusyError);
      const [first, second] = await Promise.all([running, queued]);
      expect(Buffer.compare(first.pdf, second.pdf)).toBe(0);
    } finally {
      await renderer.close();
    }
  });

  it('when a render takes longer than the time limit, then it fails instead of waiting for ever', async () => {
    const job = await makeJob();
    const renderer = createReportRenderer({ maxWorkers: 1, timeoutMs: 1 });
    try {
      await expect(renderer.render(job)).rejects.toThrow(/longer than 1 ms/);
    } finally {
      await renderer.close();
    }
  });

  it('when closed, then waiting renders are rejected and new ones refused', async () => {
    const job = await makeJob();
    const renderer = createReportRenderer({ maxWorkers: 1 });
    const outcomes = Promise.allSettled([renderer.render(job), renderer.render(job)]);
    await renderer.close();
    const [running, waiting] = await outcomes;
    expect(running?.status).toBe('rejected');
    expect(waiting?.status === 'rejected' ? String(waiting.reason) : '').toMatch(/closed/);
    await expect(renderer.render(job)).rejects.toThrow(/closed/);
  });
});
