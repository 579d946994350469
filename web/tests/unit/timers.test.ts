import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHallFeed } from '@/composables/useHallFeed'
import { startIdleTimer } from '@/composables/useIdleLogout'
import { fakeFetch, json } from './fakeApi'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('idle logout', () => {
  it('fires after the minutes without input, and input pushes it back', async () => {
    const target = new EventTarget()
    const onIdle = vi.fn()
    startIdleTimer({ minutes: 30, onIdle, target })
    await vi.advanceTimersByTimeAsync(29 * 60_000)
    target.dispatchEvent(new Event('keydown'))
    await vi.advanceTimersByTimeAsync(29 * 60_000)
    expect(onIdle).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(60_000 + 1)
    expect(onIdle).toHaveBeenCalledTimes(1)
  })
})

describe('hall feed', () => {
  it('polls the feed and shows the latest calls', async () => {
    const fetch = fakeFetch(() =>
      json(200, {
        office: { code: 'SMZX', name: '市民中心' },
        called: [
          { number: 'A012', window: '3', called_at: '2026-05-11T09:30:00+08:00' },
          { number: 'B004', window: '5', called_at: '2026-05-11T09:29:00+08:00' },
        ],
      }),
    )
    const feed = createHallFeed('SMZX', { fetch, intervalMs: 1000 })
    feed.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(feed.state.status).toBe('live')
    expect(feed.state.officeName).toBe('市民中心')
    expect(feed.state.called.map((t) => `${t.number}@${t.window}`)).toEqual(['A012@3', 'B004@5'])
    await vi.advanceTimersByTimeAsync(1000)
    expect(fetch.seen.map((r) => r.url)).toEqual(['/api/v1/hall/SMZX/feed', '/api/v1/hall/SMZX/feed'])
    feed.stop()
  })

  it('says the feed is not there yet on 404 and asks again slowly; recovers after a lost connection', async () => {
    let answer: () => Response = () => json(404, { error: { code: 'NOT_FOUND', message: '未找到', details: {} } })
    const fetch = fakeFetch(() => answer())
    const feed = createHallFeed('SMZX', { fetch, intervalMs: 1000, slowMs: 10_000 })
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
    answer = () => json(200, { called: [{ number: 'A001', window: '1', called_at: null }] })
    await vi.advanceTimersByTimeAsync(2_000)
    expect(feed.state.status).toBe('live')
    expect(feed.state.called[0]?.number).toBe('A001')
    feed.stop()
  })
})
