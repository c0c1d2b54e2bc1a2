// Shared bits of the S3 integration tests: a Ferry client for a fresh bucket, and a way to catch FerryErrors.
import type { S3Client } from '@aws-sdk/client-s3';
import type { WorkspaceConfig } from '../../../shared/config.ts';
import { createS3Client, type S3ClientOptions } from '../../../electron/s3/client.ts';
import { s3Endpoint } from '../../helpers/s3-fixture.ts';

export { ferryError } from '../../helpers/raw-s3.ts';

export function testConfig(bucket: string, endpoint = s3Endpoint()): WorkspaceConfig {
  return { bucket, prefix: 'ws/', awsRegion: 'us-east-1', endpoint, forcePathStyle: true, annotator: 'ana', region: 'emea', dataDir: '/tmp/ferry-s3-test' };
}

export function ferryClient(bucket: string, endpoint = s3Endpoint(), options: S3ClientOptions = {}): S3Client {
  return createS3Client(testConfig(bucket, endpoint), options);
}
