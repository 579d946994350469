// Gzipped JS + CSS a first visit needs, from Vite's manifest: the login page and the window desk
// (entry, layout, first section) and, separately, the hall TV. Exits 1 over the budget (issue 14: 400 KB).
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist')
const manifest = JSON.parse(readFileSync(resolve(dist, '.vite/manifest.json'), 'utf-8'))
const BUDGET_KB = Number(process.env.BUNDLE_BUDGET_KB || 400)

function files(keys) {
  const seen = new Set()
  const out = new Set()
  const visit = (key) => {
    if (seen.has(key)) return
    seen.add(key)
    const chunk = manifest[key]
    if (!chunk) throw new Error(`not in the manifest: ${key}`)
    out.add(chunk.file)
    for (const css of chunk.css ?? []) out.add(css)
    for (const imported of chunk.imports ?? []) visit(imported)
  }
  keys.forEach(visit)
  return [...out].filter((file) => /\.(js|css)$/.test(file))
}

function gzipKB(list) {
  const bytes = list.reduce((sum, file) => sum + gzipSync(readFileSync(resolve(dist, file)), { level: 9 }).length, 0)
  return bytes / 1024
}

const loads = {
  'login + window desk': ['index.html', 'src/views/LoginView.vue', 'src/layouts/AppLayout.vue', 'src/views/window/WindowDesk.vue', 'src/views/window/QueuePanel.vue'],
  'hall TV': ['hall.html'],
}
let over = false
for (const [name, keys] of Object.entries(loads)) {
  const list = files(keys)
  const kb = gzipKB(list)
  const js = gzipKB(list.filter((f) => f.endsWith('.js')))
  console.log(`${name}: ${kb.toFixed(1)} KB gzipped (JS ${js.toFixed(1)} KB, CSS ${(kb - js).toFixed(1)} KB, ${list.length} files)`)
  if (kb > BUDGET_KB) over = true
}
if (over) {
  console.error(`over the ${BUDGET_KB} KB budget`)
  process.exit(1)
}
