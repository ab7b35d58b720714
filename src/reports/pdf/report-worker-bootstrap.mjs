// Entry of the report worker thread. On Node 20 a worker does not inherit tsx's loader from the thread
// that starts it, so this plain-JavaScript file registers tsx first and then loads the TypeScript worker.
// It works the same under `tsx` (npm start, npm run dev) and under vitest.
import { register } from 'tsx/esm/api';

register();
await import('./report-worker.ts');
