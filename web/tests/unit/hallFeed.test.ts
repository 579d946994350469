import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyEvent, createHallFeed, type StreamLike } from '@/composables/useHallFeed'
import { fakeFetch, json } from './fakeApi'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const FEED = {
  office: { code: 'SMZX', name: '市民中心' },
  called: [
    { number: 'A012', window: '3', called_at: '2026-05-11T09:30:00+08:00' },
    { number: 'B004', window: '5', called_at: '2026-05-11T09:29:00+08:00' },
  ],
}

/** A stand-in EventSource the test opens, feeds and breaks. */
class FakeStream implements StreamLike {
  static opened: FakeStream[] = []
  readyState = 0
  onopen: ((event: Event) => void) | null = null
  onmessage: ((event: MessageEvent) => void) | null = null
  onerror: ((event: Event) => void) | null = null
  closed = false
  listeners: Record<string, ((event: MessageEvent) => void)[]> = {}
  constructor(readonly url: string) {
    FakeStream.opened.push(this)
  }
  open() {
    this.readyState = 1
    this.onopen?.(new Event('open'))
  }
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    ;(this.listeners[type] ??= []).push(listener)
  }
  /** a plain message (no event name) */
  send(data: unknown) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(data) }))
  }
  /** what the server sends per call: `event: called` */
  called(data: unknown) {
    for (const listener of this.listeners.called ?? []) listener(new MessageEvent('called', { data: JSON.stringify(data) }))
  }
  /** what the server sends when the windows serving late change: `event: late` */
  late(data: unknown) {
    for (const listener of this.listeners.late ?? []) listener(new MessageEvent('late', { data: JSON.stringify(data) }))
  }
  /** EventSource's own retry (CONNECTING) or, for good, CLOSED */
  fail(closed: boolean) {
    this.readyState = closed ? 2 : 0
    this.onerror?.(new Event('error'))
  }
  close() {
    this.closed = true
    this.readyState = 2
  }
}

const numbers = (feed: { state: { called: readonly { number: string; window: string }[] } }) =>
  feed.state.called.map((t) => `${t.number}@${t.window}`)

describe('hall feed', () => {
  beforeEach(() => {
    FakeStream.opened = []
  })

  it('without a stream polls the feed every 2 s and shows the latest calls', async () => {
    const fetch = fakeFetch(() => json(200, FEED))
    const feed = createHallFeed('SMZX', { fetch, openStream: null })
    feed.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(feed.state.status).toBe('live')
    expect(feed.state.officeName).toBe('市民中心')
    expect(numbers(feed)).toEqual(['A012@3', 'B004@5'])
    await vi.advanceTimersByTimeAsync(2000)
    expect(fetch.seen.map((r) => r.url)).toEqual(['/api/v1/hall/SMZX/feed', '/api/v1/hall/SMZX/feed'])
    feed.stop()
  })

  it('goes live on the stream, stops polling, and puts each new call on top', async () => {
    const fetch = fakeFetch(() => json(200, FEED))
    const feed = createHallFeed('SMZX', { fetch, openStream: (url) => new FakeStream(url) })
    feed.start()
    await vi.advanceTimersByTimeAsync(0)
    const stream = FakeStream.opened[0]!
    expect(stream.url).toBe('/api/v1/hall/SMZX/stream')
    stream.open()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(fetch.seen).toHaveLength(1) // the first picture only: the stream carries the rest
    stream.called({ number: 'A013', window: '2', called_at: '2026-05-11T09:31:00+08:00' })
    expect(numbers(feed)).toEqual(['A013@2', 'A012@3', 'B004@5'])
    stream.send({ ...FEED, called: [{ number: 'C001', window: '7' }] })
    expect(numbers(feed)).toEqual(['C001@7'])
    feed.stop()
    expect(stream.closed).toBe(true)
  })

  it('shows the windows serving late (延时服务) from the feed and from the stream, keeping the calls', async () => {
    const fetch = fakeFetch(() => json(200, { ...FEED, late_windows: ['3'] }))
    const feed = createHallFeed('SMZX', { fetch, openStream: (url) => new FakeStream(url) })
    feed.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(feed.state.lateWindows).toEqual(['3'])
    const stream = FakeStream.opened[0]!
    stream.open()
    stream.late({ late_windows: ['3', '5'] })
    expect(feed.state.lateWindows).toEqual(['3', '5'])
    expect(numbers(feed)).toEqual(['A012@3', 'B004@5']) // a late event is not a call
    stream.late({ late_windows: [] })
    expect(feed.state.lateWindows).toEqual([])
    feed.stop()
  })

  it('polls while the stream reconnects by itself, and stops again once it is back', async () => {
    const fetch = fakeFetch(() => json(200, FEED))
    const feed = createHallFeed('SMZX', { fetch, openStream: (url) => new FakeStream(url) })
    feed.start()
    const stream = FakeStream.opened[0]!
    stream.open()
    await vi.advanceTimersByTimeAsync(0)
    const before = fetch.seen.length
    stream.fail(false)
    await vi.advanceTimersByTimeAsync(4000)
    expect(fetch.seen.length - before).toBeGreaterThanOrEqual(2)
    expect(FakeStream.opened).toHaveLength(1) // EventSource retries on its own: no second stream
    stream.open()
    const during = fetch.seen.length
    await vi.advanceTimersByTimeAsync(10_000)
    expect(fetch.seen.length).toBe(during)
    feed.stop()
  })

  it('falls back to polling for good when the stream is refused', async () => {
    const fetch = fakeFetch(() => json(200, FEED))
    const feed = createHallFeed('SMZX', { fetch, openStream: (url) => new FakeStream(url) })
    feed.start()
    await vi.advanceTimersByTimeAsync(0)
    FakeStream.opened[0]!.fail(true)
    expect(FakeStream.opened[0]!.closed).toBe(true)
    const at = fetch.seen.length
    await vi.advanceTimersByTimeAsync(6000)
    expect(fetch.seen.length - at).toBe(3)
    expect(feed.state.status).toBe('live')
    feed.stop()
  })

  it('says the feed is not there yet on 404 and asks again slowly; recovers after a lost connection', async () => {
    let answer: () => Response = () => json(404, { error: { code: 'NOT_FOUND', message: '未找到', details: {} } })
    const fetch = fakeFetch(() => answer())
    const feed = createHallFeed('SMZX', { fetch, openStream: null, slowMs: 10_000 })
    feed.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(feed.state.status).toBe('unavailable')
    await vi.advanceTimersByTimeAsync(9_000)
    expect(fetch.seen).toHaveLength(1)
    answer = () => {
      throw new TypeError('Failed to fetch')
    }
    await vi.advanceTimersByTimeAsync(1_000)
    expect(feed.state.status).toBe('offline')
    answer = () => json(200, FEED)
    await vi.advanceTimersByTimeAsync(2_000)
    expect(feed.state.status).toBe('live')
    expect(numbers(feed)[0]).toBe('A012@3')
    feed.stop()
  })

  it('ignores events it does not understand', () => {
    expect(applyEvent([], 'ping', 8)).toBeNull()
    expect(applyEvent([], { hello: 1 }, 8)).toBeNull()
    expect(applyEvent([], { ticket: { number: 'A1', window: 3 } }, 8)).toEqual([
      { number: 'A1', window: '3', calledAt: null },
    ])
  })
})
