// The app under the report benchmark, in a process of its own so that the load generator does not share
// its event loop. It builds a temporary database with a municipality of 3 programs, each with 2 final
// reviews on the shipped rubric, and one review in rating elsewhere for the rating form; then it listens
// and prints REPORT-BENCH-READY and JSON. Over IPC it answers 'memory' with its peak RSS (since 'reset-peak')
// and 'cpu' with its CPU time, and stops on 'stop'.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/open-database.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { loadTestRubrics, makeTestApp, SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';
import { createReportScenario } from '../reports/report-fixtures.js';
import { REPORT_BENCH_READY, type ReportBenchCpu, type ReportBenchMemory, type ReportBenchServerReady } from './report-bench-protocol.js';

async function startReportBenchServer(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hf-report-bench-'));
  const databaseFile = join(dataDir, 'bench.sqlite');
  const db = openDatabase(databaseFile);
  // The PDF pool as the server's: one worker kept warm (test apps keep none).
  const testApp = makeTestApp({ db, rubrics: loadTestRubrics([SHIPPED_RUBRIC_FILE]), pdfWorkers: 'production' });
  const s = await createReportScenario({ app: testApp, programs: 3, reviewsPerProgram: 2 });

  // The rating form that everyone else keeps using meanwhile: a review in rating where the reader rates.
  const municipalities = createMunicipalityStore(db);
  const reviews = createReviewStore(db);
  const otherId = municipalities.insertMunicipality({ code: '0126', name: 'Huddinge' });
  const programId = municipalities.insertProgram({
    municipalityId: otherId,
    name: 'Bostad först Huddinge',
    supportProvider: 'Stödteamet',
    housingPartners: '',
    supportModel: 'icm',
    startDate: undefined,
  });
  const lead = s.panel[0];
  if (!lead) throw new Error('no panel');
  const ratingReviewId = reviews.insertReview({
    programId,
    rubric: s.rubric,
    kind: 'peer_review',
    visitStart: '2026-05-19',
    visitEnd: '2026-05-20',
    createdBy: lead.id,
  });
  reviews.setPanelMember(ratingReviewId, lead.id, 'lead');
  reviews.setPanelMember(ratingReviewId, s.reader.id, 'reviewer');
  if (!reviews.transition(ratingReviewId, 'draft', 'rating')) throw new Error('could not start rating');
  const firstSection = s.rubric.rubric.sections[0];
  if (!firstSection) throw new Error('rubric without sections');

  let peakRss = process.memoryUsage().rss;
  setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20).unref();

  const server = testApp.app.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    const ready: ReportBenchServerReady = {
      url: `http://127.0.0.1:${port}`,
      email: s.reader.email,
      password: s.reader.password,
      reportPath: `/municipalities/${s.municipalityCode}/report.pdf?lang=sv`,
      ratingPath: `/reviews/${ratingReviewId}/rate/${firstSection.id}`,
      databaseFile,
      municipalityCode: s.municipalityCode,
    };
    console.log(`${REPORT_BENCH_READY}${JSON.stringify(ready)}`);
  });

  // The renderer keeps a report whose data has not changed (src/reports/report-renderer.ts). 'change' renames the
  // municipality (its name is on the cover), so that the next report is rendered: what a reader waits for after the
  // data changed.
  const municipality = municipalities.findMunicipalityByCode(s.municipalityCode);
  if (!municipality) throw new Error('no municipality');
  let changes = 0;

  process.on('message', (message) => {
    if (message === 'change') {
      changes += 1;
      municipalities.updateMunicipality(municipality.id, { code: s.municipalityCode, name: `${s.municipalityName} ${changes}` });
      process.send?.('changed');
    } else if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      const { majorPageFault, minorPageFault } = process.resourceUsage();
      const cpu: ReportBenchCpu = { user, system, majorPageFaults: majorPageFault, minorPageFaults: minorPageFault };
      process.send?.(cpu);
    } else if (message === 'reset-peak') {
      // From here on: the peak of the reports, not of building the data (argon2 hashes are memory-hard).
      peakRss = process.memoryUsage().rss;
      const memory: ReportBenchMemory = { peakRss, rss: peakRss };
      process.send?.(memory);
    } else if (message === 'memory') {
      const memory: ReportBenchMemory = { peakRss: Math.max(peakRss, process.memoryUsage().rss), rss: process.memoryUsage().rss };
      process.send?.(memory);
    } else if (message === 'stop') {
      server.closeAllConnections();
      server.close(() => {
        db.close();
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
}

await startReportBenchServer();
