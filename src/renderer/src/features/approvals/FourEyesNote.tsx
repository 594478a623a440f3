/**
 * Said where a production run other than a sheet's send is started (a follow-up, a repair, a waitlist or Invitations
 * action) when the workspace has four eyes on: it goes to a teammate for approval, not to Clerk, when confirmed.
 */
import { useApprovals } from '../../store/approvals.ts';

export function FourEyesNote({ production }: { production: boolean }) {
  const on = useApprovals((s) => s.settings?.fourEyes === true);
  if (!on || !production) return null;
  return (
    <p className="callout" data-testid="four-eyes-note">
      Four eyes on production: confirmed, this goes to a teammate, who approves it in their app; nothing is sent until then.
    </p>
  );
}
