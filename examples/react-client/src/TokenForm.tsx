import { useState, type FormEvent } from 'react';

/** The bearer token every request carries; saved in localStorage. */
export function TokenForm({ token, onSave }: { token: string; onSave: (token: string) => void }) {
  const [draft, setDraft] = useState(token);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(draft.trim());
  };
  return (
    <form className="token" onSubmit={submit}>
      <label>
        Token <input type="password" value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="eyJ…" />
      </label>
      <button type="submit">Use token</button>
    </form>
  );
}
