import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startIdleTimer } from '@/composables/useIdleLogout'

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
