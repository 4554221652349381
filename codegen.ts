import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the example operations in examples/operations, the way a client team would
 * generate them from the committed schema.graphql. Run `npm run codegen`; CI regenerates and fails
 * if the committed output differs, then type-checks it.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'examples/generated/': {
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
        scalars: {
          Date: 'string',
          DateTime: 'string',
          EmailAddress: 'string',
          PhoneNumber: 'string',
          CountryCode: 'string',
          Currency: 'string',
          Locale: 'string',
        },
      },
    },
  },
};

export default config;
