/**
 * Pieces the reviews (a send's, an approval's, an Invitations or waitlist action's) and a run's page show alike: the
 * target line, the Clerk facts, the profile's name typed before anything goes on production.
 */
import type { ReactNode } from 'react';
import type { ReviewFact } from '../../../../shared/domain/send/summary.ts';
import type { RunReview } from '../../../../shared/domain/send/types.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';

/** Where the send goes: the environment's badge, the profile, the organization. */
export function ReviewTarget({
  review,
}: {
  review: Pick<RunReview, 'environment' | 'isSandbox' | 'profileName' | 'kind' | 'organizationName'>;
}) {
  return (
    <div className="target" data-testid="review-target">
      <EnvBadge profile={{ environment: review.environment, isSandbox: review.isSandbox }} />
      <span className="target-name">{review.profileName}</span>
      {review.kind === 'org' && <span className="muted">→ organization {review.organizationName}</span>}
    </div>
  );
}

/** What every invitation says, each fact under Clerk's name for it; `testid` names the list and each fact. */
export function FactList({ facts, testid }: { facts: readonly ReviewFact[]; testid?: string }) {
  return (
    <dl className="review-what" data-testid={testid}>
      {facts.map((f) => (
        <div key={f.wire} data-testid={testid ? `${testid}-${f.wire}` : undefined}>
          <dt>
            {f.label} <code>{f.wire}</code>
          </dt>
          <dd>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The profile's name typed before anything goes on production, in the red band: `lead` says what it does first. */
export function ConfirmName(props: {
  name: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  verb?: 'confirm' | 'approve';
  lead?: ReactNode;
}) {
  return (
    <label className="confirm-prod">
      <span>
        {props.lead}Type <code>{props.name}</code> to {props.verb ?? 'confirm'}:
      </span>
      <input value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId} data-autofocus />
    </label>
  );
}
