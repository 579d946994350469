// The staff session. The access token lives in this module's memory only (never localStorage):
// a refresh is a body-less POST /auth/refresh the server answers from its HttpOnly refresh cookie
// (onetrip_refresh); against a server without the cookie the refresh token a login body carries is
// used instead, and it too is kept in memory only (a reload then asks to log in).
// `must_change_password` (login answer or /me) makes the layout force the change-password dialog.
import { reactive, readonly } from 'vue'
import type { components } from '@/api/schema'
import { isApiError } from '@/api/errors'
import { send, type FetchLike } from '@/api/transport'
import type { TokenSource } from '@/api/client'

type TokenPair = components['schemas']['TokenPair']
type Profile = components['schemas']['Profile']

export type StaffRole = 'window' | 'approver' | 'supervisor' | 'admin'
export type EndReason = 'logout' | 'expired' | 'idle'

export interface StaffUser {
  id: number
  role: string
  username: string
  /** what the header shows: the (masked) name when there is one, else the user name */
  displayName: string
  department: string | null
  mustChangePassword: boolean
}

export const ROLE_LABELS: Record<string, string> = {
  window: '窗口人员',
  approver: '审批人员',
  supervisor: '电子监察',
  admin: '系统管理员',
  village_agent: '村级代办员',
}

export function createSession(fetchFn: FetchLike, base = '') {
  const state = reactive({ user: null as StaffUser | null, ended: null as EndReason | null })
  let access: string | null = null
  let refreshToken: string | null = null
  let pending: Promise<boolean> | null = null
  let mustChange = false
  const flag = (value: unknown) =>
    typeof value === 'object' && value !== null && (value as Record<string, unknown>).must_change_password === true

  function accept(pair: TokenPair) {
    access = pair.access_token
    refreshToken = pair.refresh_token || null
  }

  function clear() {
    access = null
    refreshToken = null
    mustChange = false
    state.user = null
  }

  async function loadMe(): Promise<StaffUser> {
    const { data } = await send<Profile>(fetchFn, { method: 'GET', url: `${base}/api/v1/me`, token: access })
    const user: StaffUser = {
      id: data.id,
      role: data.role,
      username: data.username ?? '',
      displayName: data.name || data.username || `#${data.id}`,
      department: data.department ?? null,
      mustChangePassword: flag(data) || mustChange,
    }
    state.user = user
    return user
  }

  async function login(username: string, password: string): Promise<StaffUser> {
    const { data } = await send<TokenPair>(fetchFn, {
      method: 'POST',
      url: `${base}/api/v1/auth/staff`,
      body: { username, password },
    })
    accept(data)
    mustChange = flag(data) || flag((data as { user?: unknown }).user)
    state.ended = null
    return loadMe()
  }

  /** One refresh at a time; an answer other than 200 means "log in again", a lost connection throws. */
  function refresh(): Promise<boolean> {
    pending ??= (async () => {
      try {
        const url = `${base}/api/v1/auth/refresh`
        let data: TokenPair
        try {
          // the cookie variant: no body at all
          data = (await send<TokenPair>(fetchFn, { method: 'POST', url })).data
        } catch (error) {
          if (!refreshToken || !isApiError(error) || error.kind === 'network') throw error
          data = (await send<TokenPair>(fetchFn, { method: 'POST', url, body: { refresh_token: refreshToken } })).data
        }
        accept(data)
        return true
      } catch (error) {
        if (isApiError(error) && error.kind === 'network') throw error
        clear()
        return false
      } finally {
        pending = null
      }
    })()
    return pending
  }

  /** After a reload: a session from the refresh cookie, if the server still honours it. */
  async function restore(): Promise<boolean> {
    if (state.user) return true
    try {
      if (!(await refresh())) return false
      await loadMe()
      return true
    } catch {
      clear()
      return false
    }
  }

  async function logout(reason: EndReason = 'logout'): Promise<void> {
    const token = refreshToken
    const bearer = access
    clear()
    state.ended = reason
    try {
      // revokes the refresh token (and clears the cookie); the session is gone here whatever it says
      await send(fetchFn, {
        method: 'POST',
        url: `${base}/api/v1/auth/logout`,
        body: token ? { refresh_token: token } : {},
        token: bearer,
      })
    } catch {
      /* already logged out locally */
    }
  }

  /** POST /auth/password; on success the forced dialog goes away. */
  async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
    const { data } = await send<Partial<TokenPair> | null>(fetchFn, {
      method: 'POST',
      url: `${base}/api/v1/auth/password`,
      body: { old_password: oldPassword, new_password: newPassword },
      token: access,
    })
    // the server answers with a fresh pair (the old session's tokens are revoked)
    if (data?.access_token) accept(data as TokenPair)
    mustChange = false
    if (state.user) state.user = { ...state.user, mustChangePassword: false }
  }

  function expire() {
    clear()
    state.ended = 'expired'
  }

  const tokens: TokenSource = { accessToken: () => access, refresh, expire }

  return { state: readonly(state), login, logout, refresh, restore, expire, loadMe, changePassword, tokens }
}

export type Session = ReturnType<typeof createSession>

let shared: Session | null = null

/** The page's one session (the browser's fetch). */
export function useSession(): Session {
  shared ??= createSession((input, init) => window.fetch(input, init))
  return shared
}
