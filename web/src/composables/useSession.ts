// The staff session. The access token lives in this module's memory only (never localStorage):
// a reload restores the session through POST /auth/refresh, which the server answers from its
// HttpOnly refresh cookie; the refresh token a login body carries is likewise kept in memory only.
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
}

export const ROLE_LABELS: Record<string, string> = {
  window: '窗口人员',
  approver: '审批人员',
  supervisor: '电子监察',
  admin: '系统管理员',
}

export function createSession(fetchFn: FetchLike, base = '') {
  const state = reactive({ user: null as StaffUser | null, ended: null as EndReason | null })
  let access: string | null = null
  let refreshToken: string | null = null
  let pending: Promise<boolean> | null = null

  function accept(pair: TokenPair) {
    access = pair.access_token
    refreshToken = pair.refresh_token || null
  }

  function clear() {
    access = null
    refreshToken = null
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
    state.ended = null
    return loadMe()
  }

  /** One refresh at a time; an answer other than 200 means "log in again", a lost connection throws. */
  function refresh(): Promise<boolean> {
    pending ??= (async () => {
      try {
        const body = refreshToken ? { refresh_token: refreshToken } : {}
        const { data } = await send<TokenPair>(fetchFn, {
          method: 'POST',
          url: `${base}/api/v1/auth/refresh`,
          body,
        })
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

  function expire() {
    clear()
    state.ended = 'expired'
  }

  const tokens: TokenSource = { accessToken: () => access, refresh, expire }

  return { state: readonly(state), login, logout, refresh, restore, expire, loadMe, tokens }
}

export type Session = ReturnType<typeof createSession>

let shared: Session | null = null

/** The page's one session (the browser's fetch). */
export function useSession(): Session {
  shared ??= createSession((input, init) => window.fetch(input, init))
  return shared
}
