/// <reference lib="webworker" />
/** The `js` arm: ably-js 2.x (own script URL, so memory is attributed to it). */
import { load } from '../sdk-adapters/js';
import { serveArm } from './arm';

serveArm('js', load);
