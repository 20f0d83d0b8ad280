/** The scenario registry: ids are stable keys in results and history. Order = run order. */
import { attach } from './attach';
import { coldStart } from './cold-start';
import { connect } from './connect';
import { memoryScenarios } from './memory';
import { publishAck } from './publish-ack';
import { publishEcho } from './publish-echo';
import { publishThroughput } from './publish-throughput';
import { recovery } from './recovery';
import { restPublishScenarios } from './rest-publish';
import type { Scenario } from './scenario';
import { subscribeThroughputScenarios } from './subscribe-throughput';
import { wsRoundtrip } from './ws-roundtrip';

export const SCENARIOS: readonly Scenario[] = [
  ...restPublishScenarios,
  wsRoundtrip,
  connect,
  attach,
  publishAck,
  publishEcho,
  publishThroughput,
  ...subscribeThroughputScenarios,
  recovery,
  ...memoryScenarios,
  coldStart,
] as Scenario[];

export function scenarioById(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.meta.id === id);
}

export type { Scenario } from './scenario';
