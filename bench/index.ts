/** `npm run bench`: prints figures; it asserts nothing (speed goals are read from these numbers). */
import { benchEdits } from './edits.ts';
import { benchHistory } from './history.ts';
import { benchHostile } from './hostile.ts';
import { benchInventory } from './inventory.ts';
import { benchLongRun } from './longRun.ts';
import { benchRunDetail } from './runDetail.ts';
import { benchSend } from './send.ts';
import { benchSheets } from './sheets.ts';
import { benchStartup } from './startup.ts';
import { benchTeamHistory } from './teamHistory.ts';

console.log('# Invite Desk benchmarks');

// `npm run bench -- hostile` runs only the hostile-import figures, `-- history` only the history ones (any names).
const all = [
  benchStartup,
  benchSheets,
  benchEdits,
  benchHostile,
  benchSend,
  benchLongRun,
  benchHistory,
  benchRunDetail,
  benchInventory,
  benchTeamHistory,
];
const picked = all.filter((b) => process.argv.slice(2).some((a) => b.name.toLowerCase() === `bench${a.toLowerCase()}`));
// One failing benchmark prints why and the others still run.
for (const bench of picked.length ? picked : all) {
  try {
    await bench();
  } catch (e) {
    console.log(`\n${bench.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  }
}
