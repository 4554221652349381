import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const LOCALE = /^([a-z]{2,3})[_-]([A-Z]{2})$/;

/**
 * `language_COUNTRY` (e.g. `en_US`, `kok_IN`), the form DESIGN.md and the providers (Enfuce's locale
 * list) use. graphql-scalars' Locale is BCP 47 (`en-US`) and rejects this form, so this scalar accepts
 * either separator and always answers with the underscore.
 */
export const LocaleScalar = new GraphQLScalarType<string, string>({
  name: 'Locale',
  description: 'A locale as language_COUNTRY: ISO 639 language, ISO 3166-1 alpha-2 country, e.g. en_US. en-US is accepted on input.',
  serialize: (value) => normalize(value),
  parseValue: (value) => normalize(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Locale must be a string such as "en_US"', { nodes: ast });
    return normalize(ast.value);
  },
  extensions: { codegenScalarType: 'string' },
});

function normalize(value: unknown): string {
  const match = typeof value === 'string' ? LOCALE.exec(value) : null;
  if (!match) throw new GraphQLError(`Locale must look like "en_US", got ${JSON.stringify(value)}`);
  const locale = `${match[1]}-${match[2]}`;
  try {
    Intl.getCanonicalLocales(locale);
  } catch {
    throw new GraphQLError(`Locale ${JSON.stringify(value)} is not a valid language and country`);
  }
  return `${match[1]}_${match[2]}`;
}
