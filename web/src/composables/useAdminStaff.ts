// 工作人员: staff accounts (GET/POST /staff/users, disable, reset-password, unlock) and their window
// (PUT /staff/users/{id}/window, window ids from GET /staff/offices). The password rules, the forced
// change at first login and the department checks are the API's.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type StaffSummary = components['schemas']['StaffSummary']
export type StaffCreate = components['schemas']['StaffCreate']
type OfficeOut = components['schemas']['OfficeOut']

export const ROLE_OPTIONS: { value: StaffCreate['role']; label: string }[] = [
  { value: 'window', label: '窗口人员' },
  { value: 'approver', label: '审批人员' },
  { value: 'supervisor', label: '电子监察' },
  { value: 'admin', label: '管理员' },
  { value: 'village_agent', label: '村级代办员' },
]

export interface WindowOption {
  id: number
  label: string
  department: string | null
}

/** Every window of every hall, labelled 大厅 · 窗口组 · N 号窗口, for the assign dialog. */
export function windowOptions(offices: readonly OfficeOut[]): WindowOption[] {
  return offices.flatMap((office) =>
    (office.groups ?? []).flatMap((group) =>
      (group.windows ?? []).map((w) => ({
        id: w.id,
        label: `${office.name} · ${group.name} · ${w.number} 号窗口${w.name ? `（${w.name}）` : ''}`,
        department: group.department_code,
      })),
    ),
  )
}

export function useAdminStaff(api = useApi()) {
  const query = reactive({ page: 1, size: 50 })
  const state = reactive({
    items: [] as StaffSummary[],
    total: 0,
    windows: [] as WindowOption[],
    departments: [] as { code: string; name: string }[],
    notice: '',
  })
  const call = useCall()
  const formCall = useCall()

  async function load(): Promise<void> {
    await call.run(async () => {
      const data = await api.get('/api/v1/staff/users', { query })
      state.items = data.items
      state.total = data.total
    })
  }

  async function loadChoices(): Promise<void> {
    await call.run(async () => {
      const [offices, departments] = await Promise.all([
        api.get('/api/v1/staff/offices'),
        api.get('/api/v1/admin/catalog/departments'),
      ])
      state.windows = windowOptions(offices)
      state.departments = departments.map((d) => ({ code: d.code, name: d.name }))
    })
  }

  async function act(work: () => Promise<unknown>, notice: string, target = call): Promise<boolean> {
    state.notice = ''
    const done = await target.run(async () => {
      await work()
      return true
    })
    if (done) {
      state.notice = notice
      await load()
    }
    return Boolean(done)
  }

  const create = (body: StaffCreate) =>
    act(
      () => api.post('/api/v1/staff/users', { body }),
      `已创建账号 ${body.username}，首次登录须修改密码`,
      formCall,
    )
  const disable = (user: StaffSummary) =>
    act(() => api.post('/api/v1/staff/users/{id}/disable', { path: { id: user.id } }), `已停用 ${user.username}`)
  const resetPassword = (user: StaffSummary, password: string) =>
    act(
      () => api.post('/api/v1/staff/users/{id}/reset-password', { path: { id: user.id }, body: { password } }),
      `已重置 ${user.username} 的密码，下次登录须修改`,
      formCall,
    )
  const unlock = (user: StaffSummary) =>
    act(() => api.post('/api/v1/staff/users/{id}/unlock', { path: { id: user.id } }), `已解除 ${user.username} 的登录锁定`)
  const assignWindow = (user: StaffSummary, windowId: number | null) =>
    act(
      () => api.put('/api/v1/staff/users/{id}/window', { path: { id: user.id }, body: { window_id: windowId } }),
      windowId === null
        ? `已取消 ${user.username} 的窗口`
        : `已将 ${user.username} 分配到 ${state.windows.find((w) => w.id === windowId)?.label ?? '该窗口'}`,
      formCall,
    )

  return {
    query,
    state,
    busy: call.busy,
    errors: call.errors,
    formBusy: formCall.busy,
    formErrors: formCall.errors,
    load,
    loadChoices,
    create,
    disable,
    resetPassword,
    unlock,
    assignWindow,
  }
}
