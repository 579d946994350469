// Log out after a stretch without keyboard, mouse or touch input. The length comes from the server
// (config.ts: the page's <meta name="onetrip-idle-minutes">, setting ONETRIP_WORKBENCH_IDLE_MINUTES).
import { onBeforeUnmount, onMounted } from 'vue'

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const

/** Starts the timer; returns a function that stops it. */
export function startIdleTimer(options: {
  minutes: number
  onIdle: () => void
  target?: EventTarget
}): () => void {
  const limit = options.minutes * 60_000
  const target = options.target ?? window
  let last = Date.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const bump = () => {
    last = Date.now()
  }
  const stop = () => {
    clearTimeout(timer)
    for (const name of ACTIVITY) target.removeEventListener(name, bump)
  }
  const check = () => {
    const left = last + limit - Date.now()
    if (left <= 0) {
      stop()
      options.onIdle()
    } else {
      timer = setTimeout(check, left)
    }
  }
  for (const name of ACTIVITY) target.addEventListener(name, bump, { passive: true })
  timer = setTimeout(check, limit)
  return stop
}

/** For a component: runs while it is mounted. */
export function useIdleLogout(minutes: number, onIdle: () => void) {
  let stop: (() => void) | undefined
  onMounted(() => {
    stop = startIdleTimer({ minutes, onIdle })
  })
  onBeforeUnmount(() => stop?.())
}
