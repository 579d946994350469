/// <reference types="vite/client" />

/** Idle-logout minutes baked in at build time; the served page's meta tag overrides it (see config.ts). */
declare const __IDLE_MINUTES__: number
