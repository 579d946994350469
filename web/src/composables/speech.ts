// The call's voice: "请 A012 号到 5 号窗口", spoken in Mandarin through the browser's speech synthesis
// where it has one (a hall PC without voices just shows the number).

export function announcementText(number: string, windowName: string): string {
  const place = windowName ? `${windowName.replace(/号窗口$|窗口$|号$/, '')} 号窗口` : '窗口'
  return `请 ${number} 号到 ${place}`
}

export interface SpeechLike {
  speak(utterance: SpeechSynthesisUtterance): void
  cancel(): void
}

export function announce(
  text: string,
  synth: SpeechLike | undefined = typeof window !== 'undefined' ? window.speechSynthesis : undefined,
  makeUtterance: (text: string) => SpeechSynthesisUtterance = (t) => new SpeechSynthesisUtterance(t),
): boolean {
  if (!synth) return false
  try {
    const utterance = makeUtterance(text)
    utterance.lang = 'zh-CN'
    utterance.rate = 0.9
    synth.cancel()
    synth.speak(utterance)
    return true
  } catch {
    return false
  }
}
