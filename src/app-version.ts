// Which hf-fidelity this is: package.json's version (src/ and dist/ both sit one level below it; the image copies it
// too) and the database schema version the program migrates to, for the server's start lines and the tools' --version.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SCHEMA_VERSION } from './db/migrate.js';

const PackageJsonSchema = z.object({ version: z.string().min(1) });

/** package.json's version, e.g. "0.1.0". */
export function readAppVersion(): string {
  return PackageJsonSchema.parse(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))).version;
}

/** "hf-fidelity <package version>, database schema version <SCHEMA_VERSION>": what --version prints. */
export function describeAppVersion(): string {
  return `hf-fidelity ${readAppVersion()}, database schema version ${SCHEMA_VERSION}`;
}
