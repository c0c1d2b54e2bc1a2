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

// Where a project's tasks come from: a prefix of raw files (one task per file), or JSONL/CSV task files in S3 or on the lead's disk.
export const PoolSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('files'), uri: z.string().regex(/^s3:\/\/[^/]+\/(.*\/)?$/, 'an s3://bucket/prefix/ URI ending in "/"') }).strict(),
  z.object({ kind: z.literal('tasks'), uri: z.string().regex(/\.(jsonl|csv)$/i, 'a .jsonl or .csv file: s3://bucket/key.jsonl or a path on disk') }).strict(),
]);
export type PoolSource = z.infer<typeof PoolSourceSchema>;
export const PoolSchema = z.object({ sources: z.array(PoolSourceSchema).default([]) }).strict();
export type Pool = z.infer<typeof PoolSchema>;

// Review stages a submitted batch goes through (read by the review work); sample is the share of batches reviewed.
export const ReviewStageSchema = z.object({ name: IdSchema, sample: z.number().min(0).max(1).default(1), reviewers: z.number().int().positive().default(1) }).strict();
export const ReviewPolicySchema = z.object({ stages: z.array(ReviewStageSchema).default([]) }).strict();
export type ReviewPolicy = z.infer<typeof ReviewPolicySchema>;

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
    pool: PoolSchema.default({ sources: [] }),
    review: ReviewPolicySchema.default({ stages: [] }),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .strict();

export type Project = z.infer<typeof ProjectSchema>;
