import { builder } from '../builder.js';
import { USER_ERROR_CODES, type UserError } from '../domain/user-error.js';
import { ProviderName } from './enums.js';

export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why an input was refused. Stable: clients may switch on it.',
  values: USER_ERROR_CODES,
});

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description:
    "A problem with the caller's input. `field` is the path in the mutation's arguments (e.g. [\"input\",\"customer\",\"phones\",\"mobile\"]); `provider` is set when the rule is that provider's.",
  fields: (t) => ({
    field: t.stringList({ nullable: true, resolve: (error) => error.field.map(String) }),
    message: t.exposeString('message'),
    code: t.expose('code', { type: UserErrorCode }),
    provider: t.expose('provider', { type: ProviderName, nullable: true }),
  }),
});
