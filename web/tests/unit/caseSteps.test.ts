import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { useCaseSteps } from '@/composables/useCaseSteps'
import { apiError, fakeFetch, json } from './fakeApi'

const STEP = (seq: number, code: string, state: string, holder: number | null) => ({
  seq,
  code,
  name: code === 'accept' ? '受理' : '审查',
  post: '受理岗',
  days: 1,
  state,
  state_text: state === 'open' ? '办理中' : '已完成',
  holder_id: holder,
  holder_name: holder ? `staff-${holder}` : null,
  started_on: '2026-09-07',
  limit_on: '2026-09-08',
  limit_uncertain: false,
  finished_on: null,
  finished_by_name: null,
  days_used: null,
  overdue: false,
  warning: 'yellow',
  note: '',
})

const STEPS = (current: 'accept' | 'review') => ({
  case_id: 9,
  number: 'GA20260907000001',
  status: 'accepted',
  steps: [STEP(1, 'accept', current === 'accept' ? 'open' : 'done', 1), STEP(2, 'review', current === 'review' ? 'open' : 'pending', current === 'review' ? 2 : null)],
  current: STEP(current === 'accept' ? 1 : 2, current, 'open', current === 'accept' ? 1 : 2),
  holders: [{ id: 1, name: 'staff-1', role: 'window' }, { id: 2, name: 'staff-2', role: 'approver' }],
  actions: ['complete', 'reassign'],
})

describe('the 办理环节 panel', () => {
  it('completes the step naming the next holder and shows the answer', async () => {
    const fetch = fakeFetch((request) => json(200, request.method === 'GET' ? STEPS('accept') : STEPS('review')))
    const steps = useCaseSteps(() => 9, createApiClient({ fetch }))
    await steps.load()
    expect(steps.state.data?.current?.code).toBe('accept')
    expect(await steps.complete(2, '材料齐全')).toBe(true)
    expect(fetch.seen[1]).toMatchObject({
      method: 'POST',
      url: '/api/v1/staff/applications/9/steps/complete',
      body: { next_holder_id: 2, note: '材料齐全' },
    })
    expect(steps.state.data?.current).toMatchObject({ code: 'review', holder_id: 2 })
  })

  it('puts a refused holder at its field and keeps the steps as they were', async () => {
    const fetch = fakeFetch((request) =>
      request.method === 'GET'
        ? json(200, STEPS('accept'))
        : apiError(422, 'HOLDER_INVALID', '承办人须为本办件所属部门在岗的窗口或审批工作人员', {
            fields: { 'body.user_id': '承办人须为本部门在岗的窗口或审批工作人员' },
          }),
    )
    const steps = useCaseSteps(() => 9, createApiClient({ fetch }))
    await steps.load()
    expect(await steps.reassign(7, '休假')).toBe(false)
    expect(fetch.seen[1]).toMatchObject({ method: 'PUT', body: { user_id: 7, reason: '休假' } })
    expect(steps.action.errors.fields.user_id).toBe('承办人须为本部门在岗的窗口或审批工作人员')
    expect(steps.action.errors.message.value).toContain('所属部门')
    expect(steps.state.data?.current?.code).toBe('accept')
  })
})
