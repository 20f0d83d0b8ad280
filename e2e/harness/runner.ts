/**
 * The test harness's runner page (test build only): the production runner page
 * (src/runner/page.ts, `window.__lab`) with test arms, the real arms wrapped (test-arm.ts), in
 * place of the arms its URL names (test-arms.ts).
 */
import './test-arms';
import '../../src/runner/page';
