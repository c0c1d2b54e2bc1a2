// Gives a test its own bucket on the shared moto_server, and a plain SDK client to inspect it independently of Ferry.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export function s3Endpoint(): string {
  return inject('s3Endpoint');
}

export function rawClient(endpoint = s3Endpoint()): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_CREDENTIALS });
}

export async function freshBucket(endpoint = s3Endpoint()): Promise<string> {
  const name = `t-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  await rawClient(endpoint).send(new CreateBucketCommand({ Bucket: name }));
  return name;
}
