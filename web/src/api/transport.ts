// One HTTP exchange with the API: JSON in and out, errors as ApiError, a lost connection as a
// network ApiError (the caller keeps whatever the user typed).
import { ApiError, errorFromBody, networkError } from './errors'

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export interface SendOptions {
  method: string
  url: string
  body?: unknown
  token?: string | null
  signal?: AbortSignal
}

export interface Answer<T = unknown> {
  status: number
  data: T
}

export async function send<T = unknown>(fetchFn: FetchLike, options: SendOptions): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let response: Response
  try {
    response = await fetchFn(options.url, {
      method: options.method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      // the refresh cookie (HttpOnly, set by the server) travels only to our own origin
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw networkError()
  }
  let data: unknown = null
  const text = await response.text().catch(() => {
    throw networkError()
  })
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!response.ok) throw errorFromBody(response.status, data)
  return { status: response.status, data: data as T }
}

export { ApiError }
