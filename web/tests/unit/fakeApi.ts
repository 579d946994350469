// A fake fetch standing in for the API: records every request and answers from a handler.
import type { FetchLike } from '@/api/transport'

export interface Seen {
  method: string
  url: string
  headers: Record<string, string>
  body: unknown
  credentials: RequestCredentials | undefined
}

export type Handler = (request: Seen) => Response | Promise<Response>

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

export function apiError(status: number, code: string, message: string, details: object = {}): Response {
  return json(status, { error: { code, message, details } })
}

export function fakeFetch(handler: Handler): FetchLike & { seen: Seen[] } {
  const seen: Seen[] = []
  const fn = async (input: string, init: RequestInit = {}) => {
    const request: Seen = {
      method: init.method ?? 'GET',
      url: input,
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      credentials: init.credentials,
    }
    seen.push(request)
    return handler(request)
  }
  return Object.assign(fn, { seen })
}

export const PAIR = (n: number) => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  token_type: 'bearer',
  expires_in: 900,
  user: { id: 7, role: 'window' },
})

export const ME = {
  id: 7,
  role: 'window',
  name: null,
  id_number: null,
  phone: null,
  profile_complete: false,
  username: 'wang',
  department: 'GA',
  follows_official_account: false,
}
