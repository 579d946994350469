// 大厅与窗口: offices with their window groups and windows (GET/POST /staff/offices, POST/PUT
// /staff/window-groups) and a group's schedule (GET/PUT /staff/window-groups/{id}/schedule: the
// weekly periods and the holiday-service template). Overlaps, unknown items and the like are the API's.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type OfficeOut = components['schemas']['OfficeOut']
export type OfficeIn = components['schemas']['OfficeIn']
export type GroupOut = components['schemas']['GroupOut']
export type GroupIn = components['schemas']['GroupIn']
export type WindowIn = components['schemas']['WindowIn']
export type PeriodIn = components['schemas']['PeriodIn']
export type ScheduleIn = components['schemas']['ScheduleIn']
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'

export const WEEKDAYS: { key: Weekday; label: string }[] = [
  { key: 'mon', label: '周一' },
  { key: 'tue', label: '周二' },
  { key: 'wed', label: '周三' },
  { key: 'thu', label: '周四' },
  { key: 'fri', label: '周五' },
  { key: 'sat', label: '周六' },
  { key: 'sun', label: '周日' },
]

export interface ScheduleForm {
  weekly: Record<Weekday, PeriodIn[]>
  holiday_service: PeriodIn[]
}

export function scheduleForm(answer: { weekly?: Record<string, PeriodIn[]>; holiday_service?: PeriodIn[] }): ScheduleForm {
  const weekly = Object.fromEntries(
    WEEKDAYS.map(({ key }) => [key, (answer.weekly?.[key] ?? []).map((p) => ({ ...p }))]),
  ) as Record<Weekday, PeriodIn[]>
  return { weekly, holiday_service: (answer.holiday_service ?? []).map((p) => ({ ...p })) }
}

/** PUT body: a weekday without periods is left out (closed). */
export function scheduleBody(form: ScheduleForm): ScheduleIn {
  const weekly: ScheduleIn['weekly'] = {}
  for (const { key } of WEEKDAYS) if (form.weekly[key].length) weekly[key] = form.weekly[key]
  return { weekly, holiday_service: form.holiday_service }
}

export function newPeriod(): PeriodIn {
  return { start: '09:00', end: '12:00', slot_minutes: 30, capacity: 5 }
}

export function useAdminHalls(api = useApi()) {
  const state = reactive({ offices: [] as OfficeOut[], itemCodes: [] as { code: string; name: string }[], notice: '' })
  const call = useCall()
  const formCall = useCall()

  async function load(): Promise<void> {
    await call.run(async () => {
      state.offices = await api.get('/api/v1/staff/offices')
    })
  }

  async function loadItems(): Promise<void> {
    await call.run(async () => {
      const data = await api.get('/api/v1/admin/catalog/items', { query: { size: 100 } })
      state.itemCodes = data.items.map((i) => ({ code: i.code, name: i.name }))
    })
  }

  async function save(work: () => Promise<unknown>, notice: string): Promise<boolean> {
    state.notice = ''
    const done = await formCall.run(async () => {
      await work()
      return true
    })
    if (done) {
      state.notice = notice
      await load()
    }
    return Boolean(done)
  }

  const createOffice = (body: OfficeIn) =>
    save(() => api.post('/api/v1/staff/offices', { body }), `已新建大厅 ${body.name}`)
  const createGroup = (body: GroupIn) =>
    save(() => api.post('/api/v1/staff/window-groups', { body }), `已新建窗口组 ${body.name}`)
  const updateGroup = (id: number, body: Omit<GroupIn, 'office_code' | 'code'>) =>
    save(() => api.put('/api/v1/staff/window-groups/{id}', { path: { id }, body }), `已保存窗口组 ${body.name}`)

  async function loadSchedule(id: number): Promise<ScheduleForm | undefined> {
    return formCall.run(async () => scheduleForm(await api.get('/api/v1/staff/window-groups/{id}/schedule', { path: { id } })))
  }

  async function saveSchedule(id: number, form: ScheduleForm): Promise<boolean> {
    state.notice = ''
    const answer = await formCall.run(() =>
      api.put('/api/v1/staff/window-groups/{id}/schedule', { path: { id }, body: scheduleBody(form) }),
    )
    if (answer) {
      state.notice = `已保存排班模板${answer.dropped_slots ? `，${answer.dropped_slots} 个未预约时段已按新模板重新生成` : ''}`
    }
    return Boolean(answer)
  }

  return {
    state,
    busy: call.busy,
    errors: call.errors,
    formBusy: formCall.busy,
    formErrors: formCall.errors,
    load,
    loadItems,
    createOffice,
    createGroup,
    updateGroup,
    loadSchedule,
    saveSchedule,
  }
}
