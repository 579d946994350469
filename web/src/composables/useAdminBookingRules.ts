// 预约放号与摇号: each window group's release rules (GET/PUT/DELETE /staff/window-groups/{id}/release-rules:
// a day's places open N days before at HH:MM, for the whole group or one of its items) and the lottery
// days (GET/POST /staff/appointments/lottery-draws, GET …/{id}). Which times are allowed is the API's.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type ReleaseRuleOut = components['schemas']['ReleaseRuleOut']
export type ReleaseRuleIn = components['schemas']['ReleaseRuleIn']
export type DrawPublic = components['schemas']['DrawPublic']
export type DrawAdminOut = components['schemas']['DrawAdminOut']
export type DrawIn = components['schemas']['DrawIn']

export interface RuleGroup {
  id: number
  code: string
  name: string
  office: string
  itemCodes: string[]
}

export interface DrawForm {
  group_code: string
  item_code: string
  date: string
  registration_opens_at: string
  registration_closes_at: string
  draw_at: string
}

export const DRAW_STATUS: Record<string, { label: string; type: 'success' | 'warning' | 'info' }> = {
  open: { label: '登记中', type: 'warning' },
  drawn: { label: '已开奖', type: 'success' },
}

/** "提前 3 天 08:00 放号" (0 days: the day itself). */
export function ruleText(rule: Pick<ReleaseRuleOut, 'days_before' | 'at'>): string {
  return rule.days_before === 0 ? `当天 ${rule.at} 放号` : `提前 ${rule.days_before} 天 ${rule.at} 放号`
}

/** An API time (ISO 8601, +08:00) as the hall reads it: "2026-11-16 10:00". */
export function localTime(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '—'
}

export function drawStatus(status: string) {
  return DRAW_STATUS[status] ?? { label: status, type: 'info' as const }
}

/** POST body: an empty item is the whole group. */
export function drawBody(form: DrawForm): DrawIn {
  return {
    group_code: form.group_code,
    item_code: form.item_code || null,
    date: form.date,
    registration_opens_at: form.registration_opens_at,
    registration_closes_at: form.registration_closes_at,
    draw_at: form.draw_at,
  }
}

export function useAdminBookingRules(api = useApi()) {
  const state = reactive({
    groups: [] as RuleGroup[],
    rules: {} as Record<number, ReleaseRuleOut[]>,
    draws: [] as DrawPublic[],
    detail: null as DrawAdminOut | null,
    notice: '',
  })
  const call = useCall()
  const formCall = useCall()

  async function loadRules(group: RuleGroup): Promise<void> {
    state.rules[group.id] = await api.get('/api/v1/staff/window-groups/{id}/release-rules', { path: { id: group.id } })
  }

  async function loadDraws(): Promise<void> {
    state.draws = await api.get('/api/v1/staff/appointments/lottery-draws')
  }

  async function load(): Promise<void> {
    await call.run(async () => {
      const offices = await api.get('/api/v1/staff/offices')
      state.groups = offices.flatMap((o) =>
        (o.groups ?? []).map((g) => ({ id: g.id, code: g.code, name: g.name, office: o.name, itemCodes: g.item_codes })),
      )
      await Promise.all([...state.groups.map(loadRules), loadDraws()])
    })
  }

  async function saveRule(group: RuleGroup, body: ReleaseRuleIn): Promise<boolean> {
    state.notice = ''
    const rules = await formCall.run(() =>
      api.put('/api/v1/staff/window-groups/{id}/release-rules', { path: { id: group.id }, body }),
    )
    if (!rules) return false
    state.rules[group.id] = rules
    state.notice = `已保存${group.name}${body.item_code ? `（${body.item_code}）` : ''}的放号规则：${ruleText(body)}`
    return true
  }

  async function removeRule(group: RuleGroup, itemCode: string | null): Promise<boolean> {
    state.notice = ''
    const rules = await call.run(() =>
      api.delete('/api/v1/staff/window-groups/{id}/release-rules', {
        path: { id: group.id },
        query: { item_code: itemCode },
      }),
    )
    if (!rules) return false
    state.rules[group.id] = rules
    state.notice = `已删除${group.name}${itemCode ? `（${itemCode}）` : ''}的放号规则`
    return true
  }

  async function createDraw(form: DrawForm): Promise<boolean> {
    state.notice = ''
    const draw = await formCall.run(() => api.post('/api/v1/staff/appointments/lottery-draws', { body: drawBody(form) }))
    if (!draw) return false
    state.notice = `已设置 ${draw.date} 为摇号日（${draw.window_group}${draw.item_code ? ` ${draw.item_code}` : ''}）`
    await call.run(loadDraws)
    return true
  }

  async function openDraw(id: number): Promise<void> {
    state.detail = null
    state.detail = (await call.run(() => api.get('/api/v1/staff/appointments/lottery-draws/{id}', { path: { id } }))) ?? null
  }

  return {
    state,
    busy: call.busy,
    errors: call.errors,
    formBusy: formCall.busy,
    formErrors: formCall.errors,
    load,
    saveRule,
    removeRule,
    createDraw,
    openDraw,
  }
}

export type AdminBookingRules = ReturnType<typeof useAdminBookingRules>
