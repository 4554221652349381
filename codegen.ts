import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

const scalars = {
  Date: 'string',
  DateTime: 'string',
  EmailAddress: 'string',
  PhoneNumber: 'string',
  CountryCode: 'string',
  Currency: 'string',
  Locale: 'string',
};

/**
 * Typed documents generated from the committed schema.graphql, the way a client team would: for the
 * example operations in examples/operations (examples/generated, string documents for a plain fetch
 * client), and for the `graphql()` calls of the React example (examples/react-client/src/gql,
 * TypedDocumentNodes for urql's hooks). Each target writes a persisted-documents.json manifest that
 * TRUSTED_DOCUMENTS accepts. Run `npm run codegen`; CI regenerates and fails if the committed output
 * differs, then type-checks it.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'examples/generated/': {
      documents: ['examples/operations/**/*.graphql'],
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // persisted-documents.json: the manifest a trusted-documents mode can accept operations from
        persistedDocuments: true,
      },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        importExtension: '.js',
        scalars,
      },
    },
    'examples/react-client/src/gql/': {
      documents: ['examples/react-client/src/**/*.{ts,tsx}', '!examples/react-client/src/gql/**'],
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // each DocumentNode carries its manifest key in __meta__.hash: what the app sends in trusted mode
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      // __typename in every selection, as urql's document cache adds it: the manifest then holds what
      // urql would send, and a mutation's result names the types whose cached queries it invalidates
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: { enumsAsTypes: true, useTypeImports: true, importExtension: '.js', scalars },
    },
  },
};

export default config;
