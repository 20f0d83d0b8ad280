/// <reference lib="webworker" />
/** The `js` arm wrapped as a test arm (test-arm.ts), under its own script URL. */
import { load } from '../../src/sdk-adapters/js';
import { serveTestArm } from './test-arm';

serveTestArm('js', load);
