import { SummaryReporter } from './summary-reporter.js';

// vitest loads a custom reporter from a module's default export.
export default SummaryReporter;
