import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { gatherReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { createReportRenderer, RendererBusyError, type ReportJob } from '../../src/reports/report-renderer.js';
import { createReportScenario } from './report-fixtures.js';

async function makeJob(): Promise<ReportJob> {
  const s = await createReportScenario({ rubricId: 'mini-five' });
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
