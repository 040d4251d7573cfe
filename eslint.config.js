import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain is pure: no AWS SDK, no I/O. (test/unit/core-purity.test.ts checks it too.)
    files: ['packages/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', 'aws-sdk', '@aws-lambda-powertools/*', 'aws-cdk-lib', 'aws-cdk-lib/*'], message: 'packages/core must not depend on AWS: use a port.' },
            { group: ['node:fs', 'node:http', 'node:net', 'node:child_process', 'fs', 'http', 'net', 'child_process'], message: 'packages/core does no I/O: use a port.' },
          ],
        },
      ],
    },
  },
);
