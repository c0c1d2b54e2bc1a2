// The objects of a batch's life in S3: manifest, claim, result chunk lines and the submission marker.
// docs/s3-layout.md is the public description of these shapes; keep both in step.
import { z } from 'zod';
import { IdSchema, RECIPES } from './project.ts';

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

export const AssetSchema = z
  .object({
    key: z.string().regex(/^s3:\/\/[^/]+\/.+$/, "an s3://bucket/key URI"), // the raw file (image, PDF, audio) in S3
    path: z.string().min(1), // where it lands under the batch's cache folder
    sha256: Sha256Schema,
    bytes: z.number().int().nonnegative(),
  })
  .strict();
export type Asset = z.infer<typeof AssetSchema>;

export const BatchManifestSchema = z
  .object({
    kind: z.literal('ferry.batch'),
    version: z.literal(1),
    project: IdSchema,
    region: IdSchema,
    batch: IdSchema,
    priority: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string(),
    recipe: z.enum(RECIPES),
    labels: z.array(z.string().min(1)).min(1),
    dataset: IdSchema,
    model: z.string().optional(),
    prodigyArgs: z.array(z.string()).default([]),
    prodigyConfig: z.record(z.string(), z.unknown()).default({}),
    leaseDays: z.number().positive().default(7),
    tasks: z.object({ count: z.number().int().positive(), sha256: Sha256Schema, bytes: z.number().int().positive() }).strict(),
    items: z.array(z.string().min(1)).min(1), // task ids in order: meta.task_id of each line
    assets: z.array(AssetSchema).default([]),
    parent: z.string().optional(), // the batch this one reworks
    strategy: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type BatchManifest = z.infer<typeof BatchManifestSchema>;

export const ClaimSchema = z
  .object({
    kind: z.literal('ferry.claim'),
    version: z.literal(1),
    project: IdSchema,
    region: IdSchema,
    batch: IdSchema,
    annotator: IdSchema,
    claimedAt: z.string(),
    leaseUntil: z.string(),
    renewedAt: z.string().optional(),
    appVersion: z.string(),
  })
  .strict();
export type Claim = z.infer<typeof ClaimSchema>;

export const ChunkRefSchema = z
  .object({ key: z.string(), sha256: Sha256Schema, count: z.number().int().positive(), bytes: z.number().int().positive() })
  .strict();
export type ChunkRef = z.infer<typeof ChunkRefSchema>;

export const SubmissionSchema = z
  .object({
    kind: z.literal('ferry.submission'),
    version: z.literal(1),
    project: IdSchema,
    region: IdSchema,
    batch: IdSchema,
    annotator: IdSchema,
    submittedAt: z.string(),
    chunks: z.array(ChunkRefSchema),
    answers: z.object({ total: z.number().int(), accept: z.number().int(), reject: z.number().int(), ignore: z.number().int() }).strict(),
    tasks: z.number().int(),
    late: z.boolean(),
    appVersion: z.string(),
  })
  .strict();
export type Submission = z.infer<typeof SubmissionSchema>;

// Ferry's context on every published answer line; Prodigy keeps unknown top-level keys, so db-in round-trips it.
export type FerryAnswerContext = {
  readonly project: string;
  readonly region: string;
  readonly batch: string;
  readonly annotator: string;
  readonly task: string;
  readonly source: string | null;
  readonly late: boolean;
};
