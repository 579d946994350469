import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { createSession } from '@/composables/useSession'
import { ME, PAIR, apiError, fakeFetch, json } from './fakeApi'

/**
 * A fake API: staff login and refresh issue numbered pairs (a refresh token works once), /me wants the
 * latest access token. `cookie`: the refresh cookie is there (an empty refresh body succeeds).
 */
function authServer(options: { cookie?: boolean; refuseRefresh?: boolean; offlineRefresh?: boolean } = {}) {
  let issued = 0
  let valid: string | null = null
  const refreshTokens = new Set<string>()
  const issue = () => {
    issued += 1
    valid = `access-${issued}`
    refreshTokens.add(`refresh-${issued}`)
    return json(200, PAIR(issued))
  }
  const fetch = fakeFetch((request) => {
    if (request.url === '/api/v1/auth/staff') return issue()
    if (request.url === '/api/v1/auth/refresh') {
      if (options.offlineRefresh) throw new TypeError('Failed to fetch')
      const token = ((request.body ?? {}) as { refresh_token?: string }).refresh_token
      if (options.refuseRefresh) return apiError(401, 'REFRESH_TOKEN_INVALID', '登录已失效，请重新登录')
      if (token ? refreshTokens.delete(token) : options.cookie) return issue()
      return token
        ? apiError(401, 'REFRESH_TOKEN_INVALID', '登录已失效，请重新登录')
        : apiError(422, 'VALIDATION_ERROR', '请求参数有误', { fields: { 'body.refresh_token': '必填' } })
    }
    if (request.headers.authorization !== `Bearer ${valid}`) return apiError(401, 'UNAUTHENTICATED', '请先登录')
    return json(200, ME)
  })
  return Object.assign(fetch, {
    /** the access token runs out (its 15 minutes are over) */
    expireAccess() {
      valid = 'nobody-has-this'
    },
    calls() {
      return fetch.seen.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? '-'}`)
    },
  })
}

function setup(fetch: ReturnType<typeof authServer>) {
  const session = createSession(fetch)
  return { session, api: createApiClient({ fetch, tokens: session.tokens }) }
}

describe('session and token refresh', () => {
  it('logs in, then sends the access token as a bearer', async () => {
    const fetch = authServer()
    const { session, api } = setup(fetch)
    const user = await session.login('wang', 'correct-horse-9')
    expect(user).toMatchObject({ username: 'wang', displayName: 'wang', role: 'window', department: 'GA' })
    expect(session.state.user?.displayName).toBe('wang')
    await api.get('/api/v1/me')
    expect(fetch.seen[0]).toMatchObject({ body: { username: 'wang', password: 'correct-horse-9' } })
    expect(fetch.calls().at(-1)).toBe('GET /api/v1/me Bearer access-1')
  })

  it('refreshes once after a 401 and retries the call with the new token', async () => {
    const fetch = authServer({ cookie: true })
    const { session, api } = setup(fetch)
    await session.login('wang', 'correct-horse-9')
    fetch.expireAccess()
    expect(await api.get('/api/v1/me')).toMatchObject({ username: 'wang' })
    expect(fetch.calls().slice(-3)).toEqual([
      'GET /api/v1/me Bearer access-1',
      'POST /api/v1/auth/refresh -',
      'GET /api/v1/me Bearer access-2',
    ])
    expect(fetch.seen.at(-2)).toMatchObject({ body: undefined, credentials: 'same-origin' })
  })

  it('shares one refresh between calls that fail together', async () => {
    const fetch = authServer({ cookie: true })
    const { session, api } = setup(fetch)
    await session.login('wang', 'correct-horse-9')
    fetch.expireAccess()
    const answers = await Promise.all([api.get('/api/v1/me'), api.get('/api/v1/me'), api.get('/api/v1/me')])
    expect(answers.map((a) => a.username)).toEqual(['wang', 'wang', 'wang'])
    expect(fetch.seen.filter((r) => r.url === '/api/v1/auth/refresh')).toHaveLength(1)
  })

  it('against a server without the cookie, refreshes with the token the login answer carried', async () => {
    const fetch = authServer({ cookie: false })
    const { session, api } = setup(fetch)
    await session.login('wang', 'correct-horse-9')
    fetch.expireAccess()
    expect(await api.get('/api/v1/me')).toMatchObject({ username: 'wang' })
    const refreshes = fetch.seen.filter((r) => r.url === '/api/v1/auth/refresh')
    expect(refreshes.map((r) => r.body)).toEqual([undefined, { refresh_token: 'refresh-1' }])
  })

  it('after a reload asks the refresh cookie with a body-less POST', async () => {
    const fetch = authServer({ cookie: true })
    const { session } = setup(fetch)
    expect(await session.restore()).toBe(true)
    expect(fetch.seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      body: undefined,
      credentials: 'same-origin',
    })
    expect(session.state.user?.username).toBe('wang')
  })

  it('after a reload without a cookie, falls back to the login page', async () => {
    const fetch = authServer({ cookie: false })
    const { session } = setup(fetch)
    expect(await session.restore()).toBe(false)
    expect(session.state.user).toBeNull()
    expect(fetch.calls()).toEqual(['POST /api/v1/auth/refresh -'])
  })

  it('ends the session when the refresh is refused, without retrying the call', async () => {
    const fetch = authServer({ refuseRefresh: true })
    const { session, api } = setup(fetch)
    await session.login('wang', 'correct-horse-9')
    fetch.expireAccess()
    const error = await api.get('/api/v1/me').catch((e) => e)
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' })
    expect(session.state.user).toBeNull()
    expect(session.state.ended).toBe('expired')
    // the cookie first (body-less), then the refresh token the login answer carried
    expect(fetch.calls().slice(2)).toEqual([
      'GET /api/v1/me Bearer access-1',
      'POST /api/v1/auth/refresh -',
      'POST /api/v1/auth/refresh -',
    ])
  })

  it('treats a lost connection during the refresh as offline, not as a logout', async () => {
    const fetch = authServer({ offlineRefresh: true })
    const { session, api } = setup(fetch)
    await session.login('wang', 'correct-horse-9')
    fetch.expireAccess()
    const error = await api.get('/api/v1/me').catch((e) => e)
    expect(error).toMatchObject({ kind: 'network', message: '网络连接已断开' })
    expect(session.state.user?.username).toBe('wang')
  })

  it('logs out: the refresh token is revoked and the bearer forgotten', async () => {
    const fetch = authServer()
    const { session, api } = setup(fetch)
    await session.login('wang', 'correct-horse-9')
    await session.logout()
    expect(session.state).toMatchObject({ user: null, ended: 'logout' })
    expect(fetch.seen.at(-1)).toMatchObject({
      url: '/api/v1/auth/logout',
      body: { refresh_token: 'refresh-1' },
    })
    expect(session.tokens.accessToken()).toBeNull()
    await api.get('/api/v1/me').catch(() => undefined)
    expect(fetch.calls().at(-1)).toBe('POST /api/v1/auth/refresh -')
  })
})

describe('a password the admin set', () => {
  it('forces the change: must_change_password until POST /auth/password succeeds', async () => {
    const fetch = fakeFetch((request) => {
      if (request.url === '/api/v1/auth/staff') {
        return json(200, { ...PAIR(1), user: { id: 7, role: 'window', must_change_password: true } })
      }
      if (request.url === '/api/v1/auth/password') {
        const body = request.body as { new_password: string }
        return body.new_password.length < 8
          ? apiError(422, 'VALIDATION_ERROR', '请求参数有误', { fields: { 'body.new_password': '至少 8 位' } })
          : json(200, PAIR(2))
      }
      return json(200, ME)
    })
    const session = createSession(fetch)
    await session.login('wang', 'Temp-1234')
    expect(session.state.user?.mustChangePassword).toBe(true)
    const refused = await session.changePassword('Temp-1234', 'short').catch((e) => e)
    expect(refused.field('new_password')).toBe('至少 8 位')
    expect(session.state.user?.mustChangePassword).toBe(true)
    await session.changePassword('Temp-1234', 'a-much-longer-one')
    expect(session.state.user?.mustChangePassword).toBe(false)
    expect(fetch.seen.at(-1)).toMatchObject({
      url: '/api/v1/auth/password',
      body: { old_password: 'Temp-1234', new_password: 'a-much-longer-one' },
      headers: { authorization: 'Bearer access-1' },
    })
    expect(session.tokens.accessToken()).toBe('access-2') // the new pair replaces the revoked one
  })
})
