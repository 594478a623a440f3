/** Lists the files in an app.asar (its JSON header), without extracting. */
import { closeSync, openSync, readSync } from 'node:fs';

type Node = { files?: Record<string, Node> };

export function asarListing(file: string): string[] {
  const fd = openSync(file, 'r');
  try {
    // Pickle header: [4: size of next][4: header pickle size][4: payload size][4: json length][json…]
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    const jsonLength = head.readUInt32LE(12);
    const json = Buffer.alloc(jsonLength);
    readSync(fd, json, 0, jsonLength, 16);
    const out: string[] = [];
    const walk = (node: Node, prefix: string) => {
      for (const [name, child] of Object.entries(node.files ?? {})) {
        out.push(`${prefix}/${name}`);
        walk(child, `${prefix}/${name}`);
      }
    };
    walk(JSON.parse(json.toString('utf8')) as Node, '');
    return out;
  } finally {
    closeSync(fd);
  }
}
