/**
 * Four eyes on production, with two members: two app windows, each with its own main services (own database, own
 * profile of the instance), sharing one approvals store (the in-memory twin standing in for the team database's
 * approvals table, whose contract suite runs on PostgreSQL too) and one Clerk emulator.
 * Ana prepares a production send → it waits; Ben opens it, sees the same counts, types the name, approves → the run
 * goes on Ben's computer and finishes; Ana cannot approve her own, and sees it started by Ben.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { startClerkEmulator, type ClerkEmulator } from '../../src/main/emulator/server.ts';
import { testSecretStore } from '../helpers/keyring.ts';
import { makeServices } from '../helpers/mainServices.ts';
import { memoryApprovals } from '../helpers/memoryApprovals.ts';
import { bridgeRenderer } from '../helpers/rendererBridge.ts';
import { invitationsPerEmail } from '../helpers/runFixture.ts';
import { serveStatic } from '../helpers/staticServer.ts';
import { checkScreen } from './a11y.ts';
import type { Harness } from './harness.ts';
import { addProductionProfile, profileSelectShortBy } from './profileHelpers.ts';

const RENDERER_DIR = join(import.meta.dirname, '../../out/renderer');
type Member = { page: Page; emulator: ClerkEmulator; open(): Promise<void> };

const test = base.extend<{ team: { ana: Member; ben: Member; emulator: ClerkEmulator } }>({
  team: async ({ browser }, use) => {
    const emulator = await startClerkEmulator({
      rateLimits: { enabled: false },
      instances: [{ environment: 'development' }, { environment: 'production' }],
    });
    const server = await serveStatic(RENDERER_DIR);
    const approvals = memoryApprovals();
    const closers: (() => Promise<void>)[] = [];
    const member = async (name: string): Promise<Member> => {
      const context = await browser.newContext();
      const page = await context.newPage();
      let emit: (event: string, payload: unknown) => void = () => {};
      const services = makeServices(testSecretStore(), (event, payload) => emit(event, payload), {
        approvals,
        fourEyes: true,
        member: name,
        approvalsWatchMs: 250, // a teammate's request or decision shows up within a quarter second
        runWindowMs: 3000,
        backoffBaseMs: 50,
      });
      emit = await bridgeRenderer(page, services.handlers);
      closers.push(async () => {
        await context.close();
        await services.close();
      });
      return {
        page,
        emulator,
        open: async () => {
          await page.goto(server.url);
          await expect(page.getByTestId('profile-switcher')).toBeVisible();
        },
      };
    };
    await use({ ana: await member('ana@laptop-a'), ben: await member('ben@laptop-b'), emulator });
    for (const close of closers) await close();
    await server.close();
    await emulator.close();
  },
});

async function pasteSheet(page: Page, emails: string[]) {
  await page.getByTestId('nav-sheets').click();
  await page.getByTestId('import-paste-toggle').click();
  await page.getByTestId('import-paste-text').fill(['email', ...emails, 'not-an-email'].join('\n'));
  await page.getByTestId('import-paste-go').click();
  await page.getByTestId('import-create').click();
  await expect(page.getByTestId('sheet-editor')).toBeVisible();
}

test('a production send prepared by one member starts only when another approves it, seeing the same review', async ({ team }) => {
  test.setTimeout(120_000); // two windows, and axe with screenshots of four states in two themes
  const { ana, ben } = team;
  await ana.open();
  const prod = await addProductionProfile(ana as unknown as Harness, 'Acme production');
  // Approvals in the navigation left the profile's name cut at 1024 px (“Acme live · p”): it is read whole.
  await expect(ana.page.getByTestId('nav-approvals')).toBeVisible();
  await ana.page.setViewportSize({ width: 1024, height: 700 });
  expect(await profileSelectShortBy(ana.page)).toBeLessThanOrEqual(0);
  await ana.page.setViewportSize({ width: 1280, height: 720 });
  await pasteSheet(ana.page, ['kim@acme.test', 'lee@acme.test', 'max@acme.test']);

  // Ana prepares it: no typed name, no run; the review says it waits for a teammate.
  await ana.page.getByTestId('send-open').click();
  const review = ana.page.getByTestId('review-dialog');
  await expect(review.getByTestId('review-counts')).toHaveText('3 invitations will be sent, 1 row skipped.');
  await expect(review.getByTestId('review-four-eyes')).toBeVisible();
  await expect(review.getByTestId('review-confirm')).toHaveCount(0);
  await expect(review.getByTestId('review-start')).toHaveText('Ask a teammate to approve');
  await checkScreen(ana.page, 'four-eyes-review');
  await review.getByTestId('review-start').click();
  // The button that asked is gone: Close has the focus, inside the dialog (it fell to the page before).
  await expect(review.getByTestId('review-waiting-close')).toBeFocused();
  await expect(review.getByTestId('review-waiting-text')).toHaveText(
    "Waiting for a teammate's approval: 3 invitations will be sent, 1 row skipped. Another member opens it under Approvals; nothing is sent until then.",
  );
  await checkScreen(ana.page, 'four-eyes-waiting');
  expect(prod.invitations).toHaveLength(0);

  // Ben, on his computer with his own profile of the instance (his name for it), sees it waiting for him.
  await ben.open();
  await addProductionProfile(ben as unknown as Harness, 'Acme live');
  await expect(ben.page.getByTestId('nav-approvals-count')).toHaveText('1');
  await ben.page.keyboard.press('Control+6');
  const item = ben.page.getByTestId('approval-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('ana@laptop-a');
  await expect(item).toContainText('3 invitations will be sent, 1 row skipped.');
  await expect(item.getByTestId('approval-state')).toHaveText('Waiting for approval');
  await checkScreen(ben.page, 'four-eyes-approvals');
  await item.focus();
  await ben.page.keyboard.press('Enter');
  const dialog = ben.page.getByTestId('approval-dialog');
  await expect(dialog.getByTestId('review-counts')).toHaveText('3 invitations will be sent, 1 row skipped.');
  await expect(dialog.getByTestId('review-skips')).toContainText('“not-an-email” is not a valid email address');
  await expect(dialog.getByTestId('approval-prepared')).toContainText('ana@laptop-a prepared');
  await expect(dialog.getByTestId('review-target')).toContainText('Acme live');
  await expect(dialog.getByTestId('approval-cannot')).toHaveCount(0);
  const approve = dialog.getByTestId('approval-approve');
  await expect(approve).toBeDisabled();
  await checkScreen(ben.page, 'four-eyes-approve');

  // Ana cannot approve her own: the button is disabled and says why.
  await ana.page.getByTestId('review-to-approvals').click();
  await ana.page.getByTestId('approval-item').click();
  const own = ana.page.getByTestId('approval-dialog');
  await expect(own.getByTestId('approval-cannot')).toHaveText('You prepared this send: another member of the team has to approve it.');
  await expect(own.getByTestId('approval-approve')).toBeDisabled();
  await expect(own.getByTestId('approval-withdraw')).toBeEnabled();
  await checkScreen(ana.page, 'four-eyes-own');

  // Reject… puts the focus in the reason, Back in the name again (it fell to the page both times).
  await dialog.getByTestId('approval-reject').click();
  await expect(dialog.getByTestId('approval-reason')).toBeFocused();
  await dialog.getByTestId('approval-close').click();
  await expect(dialog.getByTestId('approval-confirm')).toBeFocused();

  // Ben types his profile's name and approves: the run goes on his computer and finishes.
  await dialog.getByTestId('approval-confirm').fill('Acme production');
  await expect(approve).toBeDisabled();
  await dialog.getByTestId('approval-confirm').fill('Acme live');
  await approve.click();
  const detail = ben.page.getByTestId('run-detail');
  await expect(ben.page.getByTestId('page-runs')).toBeVisible();
  await expect(detail.getByTestId('run-counts')).toHaveText('3 sent · 0 failed · 1 skipped · 0 remaining', { timeout: 20_000 });
  await expect(detail.getByTestId('run-state')).toHaveText('finished');
  const per = invitationsPerEmail(team.emulator, prod.secretKey);
  expect([...per.entries()].sort()).toEqual([
    ['kim@acme.test', 1],
    ['lee@acme.test', 1],
    ['max@acme.test', 1],
  ]);

  // Ana sees it started by Ben: in her approval, still open, and in her Approvals list.
  await expect(own.getByTestId('approval-cannot')).toHaveText(/^Started by ben@laptop-b on /);
  await expect(own.getByTestId('approval-withdraw')).toHaveCount(0);
  await own.getByTestId('approval-close').click();
  await expect(ana.page.getByTestId('approval-item').getByTestId('approval-state')).toContainText('Started by ben@laptop-b');
  await expect(ana.page.getByTestId('nav-approvals-count')).toHaveCount(0);
});

test('a follow-up on production (revoke pending) waits for a teammate, who approves it row by row; it runs once', async ({ team }) => {
  test.setTimeout(120_000); // two windows, and axe with screenshots of two states in two themes
  const { ana, ben } = team;
  await ana.open();
  const prod = await addProductionProfile(ana as unknown as Harness, 'Acme production');
  await ben.open();
  await addProductionProfile(ben as unknown as Harness, 'Acme live');
  // Ana's send, approved by Ben: the run is Ben's.
  await pasteSheet(ana.page, ['ria@acme.test', 'sam@acme.test']);
  await ana.page.getByTestId('send-open').click();
  await ana.page.getByTestId('review-dialog').getByTestId('review-start').click();
  await ana.page.getByTestId('review-waiting-close').click();
  await ben.page.keyboard.press('Control+6');
  await ben.page.getByTestId('approval-item').click();
  const approval = ben.page.getByTestId('approval-dialog');
  await approval.getByTestId('approval-confirm').fill('Acme live');
  await approval.getByTestId('approval-approve').click();
  const detail = ben.page.getByTestId('run-detail');
  await expect(detail.getByTestId('run-counts')).toHaveText('2 sent · 0 failed · 1 skipped · 0 remaining', { timeout: 20_000 });

  // Ben revokes the pending ones: on production under four eyes that is a run Ana approves first, as the page says.
  await expect(detail.getByTestId('four-eyes-note')).toContainText('this goes to a teammate');
  await detail.getByTestId('follow-confirm').fill('Acme live');
  await detail.getByTestId('follow-revoke').click();
  await ben.page.getByTestId('revoke-go').click();
  const asked = ben.page.getByTestId('asked-dialog');
  await expect(asked.getByTestId('review-waiting-text')).toHaveText(
    "Waiting for a teammate's approval: 2 pending invitations will be revoked. Another member opens it under Approvals; nothing is sent until then.",
  );
  await expect(asked.getByTestId('review-waiting-close')).toBeFocused();
  await checkScreen(ben.page, 'four-eyes-asked-run');
  await ben.page.keyboard.press('Escape');
  await expect(asked).toHaveCount(0);
  expect(prod.invitations.map((i) => i.status)).toEqual(['pending', 'pending']);

  // Ana reads what the run does to whom, types her profile's name and starts it.
  await ana.page.keyboard.press('Control+6');
  const item = ana.page.getByTestId('approval-item').filter({ hasText: 'will be revoked' });
  await expect(item).toContainText('ben@laptop-b');
  await item.click();
  const plan = ana.page.getByTestId('approval-dialog');
  await expect(plan.getByTestId('approval-prepared')).toContainText('ben@laptop-b prepared “Pasted cells (revoke pending)”');
  await expect(plan.getByTestId('approval-prepared')).toContainText('2 pending invitations will be revoked.');
  await expect(plan.getByTestId('approval-plan-summary')).toHaveText(
    'Each of its 2 rows goes as listed: nothing is added or left out when it is approved.',
  );
  await expect(plan.getByTestId('approval-plan-row')).toHaveText([
    /^ria@acme\.test\s*Revoke the pending invitation inv_/,
    /^sam@acme\.test\s*Revoke the pending invitation inv_/,
  ]);
  await expect(plan.getByTestId('review-target')).toContainText('Acme production');
  await checkScreen(ana.page, 'four-eyes-approve-run');
  await plan.getByTestId('approval-confirm').fill('Acme production');
  await expect(plan.getByTestId('approval-approve')).toHaveText('Approve and start');
  await plan.getByTestId('approval-approve').click();
  await expect(ana.page.getByTestId('run-detail').getByTestId('run-counts')).toHaveText('2 revoked · 0 failed · 0 skipped · 0 remaining', {
    timeout: 20_000,
  });
  expect(prod.invitations.map((i) => i.status)).toEqual(['revoked', 'revoked']);
});
