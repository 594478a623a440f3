/** Name + secret key. Main checks the key with Clerk and stores it in the OS keychain; it never comes back. */
import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/result.ts';
import { getApi } from '../../lib/api.ts';
import { useActiveProfile } from '../../store/profiles.ts';
import { useSheet } from '../../store/sheet.ts';
import { useUi } from '../../store/ui.ts';

const FIELD_NAMES: Record<string, string> = { name: 'Name', secretKey: 'Secret key', baseUrl: 'API base URL' };

export function AddProfileForm({ onDone }: { onDone?: () => void }) {
  const [name, setName] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [advanced, setAdvanced] = useState(false);
  /** Off unless the user asks: adding a profile never retargets what is open (the header says where things go). */
  const [activate, setActivate] = useState(false);
  const active = useActiveProfile();
  const openSheet = useSheet((s) => s.doc?.name ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const toast = useUi((s) => s.toast);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await getApi().profilesAdd({ name, secretKey, ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}), activate });
    setBusy(false);
    if (!r.ok) {
      setError(r.error); // what the user typed stays in the form, to fix and resubmit
      return;
    }
    setSecretKey('');
    setName('');
    setBaseUrl('');
    setActivate(false);
    const stays = !activate && active ? ` Sheets still send to “${active.name}”; pick “${r.value.name}” in the header to use it.` : '';
    toast('info', `Added “${r.value.name}” (${r.value.environment}, ${r.value.fingerprint}). Its key is in your OS keychain.${stays}`);
    onDone?.();
  };

  // One place for what went wrong, right above the button, naming the field it is about; that field is marked.
  const errField = error?.field && FIELD_NAMES[error.field] ? error.field : null;
  const invalid = (field: string) => (errField === field ? { 'aria-invalid': true, 'aria-describedby': 'add-profile-error' } : {});

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="add-profile-form">
      <h3>Add a Clerk instance</h3>
      <label>
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Acme production"
          maxLength={80}
          data-testid="profile-name"
          autoFocus
          {...invalid('name')}
        />
      </label>
      <label>
        Secret key
        <input
          type="password"
          value={secretKey}
          onChange={(e) => setSecretKey(e.target.value)}
          placeholder="sk_live_… or sk_test_…"
          autoComplete="off"
          spellCheck={false}
          data-testid="profile-key"
          {...invalid('secretKey')}
        />
        <span className="hint">
          From the Clerk Dashboard → API keys. Invite Desk checks it with Clerk and keeps it only in your OS keychain.
        </span>
      </label>
      <button type="button" className="link" onClick={() => setAdvanced((a) => !a)} aria-expanded={advanced}>
        {advanced ? 'Hide advanced' : 'Advanced: API base URL'}
      </button>
      {advanced && (
        <label>
          API base URL
          <input
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            placeholder="https://api.clerk.com/v1"
            data-testid="profile-base-url"
            {...invalid('baseUrl')}
          />
        </label>
      )}
      {active && (
        <label className="check">
          <input type="checkbox" checked={activate} onChange={(e) => setActivate(e.target.checked)} data-testid="profile-activate" /> Switch
          to it now (instead of “{active.name}”{openSheet ? `; the open sheet “${openSheet}” would then send to it` : ''})
        </label>
      )}
      {error && (
        <div className="form-error" role="alert" id="add-profile-error" data-testid={errField ? `error-${errField}` : 'add-profile-error'}>
          {errField ? <strong>{FIELD_NAMES[errField]}: </strong> : null}
          {error.message}
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="add-profile-submit">
          {busy ? 'Checking with Clerk…' : 'Check key and add'}
        </button>
      </div>
    </form>
  );
}
