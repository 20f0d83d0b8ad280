/// <reference lib="webworker" />
/** The `rust` arm: our Rust SDK compiled to wasm (own script URL). */
import { load } from '../sdk-adapters/rust';
import { serveArm } from './arm';

serveArm('rust', load);
