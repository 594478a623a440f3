/**
 * The Insights charts' aggregates over the local copy, per instance or per run: the acceptance curve (made vs accepted
 * per day, cumulative), pending by age, expiring in the next 14 days, acceptance by domain and by a metadata key's
 * values. SQL does the counting; what crosses IPC is a few dozen numbers a chart.
 */
import type { Insights } from '../../../shared/domain/inventory/types.ts';
import type { Db, SqlValue } from '../db/types.ts';
import { bucketRow, countRow, insightRunRow, metadataKeyRow, rateRow } from './inventoryTable.ts';

const DAY = 86_400_000;
const AGES: [string, number, number][] = [
  ['under 1 day', 0, 1],
  ['1–3 days', 1, 3],
  ['3–7 days', 3, 7],
  ['1–2 weeks', 7, 14],
  ['2–4 weeks', 14, 30],
  ['over 30 days', 30, 100_000],
];
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

export function insightsOf(db: Db, q: { profileId: string; runId?: string; metadataKey?: string; now: number }): Insights {
  const t0 = performance.now();
  const scope = q.runId ? 'profile_id = ? AND run_id = ?' : 'profile_id = ?';
  const p: SqlValue[] = q.runId ? [q.profileId, q.runId] : [q.profileId];
  const all = (sql: string, ...extra: SqlValue[]) => db.prepare(sql).all(...p, ...extra);
  const counted = db.prepare(`SELECT count(*) AS n FROM inventory WHERE ${scope}`).get(...p);
  const total = counted ? countRow(counted) : 0;

  // Days as Unix day numbers (UTC), the last 90 with any activity at most.
  const made = new Map(all(`SELECT created_at / ${DAY} AS d, count(*) AS n FROM inventory WHERE ${scope} GROUP BY d`).map(bucketRow));
  const acc = new Map(
    all(`SELECT updated_at / ${DAY} AS d, count(*) AS n FROM inventory WHERE ${scope} AND status = 'accepted' GROUP BY d`).map(bucketRow),
  );
  const days = [...new Set([...made.keys(), ...acc.keys()])].sort((a, b) => a - b);
  const first = days.length ? Math.max(days[0]!, days.at(-1)! - 89) : 0;
  const curve: Insights['curve'] = [];
  let sentTotal = [...made].filter(([d]) => d < first).reduce((n, [, v]) => n + v, 0);
  let acceptedTotal = [...acc].filter(([d]) => d < first).reduce((n, [, v]) => n + v, 0);
  for (let d = first; days.length && d <= days.at(-1)!; d++) {
    const sent = made.get(d) ?? 0;
    const accepted = acc.get(d) ?? 0;
    sentTotal += sent;
    acceptedTotal += accepted;
    curve.push({ day: isoDay(d * DAY), sent, accepted, sentTotal, acceptedTotal });
  }

  const live = `status = 'pending' AND (expires_at IS NULL OR expires_at > ?)`;
  const ages = new Map(
    all(
      `SELECT (${Math.floor(q.now)} - created_at) / ${DAY} AS d, count(*) AS n FROM inventory WHERE ${scope} AND ${live} GROUP BY d`,
      q.now,
    ).map(bucketRow),
  );
  const pendingByAge = AGES.map(([label, from, to]) => ({
    label,
    count: [...ages].filter(([a]) => a >= from && a < to).reduce((n, [, c]) => n + c, 0),
  }));

  const soon = new Map(
    all(
      `SELECT expires_at / ${DAY} AS d, count(*) AS n FROM inventory WHERE ${scope} AND ${live} AND expires_at <= ? GROUP BY d`,
      q.now,
      q.now + 14 * DAY,
    ).map(bucketRow),
  );
  const today = Math.floor(q.now / DAY);
  const expiring = Array.from({ length: 15 }, (_, i) => ({ day: isoDay((today + i) * DAY), count: soon.get(today + i) ?? 0 }));

  const rate = (sql: string, ...extra: SqlValue[]) => all(sql, ...extra).map(rateRow);
  const byDomain = rate(
    `SELECT domain AS label, count(*) AS total, sum(status = 'accepted') AS accepted FROM inventory WHERE ${scope}
     GROUP BY domain ORDER BY total DESC LIMIT 10`,
  );
  const metadataKeys = all(
    `SELECT DISTINCT j.key AS k FROM (SELECT public_metadata FROM inventory WHERE ${scope} LIMIT 2000) i, json_each(i.public_metadata) j
     ORDER BY k LIMIT 50`,
  ).map(metadataKeyRow);
  const metadataKey = q.metadataKey && metadataKeys.includes(q.metadataKey) ? q.metadataKey : (metadataKeys[0] ?? null);
  const byMetadata =
    metadataKey === null
      ? []
      : db
          .prepare(
            `SELECT json_extract(public_metadata, ?) AS label, count(*) AS total, sum(status = 'accepted') AS accepted
             FROM inventory WHERE ${scope} GROUP BY label ORDER BY total DESC LIMIT 10`,
          )
          .all(`$."${metadataKey.replace(/"/g, '""')}"`, ...p)
          .map(rateRow);
  const runs = db
    .prepare(
      `SELECT run_id, max(run_name) AS run_name, max(created_at) AS latest FROM inventory WHERE profile_id = ? AND run_id IS NOT NULL
       GROUP BY run_id ORDER BY latest DESC LIMIT 200`,
    )
    .all(q.profileId)
    .map(insightRunRow);
  return { curve, pendingByAge, expiring, byDomain, byMetadata, metadataKeys, metadataKey, runs, total, ms: performance.now() - t0 };
}
