// Flat config: typescript-eslint's type-aware rules catch floating promises,
// which in a chat bot means a Slack ack or an OpenStack call nobody awaits.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Layering from docs/architecture.md: dependencies point down only.
    files: ['src/openstack/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '**/floating-ips/**',
            '**/slack/**',
            '@slack/*',
            '**/operations/**',
            '**/ops/**',
            '**/shared-state/**',
            '**/fipbot*',
            '**/run*',
          ],
        },
      ],
    },
  },
  {
    // The domain: the core and each operation's use case know nothing of Slack.
    files: ['src/floating-ips/**/*.ts', 'src/operations/*/use-case.ts', 'src/operations/service.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/slack/**', '@slack/*', '**/operations/registry*', '**/operations/*/index*'] }],
    },
  },
  // Plain Node scripts run by npm before start; no types to check them with.
  { files: ['scripts/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '*.config.ts', 'eslint.config.js', 'scripts/*.mjs'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-console': 'off',
    },
  },
);
