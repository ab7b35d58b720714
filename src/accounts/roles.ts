import { z } from 'zod';

export const ROLES = ['admin', 'coordinator', 'reviewer', 'program_lead', 'researcher'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);
