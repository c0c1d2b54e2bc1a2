// Tests start the same local S3 server the demo uses.
export { freePort, MOTO_MISSING, startMoto, type MotoServer } from '../../electron/demo/local-s3.ts';
