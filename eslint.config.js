// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'coverage/', '.slipway/', '**/*.js', '!eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The async bugs that matter most in a server: lost promises and promises where a
      // callback's return value is ignored.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a union type.' },
        {
          selector: 'Decorator',
          message: 'No decorators (keeps code runnable by type stripping).',
        },
        {
          selector: 'TSParameterProperty',
          message: 'No parameter properties (keeps code runnable by type stripping).',
        },
      ],
    },
  },
  {
    // The core does no I/O: it declares ports and the apps implement them. The buildspec and
    // appspec packages are pure too: the runner and `slipway build` share the one, the host
    // agent and the server the other.
    files: [
      'packages/core/src/**/*.ts',
      'packages/buildspec/src/**/*.ts',
      'packages/appspec/src/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'child_process',
                'net',
                'http',
                'kysely',
                'pino',
                'pg',
                'better-sqlite3',
              ],
              message:
                'packages/core, packages/buildspec and packages/appspec do no I/O: declare a port and implement it in an app.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
