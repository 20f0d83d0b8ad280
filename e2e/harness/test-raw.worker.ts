/// <reference lib="webworker" />
/** The `raw` arm wrapped as a test arm (test-arm.ts), under its own script URL. */
import { load } from '../../src/sdk-adapters/raw';
import { serveTestArm } from './test-arm';

serveTestArm('raw', load);
