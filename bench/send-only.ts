import { benchSend } from './send.ts';

console.log('# Invite Desk send benchmark');
await benchSend();
