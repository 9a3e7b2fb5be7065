// Folder boundaries of docs/ARCHITECTURE.md, "Folders and runtimes", enforced here rather than by memory.
import tseslint from 'typescript-eslint';

const electronModules = ['electron', 'electron/*', 'electron-store'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.test-runs/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // CommonJS on purpose (bin/package.json): it starts faster than an ES module entry. Test hooks
    // loaded with `node --require`, and the bench's bare baselines, are CommonJS too.
    files: ['bin/**/*.js', 'test/**/*.cjs', 'bench/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['core/**', 'cli/**', 'test/**', 'bench/**', 'examples/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: electronModules.filter((m) => !m.includes('*')).map((name) => ({
          name, message: 'Only electron/ may import Electron: plain Node cannot load it here.',
        })),
        patterns: [
          { group: ['electron/*'], message: 'Only electron/ may import Electron.' },
          { group: ['**/electron/**', '**/renderer/**'], message: 'core/, cli/ and tests reach the shells only through core operations.' },
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'React belongs to renderer/.' },
        ],
      }],
    },
  },
  {
    files: ['core/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'electron-store'].map((name) => ({ name, message: 'core/ never imports Electron.' })),
        patterns: [
          { group: ['electron/*'], message: 'core/ never imports Electron.' },
          { group: ['**/electron/**', '**/renderer/**', '**/cli/**', '**/test/**'], message: 'core/ depends on nothing outside core/.' },
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'core/ never touches the DOM.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    // core/common/ is the contract every runtime shares (routes, errors, views, presets): it runs
    // in Node, in the renderer and in the Electron shell, so it imports nothing but itself.
    files: ['core/common/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!\\./[\\w-]+\\.ts$)', message: 'core/common/ is runtime-neutral: it imports only its own modules.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*'], message: 'renderer/ runs in a browser: no Node built-ins.' },
          { group: ['electron', 'electron/*', 'electron-store'], message: 'renderer/ reaches the engine only through its Bridge.' },
          { group: ['**/core/**', '!**/core/common', '!**/core/common/**', '**/cli/**', '**/electron/**'], message: 'renderer/ reaches the engine only through its Bridge; it may import the shared contract, core/common/.' },
        ],
      }],
    },
  },
  {
    // electron/ is the desktop shell: it composes core/, never another shell.
    files: ['electron/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/cli/**', '**/renderer/**', '**/test/**'], message: 'electron/ composes core/; it never imports another shell or the tests.' },
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'React belongs to renderer/.' },
        ],
      }],
    },
  },
  {
    // electron/common/ holds the shell's pure parts (IPC checks, deep links, tray model, …): plain
    // Node, so that test/electron/ runs them here, where Electron cannot start.
    files: ['electron/common/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'electron-store'].map((name) => ({ name, message: 'electron/common/ runs in plain Node: no Electron.' })),
        patterns: [
          { group: ['electron/*'], message: 'electron/common/ runs in plain Node: no Electron.' },
          { regex: '^\\.\\./(?!\\.\\./core/)', message: 'electron/common/ may import only core/ and its own folder.' },
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'React belongs to renderer/.' },
        ],
      }],
    },
  },
  {
    // The Electron shell's tests run in plain Node: they may import its pure parts and nothing that loads Electron.
    files: ['test/electron/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: electronModules.filter((m) => !m.includes('*')).map((name) => ({
          name, message: 'Only electron/ may import Electron: plain Node cannot load it here.',
        })),
        patterns: [
          { group: ['electron/*'], message: 'Only electron/ may import Electron.' },
          { regex: '/electron/(?!common/)', message: 'Tests import only electron/common/, the parts that run without Electron.' },
          { group: ['**/renderer/**'], message: 'Tests reach the renderer only through its own tests.' },
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'React belongs to renderer/.' },
        ],
      }],
    },
  },
);
