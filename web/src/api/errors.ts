// The API's error envelope {error: {code, message, details}} as one typed error the views show.

export const NETWORK_MESSAGE = '网络连接已断开'

export type ApiErrorKind = 'http' | 'network'

export interface ErrorEnvelope {
  error: { code: string; message: string; details?: Record<string, unknown> }
}

export class ApiError extends Error {
  readonly kind: ApiErrorKind
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown>
  /** 422 details.fields keyed by the form field ("body.username" → "username"). */
  readonly fields: Record<string, string>

  constructor(init: {
    kind: ApiErrorKind
    status: number
    code: string
    message: string
    details?: Record<string, unknown>
  }) {
    super(init.message)
    this.name = 'ApiError'
    this.kind = init.kind
    this.status = init.status
    this.code = init.code
    this.details = init.details ?? {}
    this.fields = fieldErrors(this.details)
  }

  /** The message for one form field, if the API named it. */
  field(name: string): string | undefined {
    return this.fields[name]
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError
}

function isEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  )
}

/** "body.materials.0" → "materials.0"; "query.page" → "page": the name the form uses. */
export function formFieldName(location: string): string {
  return location.replace(/^(body|query|path)\./, '')
}

function fieldErrors(details: Record<string, unknown>): Record<string, string> {
  const raw = details.fields
  const out: Record<string, string> = {}
  if (typeof raw !== 'object' || raw === null) return out
  for (const [location, message] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof message === 'string') out[formFieldName(location)] = message
  }
  return out
}

/** The error an answer carries: the envelope when there is one, else a generic Chinese message. */
export function errorFromBody(status: number, body: unknown): ApiError {
  if (isEnvelope(body)) {
    const { code, message, details } = body.error
    const safeDetails = typeof details === 'object' && details !== null ? details : {}
    return new ApiError({ kind: 'http', status, code, message, details: safeDetails })
  }
  const message =
    status >= 500 ? `服务暂时不可用，请稍后再试（HTTP ${status}）` : `请求未能完成（HTTP ${status}）`
  return new ApiError({ kind: 'http', status, code: `HTTP_${status}`, message })
}

export function networkError(): ApiError {
  return new ApiError({ kind: 'network', status: 0, code: 'NETWORK_ERROR', message: NETWORK_MESSAGE })
}
