import { NotFoundError } from '../errors.js';
import { idParam } from '../http/form-fields.js';
import type { MunicipalityStore, Program } from './municipality-store.js';

/** The program named by a route parameter; a malformed or unknown id is a 404. */
export function loadProgramOr404(municipalities: MunicipalityStore, rawId: unknown): Program {
  const id = idParam.safeParse(rawId);
  const program = id.success ? municipalities.findProgramById(id.data) : undefined;
  if (!program) throw new NotFoundError();
  return program;
}
