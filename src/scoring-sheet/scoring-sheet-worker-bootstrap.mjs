// Entry of a scoring-sheet worker thread. On Node 20 a worker does not inherit tsx's loader from the thread that
// starts it, so this plain-JavaScript file registers tsx first and then loads the TypeScript worker (as the report
// worker does).
import { register } from 'tsx/esm/api';

register();
await import('./scoring-sheet-worker.ts');
