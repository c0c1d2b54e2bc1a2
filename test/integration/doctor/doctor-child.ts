// Runs the connection check in a fresh process, so a test controls its whole environment (no AWS keys, own ~/.aws files).
import { runDoctor } from '../../../electron/doctor/doctor.ts';

const report = await runDoctor(JSON.parse(process.argv[2] ?? '{}'));
process.stdout.write(JSON.stringify(report));
