/**
 * Two members' apps on one team workspace, each built as the app's entry builds it (workspaceDeps on the chosen
 * config), each with its own computer's database and keychain: a profile and a sheet made by Ana are there for Ben,
 * who enters his own key; Ana's run is in Ben's list and in his review's history, so Ben's send of the same sheet
 * invites nobody twice. Then the team database goes away under Ben: his calls wait, and the Workspace service says
 * since when.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTeamPool } from '../../../src/main/adapters/teamPool.ts';
import { startClerkEmulator } from '../../../src/main/emulator/server.ts';
import { dispatch } from '../../../src/main/ipc/dispatch.ts';
import { systemClock } from '../../../src/main/services/lifecycle/clock.ts';
import { createMemorySecretStore } from '../../../src/main/services/secrets/secretStore.ts';
import { workspaceDeps } from '../../../src/main/services/team/workspaceDeps.ts';
import type { ProfilesState, ProfileView } from '../../../src/shared/domain/profile.ts';
import type { RunReview, RunSummary } from '../../../src/shared/domain/send/types.ts';
import type { SheetSummary } from '../../../src/shared/domain/sheet/types.ts';
import { defaultSettings } from '../../../src/shared/domain/sheet/types.ts';
import { makeServices } from '../../helpers/mainServices.ts';
import { freshPgUrl } from '../../helpers/pgDatabase.ts';
import { ok } from '../../helpers/result.ts';
import { startTcpProxy } from '../../helpers/tcpProxy.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('two members on one team workspace', () => {
  it(
    'share profiles (each their own key), sheets and runs; the review reads the team’s history; a lost database is waited for',
    {
      timeout: 60_000,
    },
    async () => {
      const emulator = await startClerkEmulator({ rateLimits: { enabled: false }, instances: [{ environment: 'development' }] });
      cleanups.push(() => emulator.close());
      const url = new URL(await freshPgUrl());
      const proxy = await startTcpProxy(Number(url.port));
      cleanups.push(() => proxy.close());
      url.port = String(proxy.port);
      const config = { kind: 'team' as const, url: url.toString(), tls: false, fourEyes: false };
      const waits: Record<string, (number | null)[]> = { ana: [], ben: [] };
      const member = (name: 'ana' | 'ben') => {
        const secrets = createMemorySecretStore();
        const deps = workspaceDeps(config, {
          secrets,
          openPool: openTeamPool,
          clock: systemClock,
          member: `${name} on ${name}-laptop`,
          workspace: { waiting: (s) => waits[name]!.push(s), refused: () => {}, bindRetry: () => {} },
        });
        // Each with its own computer's database (makeServices opens a fresh one) and keychain.
        const s = makeServices(secrets, undefined, deps);
        cleanups.push(() => s.close());
        return s;
      };
      const ana = member('ana');
      const ben = member('ben');

      const profile = ok<ProfileView>(
        await dispatch(ana.handlers, 'profiles:add', {
          name: 'Acme dev',
          secretKey: emulator.instance.secretKey,
          baseUrl: emulator.apiUrl,
        }),
      );
      const sheet = ok<SheetSummary>(
        await dispatch(ana.handlers, 'sheets:create', {
          name: 'Team sheet',
          settings: { ...defaultSettings(), notify: false },
          columns: [{ id: 'c0', header: 'Email', target: { kind: 'field', field: 'email' } }],
          rows: [['ann@two.test'], ['bob@two.test'], ['cat@two.test']],
        }),
      );
      // Ben sees Ana's profile without a key of his own, and her sheet.
      const bens = ok<{ profiles: ProfileView[] }>(await dispatch(ben.handlers, 'profiles:list', undefined)).profiles;
      expect(bens.find((p) => p.id === profile.id)).toMatchObject({ name: 'Acme dev', keyMissing: true });
      expect(ok<SheetSummary[]>(await dispatch(ben.handlers, 'sheets:list', undefined)).map((x) => x.id)).toContain(sheet.id);
      ok(await dispatch(ben.handlers, 'profiles:replaceKey', { id: profile.id, secretKey: emulator.instance.secretKey }));

      const { runId } = ok<{ runId: string }>(await dispatch(ana.handlers, 'runs:start', { sheetId: sheet.id, profileId: profile.id }));
      await ana.engine.settled(runId);
      expect(ok<RunSummary[]>(await dispatch(ben.handlers, 'runs:list', undefined)).map((r) => [r.id, r.state, r.counts.sent])).toEqual([
        [runId, 'finished', 3],
      ]);
      // Ben's review of the same sheet: everyone was invited from this instance by Ana.
      const review = ok<RunReview>(await dispatch(ben.handlers, 'runs:review', { sheetId: sheet.id, profileId: profile.id }));
      expect(review.toSend).toBe(0);
      expect(review.history.map((g) => [g.key, g.rows.length])).toEqual([['pending', 3]]);
      expect(emulator.instance.invitations).toHaveLength(3);

      // The team database goes away: Ben's list waits instead of failing, and the Workspace service is told since when.
      await proxy.cut();
      const listed = dispatch(ben.handlers, 'runs:list', undefined);
      await expect.poll(() => waits['ben']!.length, { interval: 20, timeout: 20_000 }).toBeGreaterThan(0);
      await proxy.restore();
      expect(ok<RunSummary[]>(await listed).map((r) => r.id)).toEqual([runId]);
      expect(waits['ben']).toEqual([expect.any(Number), null]);

      // The profile is the team's: the state says so (the confirmation asks “for the whole team?”). Deleting it with
      // its history is refused before anything goes (Ana's run is in it); keeping the history, it goes for Ana too.
      const ids = async (who: typeof ana) =>
        ok<ProfilesState>(await dispatch(who.handlers, 'profiles:list', undefined)).profiles.map((p) => p.id);
      expect(ok<ProfilesState>(await dispatch(ben.handlers, 'profiles:list', undefined)).team).toBe(true);
      expect(await dispatch(ben.handlers, 'profiles:delete', { id: profile.id, keepHistory: false })).toMatchObject({
        ok: false,
        error: { code: 'team_history' },
      });
      expect(await ids(ana)).toContain(profile.id);
      ok(await dispatch(ben.handlers, 'profiles:delete', { id: profile.id, keepHistory: true }));
      expect(await ids(ana)).not.toContain(profile.id);
      expect(ok<RunSummary[]>(await dispatch(ana.handlers, 'runs:list', undefined)).map((r) => r.id)).toEqual([runId]);
    },
  );
});
