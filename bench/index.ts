/** `npm run bench`: prints figures; it asserts nothing (speed goals are read from these numbers). */
import { benchSheets } from './sheets.ts';

console.log('# Invite Desk benchmarks');
await benchSheets();
