import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { ApiError, NETWORK_MESSAGE } from '@/api/errors'
import { apiError, fakeFetch, json } from './fakeApi'

describe('error mapping', () => {
  it('turns a 422 into a typed error whose field messages are keyed by form field', async () => {
    const fetch = fakeFetch(() =>
      apiError(422, 'VALIDATION_ERROR', '请求参数有误', {
        fields: { 'body.username': '内容过短', 'body.password': '必填' },
      }),
    )
    const api = createApiClient({ fetch })
    const error = await api.post('/api/v1/auth/staff', { body: { username: '', password: '' } }).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ kind: 'http', status: 422, code: 'VALIDATION_ERROR', message: '请求参数有误' })
    expect(error.fields).toEqual({ username: '内容过短', password: '必填' })
    expect(error.field('username')).toBe('内容过短')
  })

  it("keeps the API's code, Chinese message and details for a conflict", async () => {
    const fetch = fakeFetch(() => apiError(409, 'SLOT_FULL', '该时段已约满', { remaining: 0 }))
    const api = createApiClient({ fetch })
    const error = await api.get('/api/v1/me').catch((e) => e)
    expect(error).toMatchObject({ status: 409, code: 'SLOT_FULL', message: '该时段已约满' })
    expect(error.details).toEqual({ remaining: 0 })
    expect(error.fields).toEqual({})
  })

  it('reports a lost connection as 网络连接已断开', async () => {
    const api = createApiClient({
      fetch: async () => {
        throw new TypeError('Failed to fetch')
      },
    })
    const error = await api.get('/api/v1/me').catch((e) => e)
    expect(error).toMatchObject({ kind: 'network', code: 'NETWORK_ERROR', message: NETWORK_MESSAGE })
    expect(NETWORK_MESSAGE).toBe('网络连接已断开')
  })

  it('gives a proxy error page without the envelope a Chinese message and an HTTP code', async () => {
    const fetch = fakeFetch(() => new Response('<html>Bad Gateway</html>', { status: 502 }))
    const error = await createApiClient({ fetch })
      .get('/api/v1/me')
      .catch((e) => e)
    expect(error).toMatchObject({ status: 502, code: 'HTTP_502' })
    expect(error.message).toContain('服务暂时不可用')
  })

  it('fills path parameters and drops empty query values', async () => {
    const fetch = fakeFetch(() => json(200, { total: 0, items: [] }))
    const api = createApiClient({ fetch })
    await api.get('/api/v1/items', { query: { q: '身份证', department: '' } })
    await api.get('/api/v1/items/{code}', { path: { code: 'GA 01/2' } })
    expect(fetch.seen.map((r) => r.url)).toEqual([
      '/api/v1/items?q=%E8%BA%AB%E4%BB%BD%E8%AF%81',
      '/api/v1/items/GA%2001%2F2',
    ])
  })
})
