/**
 * What one test arm is told to do, and how it travels: in the worker's name. The runner names the
 * workers it spawns; the harness page (runner.ts) appends these options to the names of test arms,
 * and the test arm (test-arm.ts) reads them back before its first message. A query string on the
 * script URL would not do: the SDK's lazily loaded chunks import the entry back by its plain URL
 * (src/workers/js-b.worker.ts explains it).
 */
import type { TestFault } from '../../src/cli/test-harness';

export interface TestArmOptions {
  /** Factor > 1 (slowdown.ts). */
  slowdown?: number;
  fault?: TestFault;
}

const MARK = ' test-arm ';

export function testArmName(name: string, o: TestArmOptions): string {
  return `${name}${MARK}${JSON.stringify(o)}`;
}

export function testArmOptions(name: string): TestArmOptions {
  const i = name.indexOf(MARK);
  return i < 0 ? {} : (JSON.parse(name.slice(i + MARK.length)) as TestArmOptions);
}
