/** A page's empty states: nothing there yet, or nothing matching the filters (with the way back). */
import type { ReactNode } from 'react';

export function EmptyState({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={testId}>
      <h2>{title}</h2>
      <div className="empty-body">{children}</div>
    </div>
  );
}

/** Filters that match none of a synced list: says of how many, with Clear filters, or a sync for what is new. */
export function NoMatchState(props: { title: string; of: string; onClear: () => void; testId: string }) {
  return (
    <EmptyState title={props.title} testId={props.testId}>
      <p>
        None of the {props.of} matches.{' '}
        <button type="button" className="link" onClick={props.onClear}>
          Clear filters
        </button>{' '}
        to see them all, or sync again if one is new in Clerk.
      </p>
    </EmptyState>
  );
}
