import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorMessage } from './ErrorMessage.js';
import type { ProviderName } from './gql/graphql.js';
import { CustomerCreateMutation } from './operations.js';

/** Every provider; the compiler checks this list against the schema's ProviderName. */
const PROVIDERS: readonly ProviderName[] = ['ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION'];

const EMPTY = { first: '', last: '', email: '', line1: '', city: '', postalCode: '', country: '' };
type Fields = typeof EMPTY;

/**
 * Creates a private customer and routes it to the ticked providers. Each provider checks the input
 * against its own contract first: what it refuses comes back as userErrors with the input path, and
 * then nothing is written or sent.
 */
export function CustomerCreateForm({ onCreated }: { onCreated: (id: string) => void }) {
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [providers, setProviders] = useState<ProviderName[]>([...PROVIDERS]);
  const [{ data, fetching, error }, createCustomer] = useMutation(CustomerCreateMutation);
  const payload = data?.customerCreate;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await createCustomer({
      input: {
        customer: {
          kind: 'PRIVATE',
          name: { first: fields.first, last: fields.last },
          email: fields.email || null,
          addresses: [{ line1: fields.line1, city: fields.city, postalCode: fields.postalCode, country: fields.country }],
        },
        providers,
      },
    });
    const created = result.data?.customerCreate.customer;
    if (created) {
      setFields(EMPTY);
      onCreated(created.id);
    }
  };
  const field = (name: keyof Fields, label: string, type = 'text') => (
    <label>
      {label}
      <input type={type} value={fields[name]} onChange={(event) => setFields({ ...fields, [name]: event.target.value })} />
    </label>
  );
  const toggle = (provider: ProviderName, on: boolean) =>
    setProviders(on ? PROVIDERS.filter((p) => p === provider || providers.includes(p)) : providers.filter((p) => p !== provider));

  return (
    <form aria-label="New customer" className="create" onSubmit={submit}>
      <h2>New customer</h2>
      {field('first', 'First name')}
      {field('last', 'Last name')}
      {field('email', 'Email', 'email')}
      {field('line1', 'Street')}
      {field('city', 'City')}
      {field('postalCode', 'Postal code')}
      {field('country', 'Country (ISO code)')}
      <fieldset>
        <legend>Route to</legend>
        {PROVIDERS.map((provider) => (
          <label key={provider}>
            <input type="checkbox" checked={providers.includes(provider)} onChange={(event) => toggle(provider, event.target.checked)} />
            {provider}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={fetching}>
        Create customer
      </button>

      {error && <ErrorMessage error={error} />}
      {payload && payload.userErrors.length > 0 && (
        <div role="alert" className="error">
          <ul aria-label="User errors">
            {payload.userErrors.map((userError, i) => (
              <li key={i}>
                <code>{(userError.field ?? []).join('.')}</code> {userError.message} <small>{userError.code}</small>
              </li>
            ))}
          </ul>
        </div>
      )}
      {payload?.customer && (
        <p role="status">
          Created {payload.customer.displayName} ({payload.customer.customerNumber}):{' '}
          {payload.providerResults.map((result) => `${result.provider} ${result.status}`).join(', ') || 'not routed'}
        </p>
      )}
    </form>
  );
}
