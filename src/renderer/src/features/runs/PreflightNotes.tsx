/** The review's and dry run's pre-flight, in words with numbers: dev email cap, org capacity, pending org invitations. */
import { preflightNotes, type Preflight } from '../../../../shared/domain/send/preflight.ts';

export function PreflightNotes({ preflight, testId }: { preflight: Preflight; testId: string }) {
  const notes = preflightNotes(preflight);
  if (notes.length === 0) return null;
  return (
    <ul className="preflight" data-testid={testId}>
      {notes.map((n) => (
        <li
          key={n.id}
          className={n.level === 'warn' ? 'form-error' : 'muted'}
          data-testid={`${testId}-${n.id}`}
          role={n.level === 'warn' ? 'alert' : undefined}
        >
          {n.text}
        </li>
      ))}
    </ul>
  );
}
