// 我的部门的差评整改: the department's bad ratings (GET /staff/ratings?bad=true; the API keeps a window
// clerk or an approver to their own department), one rating's detail (GET /staff/ratings/{id}: notes,
// appeals, deadlines), and the follow-up: the rater's contact for the return visit (audited by the
// server), 记录回访, 登记整改, 申诉. After every step the rating and the list are read again; a refusal's
// Chinese message and its field messages are in `errors` (what was typed stays in the dialog).
import { computed, reactive } from 'vue'
import type { ApiClient } from '@/api/client'
import { useApi } from './useApi'
import { useCall } from './useCall'
import { beijingToday } from './useSupervisionPeriod'
import {
  followUpDetail,
  followUpRow,
  offeredSteps,
  type FollowUpDetail,
  type FollowUpRow,
  type FollowUpStep,
  type RectificationStatus,
} from './useRatingFollowUpRows'

export * from './useRatingFollowUpRows'

export interface Contact {
  name: string
  phone: string
}

export type FollowUpAction = FollowUpStep | 'reveal' | 'appeal'

const STEP_PATHS = {
  return_visit: '/api/v1/staff/ratings/{id}/return-visit',
  rectify: '/api/v1/staff/ratings/{id}/rectify',
} as const

export function useRatingFollowUp(api: ApiClient = useApi(), today: () => string = () => beijingToday()) {
  const state = reactive({
    items: [] as FollowUpRow[],
    total: 0,
    page: 1,
    size: 20,
    status: '' as RectificationStatus | '',
    loaded: false,
    detail: null as FollowUpDetail | null,
    contact: null as Contact | null,
    /** what the last step did, e.g. 已记录回访 */
    notice: '',
  })
  const list = useCall()
  const call = useCall()

  async function load(): Promise<void> {
    await list.run(async () => {
      const data = await api.get('/api/v1/staff/ratings', {
        query: { bad: true, status: state.status || undefined, page: state.page, size: state.size },
      })
      state.items = data.items.map((r) => followUpRow(r, today()))
      state.total = data.total
      state.loaded = true
    })
  }

  async function reload(id: number): Promise<void> {
    const data = await api.get('/api/v1/staff/ratings/{id}', { path: { id } })
    state.detail = followUpDetail(data, today())
  }

  /** the detail of one rating; another rating's contact and refusals are forgotten */
  async function open(id: number): Promise<boolean> {
    if (state.detail?.id !== id) {
      state.contact = null
      state.notice = ''
    }
    return (await call.run(() => reload(id))) !== undefined
  }

  function close() {
    state.detail = null
    state.contact = null
    state.notice = ''
  }

  /** Runs one action on the open rating; true when done. A refusal keeps its message in `errors`
   * and reloads the rating (someone may have moved it meanwhile: its `actions` say what is left). */
  async function act(work: (id: number) => Promise<void>, done: string): Promise<boolean> {
    const id = state.detail?.id
    if (id === undefined) return false
    state.notice = ''
    const ok = await call.run(async () => {
      await work(id)
      return true
    })
    if (ok) {
      state.notice = done
      await Promise.all([call.run(() => reload(id)).then(() => undefined), load()])
      return true
    }
    await reload(id).catch(() => undefined) // the refusal's message stays in `errors`
    return false
  }

  const reveal = (reason: string) =>
    act(async (id) => {
      const data = await api.post('/api/v1/staff/ratings/{id}/reveal', { path: { id }, body: { reason } })
      state.contact = { name: data.name ?? '', phone: data.phone ?? '' }
    }, '联系方式已显示，本次查看已记入审计日志')

  const step = (which: FollowUpStep, note: string) =>
    act(async (id) => {
      await api.post(STEP_PATHS[which], { path: { id }, body: { note } })
    }, which === 'return_visit' ? '已记录回访' : '已登记整改，已告知评价人并邀请其评价整改结果')

  const appeal = (reason: string) =>
    act(async (id) => {
      await api.post('/api/v1/staff/ratings/{id}/appeal', { path: { id }, body: { reason } })
    }, '申诉已提交，待电子监察审核')

  /** 记录回访 / 登记整改, 查看联系方式, 申诉: what the API offers on the open rating (its `actions`) */
  const steps = computed(() => offeredSteps(state.detail))
  const mayReveal = computed(() => state.detail?.actions.includes('reveal_contact') ?? false)
  const mayAppeal = computed(() => state.detail?.actions.includes('appeal') ?? false)

  function filter(status: RectificationStatus | '') {
    state.status = status
    state.page = 1
    void load()
  }

  function page(n: number) {
    state.page = n
    void load()
  }

  return {
    state,
    listBusy: list.busy,
    listErrors: list.errors,
    busy: call.busy,
    errors: call.errors,
    steps,
    mayReveal,
    mayAppeal,
    load,
    open,
    close,
    reveal,
    step,
    appeal,
    filter,
    page,
  }
}

export type RatingFollowUp = ReturnType<typeof useRatingFollowUp>
