// The typed API client: paths, parameters, bodies and answers checked against schema.d.ts.
// It attaches the bearer token, and after a 401 asks the session to refresh once and retries once;
// when that fails the session ends (the router then shows the login page).
import type { paths } from './schema'
import { isApiError } from './errors'
import { send, type FetchLike } from './transport'
import type { CallOptions, HttpMethod, Operation, PathsFor, Success } from './types'

export interface TokenSource {
  accessToken(): string | null
  /** true when a new access token was obtained; false when the user must log in again */
  refresh(): Promise<boolean>
  expire(): void
}

type Scalar = string | number | boolean
type QueryValue = Scalar | Scalar[] | null | undefined

export function buildUrl(path: string, params?: object, query?: object): string {
  const values = (params ?? {}) as Record<string, Scalar | undefined>
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined || value === null || value === '') {
      throw new Error(`missing path parameter ${name} for ${path}`)
    }
    return encodeURIComponent(String(value))
  })
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, QueryValue>)) {
    if (value === undefined || value === null || value === '') continue
    // the API takes lists comma-separated (e.g. status=submitted,accepted)
    search.set(key, Array.isArray(value) ? value.map(String).join(',') : String(value))
  }
  const qs = search.toString()
  return qs ? `${filled}?${qs}` : filled
}

interface RawOptions {
  path?: object
  query?: object
  body?: unknown
  signal?: AbortSignal
}

export function createApiClient(deps: { fetch: FetchLike; tokens?: TokenSource; base?: string }) {
  const { fetch: fetchFn, tokens, base = '' } = deps

  async function call(method: HttpMethod, path: string, options: RawOptions = {}): Promise<unknown> {
    const url = base + buildUrl(path, options.path, options.query)
    const attempt = async () =>
      (
        await send(fetchFn, {
          method: method.toUpperCase(),
          url,
          body: options.body,
          token: tokens?.accessToken(),
          signal: options.signal,
        })
      ).data
    try {
      return await attempt()
    } catch (error) {
      if (!tokens || !isApiError(error) || error.status !== 401) throw error
      if (!(await tokens.refresh())) {
        tokens.expire()
        throw error
      }
    }
    try {
      return await attempt()
    } catch (error) {
      if (isApiError(error) && error.status === 401) tokens.expire()
      throw error
    }
  }

  function typed<M extends HttpMethod>(method: M) {
    return <P extends PathsFor<M>>(
      path: P,
      ...options: object extends CallOptions<Operation<P, M>>
        ? [CallOptions<Operation<P, M>>?]
        : [CallOptions<Operation<P, M>>]
    ) => call(method, path, options[0] as RawOptions) as Promise<Success<Operation<P, M>>>
  }

  return {
    get: typed('get'),
    post: typed('post'),
    put: typed('put'),
    delete: typed('delete'),
    /** an untyped call, for endpoints newer than the generated types */
    raw: call,
  }
}

export type ApiClient = ReturnType<typeof createApiClient>
export type { paths }
