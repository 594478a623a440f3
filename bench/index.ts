/** `npm run bench`: prints figures; it asserts nothing (speed goals are read from these numbers). */
import { benchEdits } from './edits.ts';
import { benchHistory } from './history.ts';
import { benchSend } from './send.ts';
import { benchSheets } from './sheets.ts';

console.log('# Invite Desk benchmarks');
await benchSheets();
await benchEdits();
await benchSend();
await benchHistory();
