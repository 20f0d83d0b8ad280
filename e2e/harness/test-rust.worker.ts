/// <reference lib="webworker" />
/** The `rust` arm wrapped as a test arm (test-arm.ts), under its own script URL. */
import { load } from '../../src/sdk-adapters/rust';
import { serveTestArm } from './test-arm';

serveTestArm('rust', load);
