/** Run states as people say them (the stored states are lower-case words for code). */
import type { RunState } from '../../../../shared/domain/send/types.ts';

export const RUN_STATE_LABEL: Record<RunState, string> = {
  running: 'Running',
  paused: 'Paused',
  finished: 'Finished',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};
export const RUN_STATES = Object.keys(RUN_STATE_LABEL) as RunState[];
