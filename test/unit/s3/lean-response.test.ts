// How the lean GET reads S3's answers: its error XML as the SDK names it (so errors.ts classifies both paths alike),
// the SDK's back-off bounds, and clock-skew sampling.
import { describe, expect, it } from 'vitest';
import { classifyS3Error, isRetryable } from '../../../electron/s3/errors.ts';
import { retryDelayMs, s3ErrorFromXml, sampleClockSkew } from '../../../electron/s3/lean-response.ts';

const xml = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Key>k</Key><RequestId>r1</RequestId></Error>`;

describe('s3ErrorFromXml', () => {
  it('names the error by its S3 code, with the status and request id the SDK would give', () => {
    const error = s3ErrorFromXml(404, { 'x-amz-request-id': 'r1' }, xml('NoSuchKey', 'The specified key does not exist.'));
    expect(error).toMatchObject({ name: 'NoSuchKey', Code: 'NoSuchKey', message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404, requestId: 'r1' }, $fault: 'client' });
    expect(classifyS3Error(error, { op: 'GetObject', bucket: 'b', key: 'a/k' }).message).toBe('s3://b/a/k does not exist.');
  });

  it('decodes XML entities in the message', () => {
    expect(s3ErrorFromXml(403, {}, xml('AccessDenied', 'a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;')).message).toBe(`a <b> & "c" 'd'`);
  });

  it('without a body, falls back to the name the SDK uses for the status', () => {
    expect(s3ErrorFromXml(404, {}, '').name).toBe('NotFound');
    expect(s3ErrorFromXml(503, {}, '')).toMatchObject({ name: 'ServiceUnavailable', $fault: 'server' });
    expect(s3ErrorFromXml(418, {}, 'not xml').name).toBe('HTTP418');
  });

  it('classifies like the SDK path: credentials, throttling, redirects', () => {
    const signature = s3ErrorFromXml(403, {}, xml('SignatureDoesNotMatch', 'The request signature we calculated does not match'));
    expect(classifyS3Error(signature, { op: 'GetObject', bucket: 'b', key: 'k' }).code).toBe('credentials-invalid');
    expect(isRetryable(signature)).toBe(false);
    const slow = s3ErrorFromXml(503, {}, xml('SlowDown', 'Please reduce your request rate.'));
    expect(isRetryable(slow)).toBe(true);
    const moved = s3ErrorFromXml(301, { 'x-amz-bucket-region': 'eu-west-1' }, xml('PermanentRedirect', 'use the other endpoint'));
    expect(classifyS3Error(moved, { op: 'GetObject', bucket: 'b', key: 'k' }).message).toBe('The bucket b is in region eu-west-1, not the one in Settings; set awsRegion to eu-west-1.');
  });
});

describe('retryDelayMs', () => {
  it('stays within the SDK bounds: 100 ms × 2^n, 500 ms × 2^n when throttled, never over 20 s', () => {
    const plain = s3ErrorFromXml(500, {}, xml('InternalError', 'x'));
    const throttled = s3ErrorFromXml(503, {}, xml('SlowDown', 'x'));
    for (let i = 0; i < 200; i += 1) {
      expect(retryDelayMs(plain, 1)).toBeLessThan(200);
      expect(retryDelayMs(throttled, 2)).toBeLessThan(2000);
      expect(retryDelayMs(throttled, 30)).toBeLessThanOrEqual(20_000);
      expect(retryDelayMs(plain, 1)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('sampleClockSkew', () => {
  it('takes the offset from the server Date, and corrects an offset 5 minutes or more off, once', () => {
    const config = { systemClockOffset: 0 };
    const tenMinutesAhead = new Date(Date.now() + 600_000).toUTCString();
    expect(sampleClockSkew(config, { date: tenMinutesAhead }, { at: Date.now(), offset: 0 })).toBe(true);
    expect(config.systemClockOffset).toBeGreaterThan(590_000);
    // Signed with the corrected offset already: nothing new to retry for.
    expect(sampleClockSkew(config, { date: tenMinutesAhead }, { at: Date.now(), offset: config.systemClockOffset })).toBe(false);
  });

  it('ignores a missing or cached (Age) Date', () => {
    const config = { systemClockOffset: 5 };
    expect(sampleClockSkew(config, {}, { at: Date.now(), offset: 5 })).toBe(false);
    expect(sampleClockSkew(config, { date: new Date(0).toUTCString(), age: '10' }, { at: Date.now(), offset: 5 })).toBe(false);
    expect(config.systemClockOffset).toBe(5);
  });
});
