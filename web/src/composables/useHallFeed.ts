// The hall TV's data: the numbers just called and their windows, polled from
//   GET /api/v1/hall/{office_code}/feed  →  {office: {code, name}, called: [{number, window, called_at}]}
// (newest first; public, no personal data). Until the server offers that feed (404), the page says so
// and keeps asking at a slower pace; a lost connection is retried with a short backoff.
import { onBeforeUnmount, onMounted, reactive, readonly } from 'vue'
import type { FetchLike } from '@/api/transport'

export interface CalledTicket {
  number: string
  window: string
  calledAt: string | null
}

export type FeedStatus = 'connecting' | 'live' | 'unavailable' | 'offline'

export interface HallFeedOptions {
  fetch?: FetchLike
  /** between polls while live: a call reaches the TV within this (plus one request) */
  intervalMs?: number
  /** while the feed is absent, and the longest wait after failures */
  slowMs?: number
  /** how many recent calls to keep */
  keep?: number
}

export function feedUrl(officeCode: string): string {
  return `/api/v1/hall/${encodeURIComponent(officeCode)}/feed`
}

function parseCalled(raw: unknown, keep: number): CalledTicket[] {
  if (!Array.isArray(raw)) return []
  const out: CalledTicket[] = []
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null) continue
    const { number, window: windowName, called_at: calledAt } = entry as Record<string, unknown>
    if (typeof number !== 'string' || !number) continue
    out.push({
      number,
      window: typeof windowName === 'string' ? windowName : '',
      calledAt: typeof calledAt === 'string' ? calledAt : null,
    })
  }
  return out.slice(0, keep)
}

export function createHallFeed(officeCode: string, options: HallFeedOptions = {}) {
  const fetchFn = options.fetch ?? ((input, init) => window.fetch(input, init))
  const intervalMs = options.intervalMs ?? 1000
  const slowMs = options.slowMs ?? 10_000
  const keep = options.keep ?? 8
  const state = reactive({
    status: 'connecting' as FeedStatus,
    officeName: '',
    called: [] as CalledTicket[],
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  let running = false
  let failures = 0

  const schedule = (ms: number) => {
    if (running) timer = setTimeout(poll, ms)
  }

  async function poll(): Promise<void> {
    try {
      const response = await fetchFn(feedUrl(officeCode), {
        headers: { accept: 'application/json' },
        cache: 'no-store',
      })
      if (response.status === 404 || response.status === 405 || response.status === 501) {
        failures = 0
        state.status = 'unavailable'
        schedule(slowMs)
        return
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      const data = (await response.json()) as Record<string, unknown>
      const office = data.office as Record<string, unknown> | undefined
      state.officeName = typeof office?.name === 'string' ? office.name : ''
      state.called = parseCalled(data.called, keep)
      state.status = 'live'
      failures = 0
      schedule(intervalMs)
    } catch {
      failures += 1
      state.status = 'offline'
      schedule(Math.min(intervalMs * 2 ** failures, slowMs))
    }
  }

  function start() {
    if (running) return
    running = true
    void poll()
  }

  function stop() {
    running = false
    clearTimeout(timer)
  }

  return { state: readonly(state), start, stop }
}

/** For a component: polls while it is mounted. */
export function useHallFeed(officeCode: string, options: HallFeedOptions = {}) {
  const feed = createHallFeed(officeCode, options)
  onMounted(feed.start)
  onBeforeUnmount(feed.stop)
  return feed.state
}
