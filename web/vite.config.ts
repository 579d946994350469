// Vite build of the staff workbench (index.html → /workbench/) and the hall TV (hall.html → /hall/{code}).
// Both are served by the Python app (citizen_api/webui.py) from web/dist; every asset is local.
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
// Fallback idle-logout minutes when the page is opened without the server's
// <meta name="onetrip-idle-minutes"> (e.g. `vite` dev server); the served page always carries it.
const idleMinutes = Number(process.env.ONETRIP_WORKBENCH_IDLE_MINUTES || 30)

export default defineConfig({
  base: '/workbench/',
  plugins: [
    vue(),
    // Element Plus on demand: only the components a page uses (and their CSS) go into its chunk.
    Components({ resolvers: [ElementPlusResolver()], dts: 'src/components.d.ts' }),
  ],
  resolve: { alias: { '@': here('./src') } },
  define: { __IDLE_MINUTES__: JSON.stringify(idleMinutes) },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    rolldownOptions: {
      input: { main: here('./index.html'), hall: here('./hall.html') },
    },
  },
  server: {
    // `npm run dev`: the API from a local `make run`
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
})
