/// <reference lib="webworker" />
/** The `raw` arm: the raw WebSocket + fetch floor (own script URL). */
import { load } from '../sdk-adapters/raw';
import { serveArm } from './arm';

serveArm('raw', load);
