// projects/P/project.json: what every batch of a project is annotated with (recipe, labels, regions, Prodigy options).
import { z } from 'zod';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const IdSchema = z
  .string()
  .regex(ID_PATTERN, 'letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((v) => !v.includes('..'), 'must not contain ".."');

export const RECIPES = ['textcat.manual', 'ner.manual', 'spans.manual', 'image.manual', 'audio.manual', 'review'] as const;
export type Recipe = (typeof RECIPES)[number];

// Recipes whose second positional argument is a spaCy pipeline (ner.manual DATASET MODEL SOURCE).
export const RECIPES_WITH_MODEL: ReadonlySet<string> = new Set(['ner.manual', 'spans.manual']);

export const ProjectSchema = z
  .object({
    kind: z.literal('ferry.project'),
    version: z.literal(1),
    name: IdSchema,
    recipe: z.enum(RECIPES),
    labels: z.array(z.string().min(1)).min(1),
    regions: z.array(IdSchema).min(1),
    dataset: IdSchema,
    model: z.string().min(1).optional(),
    prodigyArgs: z.array(z.string()).default([]),
    prodigyConfig: z.record(z.string(), z.unknown()).default({}),
    batchSize: z.number().int().positive().default(50),
    leaseDays: z.number().positive().default(7),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .strict();

export type Project = z.infer<typeof ProjectSchema>;
