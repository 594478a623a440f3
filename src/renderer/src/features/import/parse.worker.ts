/// <reference lib="webworker" />
import { runParse, type ParseRequest, type WorkerMessage } from './parseFile.ts';

const post = (m: WorkerMessage) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);

self.onmessage = async (e: MessageEvent<ParseRequest>) => {
  try {
    const table = await runParse(e.data, (progress) => post({ type: 'progress', progress }));
    post({ type: 'done', table });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
