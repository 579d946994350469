// The hall TV's data: the numbers just called and their windows (public, no personal data).
//   GET /api/v1/hall/{office_code}/feed    → {office: {code, name}, called: [{number, window, called_at}]}
//   GET /api/v1/hall/{office_code}/stream  → Server-Sent Events: `event: called`, data {number, window,
//                                             called_at} per call or recall (a plain message may carry a feed);
//                                             `event: late`, data {late_windows: [...]} when the windows
//                                             serving past closing (延时服务) change
// The stream is the live path (EventSource reconnects by itself). While it is down (not offered,
// refused, or reconnecting) the feed is polled every 2 s, so a call still reaches the TV in time.
import { onBeforeUnmount, onMounted, reactive, readonly } from 'vue'
import type { FetchLike } from '@/api/transport'

export interface CalledTicket {
  number: string
  window: string
  calledAt: string | null
}

export type FeedStatus = 'connecting' | 'live' | 'unavailable' | 'offline'

export interface StreamLike {
  readyState: number
  onopen: ((event: Event) => void) | null
  onmessage: ((event: MessageEvent) => void) | null
  onerror: ((event: Event) => void) | null
  addEventListener(type: string, listener: (event: MessageEvent) => void): void
  close(): void
}

export interface HallFeedOptions {
  fetch?: FetchLike
  /** opens the SSE stream; null: no stream (polling only) */
  openStream?: ((url: string) => StreamLike) | null
  /** polling interval while the stream is down */
  pollMs?: number
  /** while the feed is absent (404), and the longest wait after failures */
  slowMs?: number
  /** how many recent calls to keep */
  keep?: number
}

const CLOSED = 2

export function feedUrl(officeCode: string): string {
  return `/api/v1/hall/${encodeURIComponent(officeCode)}/feed`
}

export function streamUrl(officeCode: string): string {
  return `/api/v1/hall/${encodeURIComponent(officeCode)}/stream`
}

function parseTicket(entry: unknown): CalledTicket | null {
  if (typeof entry !== 'object' || entry === null) return null
  const { number, window: windowName, called_at: calledAt } = entry as Record<string, unknown>
  if (typeof number !== 'string' || !number) return null
  return {
    number,
    window: typeof windowName === 'string' ? windowName : typeof windowName === 'number' ? String(windowName) : '',
    calledAt: typeof calledAt === 'string' ? calledAt : null,
  }
}

export function parseCalled(raw: unknown, keep: number): CalledTicket[] {
  if (!Array.isArray(raw)) return []
  return raw.map(parseTicket).filter((t): t is CalledTicket => t !== null).slice(0, keep)
}

/** What one stream event does to the list: a whole feed replaces it, one call goes on top. */
export function applyEvent(current: CalledTicket[], data: unknown, keep: number): CalledTicket[] | null {
  if (typeof data !== 'object' || data === null) return null
  const record = data as Record<string, unknown>
  if (Array.isArray(record.called)) return parseCalled(record.called, keep)
  const one = parseTicket(record.ticket ?? record)
  if (!one) return null
  const rest = current.filter((t) => !(t.number === one.number && t.window === one.window))
  return [one, ...rest].slice(0, keep)
}

/** The windows serving late (延时服务) of a feed or a `late` event; null when the data has none. */
export function parseLateWindows(data: unknown): string[] | null {
  if (typeof data !== 'object' || data === null) return null
  const raw = (data as Record<string, unknown>).late_windows
  if (!Array.isArray(raw)) return null
  return raw.filter((w): w is string => typeof w === 'string' && w.length > 0)
}

export function createHallFeed(officeCode: string, options: HallFeedOptions = {}) {
  const fetchFn = options.fetch ?? ((input, init) => window.fetch(input, init))
  const openStream =
    options.openStream === undefined
      ? typeof EventSource !== 'undefined'
        ? (url: string) => new EventSource(url) as StreamLike
        : null
      : options.openStream
  const pollMs = options.pollMs ?? 2000
  const slowMs = options.slowMs ?? 10_000
  const keep = options.keep ?? 8
  const state = reactive({
    status: 'connecting' as FeedStatus,
    officeName: '',
    called: [] as CalledTicket[],
    lateWindows: [] as string[],
    streaming: false,
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  let running = false
  let polling = false
  let failures = 0
  let stream: StreamLike | null = null

  function accept(data: Record<string, unknown>) {
    const office = data.office as Record<string, unknown> | undefined
    if (typeof office?.name === 'string') state.officeName = office.name
    const late = parseLateWindows(data)
    if (late) state.lateWindows = late
    const next = applyEvent(state.called, data, keep)
    if (next) state.called = next
  }

  const schedule = (ms: number) => {
    clearTimeout(timer)
    if (running && polling) timer = setTimeout(poll, ms)
  }

  async function poll(): Promise<void> {
    try {
      const response = await fetchFn(feedUrl(officeCode), { headers: { accept: 'application/json' }, cache: 'no-store' })
      if (response.status === 404 || response.status === 405 || response.status === 501) {
        failures = 0
        if (!state.streaming) state.status = 'unavailable'
        schedule(slowMs)
        return
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      accept((await response.json()) as Record<string, unknown>)
      state.status = 'live'
      failures = 0
      schedule(pollMs)
    } catch {
      failures += 1
      if (!state.streaming) state.status = 'offline'
      schedule(Math.min(pollMs * 2 ** (failures - 1), slowMs))
    }
  }

  function startPolling() {
    if (polling) return
    polling = true
    void poll()
  }

  function stopPolling() {
    polling = false
    clearTimeout(timer)
  }

  function connect() {
    if (!openStream) return
    try {
      stream = openStream(streamUrl(officeCode))
    } catch {
      stream = null
      return
    }
    stream.onopen = () => {
      state.streaming = true
      state.status = 'live'
      failures = 0
      stopPolling()
    }
    const onEvent = (event: MessageEvent) => {
      try {
        accept(JSON.parse(String(event.data)) as Record<string, unknown>)
        state.status = 'live'
      } catch {
        /* a line we do not know */
      }
    }
    stream.onmessage = onEvent
    stream.addEventListener('called', onEvent)
    stream.addEventListener('late', onEvent)
    stream.onerror = () => {
      state.streaming = false
      // EventSource retries by itself while CONNECTING; meanwhile (or for good, once CLOSED) poll
      if (stream?.readyState === CLOSED) {
        stream.close()
        stream = null
      }
      startPolling()
    }
  }

  function start() {
    if (running) return
    running = true
    startPolling() // the first picture at once (and the fallback until the stream is open)
    connect()
  }

  function stop() {
    running = false
    stopPolling()
    stream?.close()
    stream = null
    state.streaming = false
  }

  return { state: readonly(state), start, stop }
}

/** For a component: live while it is mounted. */
export function useHallFeed(officeCode: string, options: HallFeedOptions = {}) {
  const feed = createHallFeed(officeCode, options)
  onMounted(feed.start)
  onBeforeUnmount(feed.stop)
  return feed.state
}
