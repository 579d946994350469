import { describe, expect, it } from 'vitest'
import { announce, announcementText, type SpeechLike } from '@/composables/speech'

describe('the call announcement', () => {
  it('says the number and the window in Chinese', () => {
    expect(announcementText('A012', '5')).toBe('请 A012 号到 5 号窗口')
    expect(announcementText('A012', '5号窗口')).toBe('请 A012 号到 5 号窗口')
    expect(announcementText('B003', '')).toBe('请 B003 号到 窗口')
  })

  it('speaks it in zh-CN, cutting off the previous one', () => {
    const said: string[] = []
    const synth: SpeechLike & { cancelled: number } = {
      cancelled: 0,
      speak: (u) => said.push(`${u.lang}:${u.text}`),
      cancel() {
        this.cancelled += 1
      },
    }
    const make = (text: string) => ({ text, lang: '', rate: 1 }) as unknown as SpeechSynthesisUtterance
    expect(announce('请 A012 号到 5 号窗口', synth, make)).toBe(true)
    expect(said).toEqual(['zh-CN:请 A012 号到 5 号窗口'])
    expect(synth.cancelled).toBe(1)
  })

  it('does nothing where the browser has no speech synthesis', () => {
    expect(announce('请 A012 号到 5 号窗口', undefined)).toBe(false)
  })
})
