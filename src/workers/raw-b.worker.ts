/// <reference lib="webworker" />
/**
 * The second copy of the `raw` arm for A/A runs: the same code under its own script URL, so both
 * copies are told apart by URL (memory attribution, CDP targets). A query string would not do:
 * chunks the SDK loads lazily import the entry back by its plain URL, which would evaluate the
 * entry a second time (two harnesses answering every call).
 */
import { load } from '../sdk-adapters/raw';
import { serveArm } from './arm';

serveArm('raw', load);
