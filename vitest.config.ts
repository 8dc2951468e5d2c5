import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'src-main/**/*.test.ts',
            'src-shared/**/*.test.ts',
            'src-renderer/**/*.test.{ts,tsx}',
            'tests/integration/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // npm run test:chaos: the chaos, crash, power-cut and bad-input suites at full size (their
        // short versions run in the unit project). One file at a time: the machine is shared.
        extends: true,
        test: {
          name: 'chaos',
          include: ['tests/integration/chaos/**/*.test.ts'],
          environment: 'node',
          env: { OPENTILL_CHAOS: 'full' },
          testTimeout: 1_800_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // A real Electron binary (npm run test:electron): skipped, saying why, where none exists.
        extends: true,
        test: {
          name: 'electron',
          include: ['tests/electron/**/*.electron.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
