/** `npm run bench`: prints figures; it asserts nothing (speed goals are read from these numbers). */
import { benchEdits } from './edits.ts';
import { benchHistory } from './history.ts';
import { benchLongRun } from './longRun.ts';
import { benchRunDetail } from './runDetail.ts';
import { benchSend } from './send.ts';
import { benchSheets } from './sheets.ts';
import { benchStartup } from './startup.ts';

console.log('# Invite Desk benchmarks');
await benchStartup();
await benchSheets();
await benchEdits();
await benchSend();
await benchLongRun();
await benchHistory();
await benchRunDetail();
