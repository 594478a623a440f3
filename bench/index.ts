/** `npm run bench`: prints figures; it asserts nothing (speed goals are read from these numbers). */
import { benchEdits } from './edits.ts';
import { benchHistory } from './history.ts';
import { benchHostile } from './hostile.ts';
import { benchLongRun } from './longRun.ts';
import { benchRunDetail } from './runDetail.ts';
import { benchSend } from './send.ts';
import { benchSheets } from './sheets.ts';
import { benchStartup } from './startup.ts';

console.log('# Invite Desk benchmarks');

// `npm run bench -- hostile` runs only the hostile-import figures.
const all = [benchStartup, benchSheets, benchEdits, benchHostile, benchSend, benchLongRun, benchHistory, benchRunDetail];
// One failing benchmark prints why and the others still run.
for (const bench of process.argv.includes('hostile') ? [benchHostile] : all) {
  try {
    await bench();
  } catch (e) {
    console.log(`\n${bench.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  }
}
