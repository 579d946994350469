// Unit tests of the composables (plain TypeScript: a fake fetch, fake timers, no DOM needed).
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  define: { __IDLE_MINUTES__: '30' },
  test: { include: ['tests/unit/**/*.test.ts'], environment: 'node' },
})
