/** A prepared run as its approver reads it (four eyes): each row's address and what happens to it, as it will go. */
import type { PlanView } from '../../../../shared/domain/approvals.ts';

export function PlanRows({ plan }: { plan: PlanView }) {
  return (
    <section className="plan" aria-label="What this run does" data-testid="approval-plan">
      <p className="plan-summary" data-testid="approval-plan-summary">
        {plan.rows.length === 1 ? 'Its one row goes' : `Each of its ${plan.rows.length.toLocaleString('en-US')} rows goes`} as listed:
        nothing is added or left out when it is approved.
      </p>
      <div className="plan-rows" tabIndex={0} aria-label={`${plan.rows.length.toLocaleString('en-US')} rows`}>
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">What happens</th>
            </tr>
          </thead>
          <tbody>
            {plan.rows.map((r, i) => (
              <tr key={i} data-testid="approval-plan-row">
                <td title={r.email}>{r.email}</td>
                <td title={r.action}>{r.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
